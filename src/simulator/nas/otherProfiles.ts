/**
 * The small world (a subset of nas01: one pool, its disks, a few datasets, one app, one VM, one task of each
 * kind) and the large one (about 200 disks in 10 pools, 5,000 datasets, 150 apps, 50 VMs, 300 tasks),
 * generated deterministically from nas01's objects so every field keeps its real shape.
 */
import type { SimVersion } from "../types.js";
import type { Row } from "./sampleData.js";
import { seededRandom, type NasState } from "./state.js";
import { instancesFor, typicalState } from "./typicalProfile.js";

export function smallState(version: SimVersion, now: number): NasState {
  const s = typicalState(version, now);
  const keepPool = "tank";
  const poolDisks = new Set(["sda", "sdb", "sdc", "sdd", "sde", "sdf"]);
  s.pools = s.pools.filter((p) => p.name === keepPool);
  s.disks = s.disks.filter((d) => poolDisks.has(String(d.name)));
  s.datasets = s.datasets.filter((d) =>
    ["tank", "tank/media", "tank/media/movies", "tank/home", "tank/share"].includes(String(d.id)),
  );
  s.apps = s.apps.slice(0, 1);
  s.vms = s.vms.slice(0, 1);
  s.instances = s.instances.slice(0, 1);
  s.snapshottasks = s.snapshottasks.slice(0, 1);
  s.alerts = s.alerts.filter((a) => a.klass === "HasUpdate");
  s.temperatures = Object.fromEntries(Object.entries(s.temperatures).filter(([n]) => poolDisks.has(n)));
  const rt = s.realtime;
  if (rt.pools) rt.pools = { tank: (rt.pools as Row).tank };
  return s;
}

const LETTERS = "abcdefghijklmnopqrstuvwxyz";
function diskName(i: number): string {
  // sdb, sdc, ..., sdz, sdaa, sdab, ... (sda is the boot disk)
  const n = i + 1;
  return n < 26 ? `sd${LETTERS[n]}` : `sd${LETTERS[Math.floor(n / 26) - 1]}${LETTERS[n % 26]}`;
}

function guid(rand: () => number): string {
  return String(Math.floor(rand() * 9e17) + 1e17);
}

function largePool(s: NasState, template: Row, p: number, disks: Row[], rand: () => number): Row {
  const pool = structuredClone(template);
  pool.id = p + 1;
  pool.name = `pool${String(p).padStart(2, "0")}`;
  pool.guid = guid(rand);
  pool.path = `/mnt/${pool.name}`;
  const vdevTemplate = template.topology.data[0] as Row;
  const leafTemplate = vdevTemplate.children[0] as Row;
  pool.topology.data = [0, 1].map((v) => {
    const vdev = structuredClone(vdevTemplate);
    vdev.name = `raidz2-${v}`;
    vdev.guid = guid(rand);
    vdev.children = disks.slice(v * 10, v * 10 + 10).map((d) => {
      const leaf = structuredClone(leafTemplate);
      leaf.guid = guid(rand);
      leaf.name = `${pool.name}-${String(d.name)}-part`;
      leaf.path = `/dev/disk/by-partuuid/${String(leaf.name)}`;
      leaf.device = `${String(d.name)}1`;
      leaf.disk = d.name;
      d.pool = pool.name;
      d.zfs_guid = leaf.guid;
      return leaf;
    });
    return vdev;
  });
  for (const kind of ["log", "cache", "spare", "special", "dedup"]) pool.topology[kind] = [];
  s.temperatures = {
    ...s.temperatures,
    ...Object.fromEntries(disks.map((d) => [d.name, 30 + Math.round(rand() * 10)])),
  };
  return pool;
}

function largeDatasets(template: Row, pools: Row[]): Row[] {
  const out: Row[] = [];
  const make = (id: string, pool: string, used: number): Row => {
    const d = structuredClone(template);
    d.id = id;
    d.name = id;
    d.pool = pool;
    d.mountpoint = `/mnt/${id}`;
    d.used = { ...d.used, parsed: used, rawvalue: String(used) };
    return d;
  };
  for (const pool of pools) {
    const name = String(pool.name);
    out.push(make(name, name, 5e12));
    for (let a = 0; a < 20; a += 1) {
      out.push(make(`${name}/share${a}`, name, 2e11));
      for (let b = 0; b < 24; b += 1) out.push(make(`${name}/share${a}/sub${b}`, name, 8e9 + a * b));
    }
  }
  return out;
}

function clones(templates: Row[], count: number, fn: (row: Row, i: number) => void): Row[] {
  return Array.from({ length: count }, (_, i) => {
    const row = structuredClone(templates[i % templates.length] as Row);
    fn(row, i);
    return row;
  });
}

export function largeState(version: SimVersion, now: number, seed: number): NasState {
  const s = typicalState(version, now);
  const rand = seededRandom(seed);
  const diskTemplate = s.disks.find((d) => d.name === "sdb") as Row;
  const boot = s.disks.find((d) => d.name === "sda") as Row;
  const dataDisks = Array.from({ length: 200 }, (_, i) => {
    const d = structuredClone(diskTemplate);
    d.name = diskName(i);
    d.devname = d.name;
    d.number = 2064 + i * 16;
    d.serial = `SIM${String(i).padStart(5, "0")}`;
    d.identifier = `{serial_lunid}${String(d.serial)}_5000cca0${String(i).padStart(8, "0")}`;
    return d;
  });
  const poolTemplate = s.pools[0] as Row;
  s.temperatures = { sda: 33 };
  s.pools = Array.from({ length: 10 }, (_, p) =>
    largePool(s, poolTemplate, p, dataDisks.slice(p * 20, p * 20 + 20), rand),
  );
  s.disks = [boot, ...dataDisks];
  s.datasets = largeDatasets(s.datasets[0] as Row, s.pools);
  s.apps = clones(s.apps, 150, (a, i) => {
    a.name = `app-${String(i).padStart(3, "0")}`;
    a.id = a.name;
    a.state = i % 10 === 9 ? "STOPPED" : "RUNNING";
  });
  s.vms = clones(s.vms, 50, (v, i) => {
    v.id = i + 1;
    v.name = `vm${String(i).padStart(2, "0")}`;
    v.uuid = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
  });
  if (version === "25.04.0") s.instances = instancesFor(version, s.vms);
  s.cloudsync = clones(s.cloudsync, 100, (t, i) => {
    t.id = i + 1;
    t.description = `Cloud backup ${i}`;
  });
  s.replication = clones(s.replication, 100, (t, i) => {
    t.id = i + 1;
    t.name = `replicate-${i}`;
  });
  s.snapshottasks = clones(s.snapshottasks, 100, (t, i) => {
    t.id = i + 1;
    t.dataset = `pool${String(i % 10).padStart(2, "0")}/share${i % 20}`;
  });
  if (s.realtime.pools)
    s.realtime.pools = Object.fromEntries(
      s.pools.map((p) => [p.name, { available: 1e13, used: 5e12, total: 1.5e13 }]),
    );
  return s;
}
