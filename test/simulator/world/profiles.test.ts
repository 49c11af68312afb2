/**
 * Profiles: `small` is a consistent subset, `large` is 200 disks / 5,000 datasets / 150 apps / 50 VMs /
 * 300 tasks that reference each other correctly and build fast, and `names: "hostile"` adds awkward names.
 */
import { describe, expect, it } from "vitest";
import { SIM_VERSIONS } from "../../../src/simulator/types.js";
import { HOSTILE_NAMES } from "../../../src/simulator/world/profiles/hostile.js";
import { SimWorld } from "../../../src/simulator/world/world.js";
import { SAMPLE_NOW_MS, callWire, wire } from "./helpers.js";

function leaves(vdevs: any[]): any[] {
  return vdevs.flatMap((v) => (v.type === "DISK" ? [v] : leaves(v.children)));
}

describe("large", () => {
  const started = performance.now();
  const w = new SimWorld({ profile: "large", version: "25.10", seed: 5, now: () => SAMPLE_NOW_MS });
  const buildMs = performance.now() - started;

  it("has the advertised sizes and builds in well under a second", () => {
    expect(w.counts()).toMatchObject({
      pools: 10,
      disks: 200,
      datasets: 5000,
      apps: 150,
      vms: 50,
      cloudsync: 100,
      replication: 100,
      snapshottasks: 100,
    });
    expect(buildMs).toBeLessThan(1000);
  });

  it("every pool member is a disk of that pool and every pool disk is a member", () => {
    const disks = callWire(w, "disk.query", [[], { extra: { pools: true } }]);
    const byName = new Map(disks.map((d: any) => [d.name, d]));
    const members = new Set<string>();
    for (const pool of callWire(w, "pool.query")) {
      const topo = pool.topology;
      for (const leaf of leaves([...topo.data, ...topo.log, ...topo.cache, ...topo.spare])) {
        const disk: any = byName.get(leaf.disk);
        expect(disk?.pool, leaf.disk).toBe(pool.name);
        expect(disk.zfs_guid).toBe(leaf.guid);
        members.add(leaf.disk);
      }
    }
    for (const leaf of leaves(callWire(w, "boot.get_state").topology.data)) members.add(leaf.disk);
    expect(members.size).toBe(200);
    expect(new Set(disks.map((d: any) => d.identifier)).size).toBe(200);
  });

  it("datasets belong to existing pools and parents; apps and VMs have their datasets", () => {
    const rows = callWire(w, "pool.dataset.query", [[], { select: ["id", "pool", "type"] }]);
    const ids = new Set(rows.map((r: any) => r.id));
    expect(ids.size).toBe(5000);
    const pools = new Set(callWire(w, "pool.query").map((p: any) => p.name));
    for (const r of rows) {
      expect(pools.has(r.pool)).toBe(true);
      if (r.id.includes("/")) expect(ids.has(r.id.slice(0, r.id.lastIndexOf("/"))), r.id).toBe(true);
    }
    const apps = callWire(w, "app.query", [[], { select: ["name"] }]).map((a: any) => a.name);
    expect(new Set(apps).size).toBe(150);
    for (const a of apps) expect(ids.has(`tank/appdata/${a}`)).toBe(true);
    const vms = callWire(w, "vm.query");
    expect(new Set(vms.map((v: any) => v.name)).size).toBe(50);
    for (const vm of vms) {
      const disk = vm.devices.find((d: any) => d.attributes.dtype === "DISK");
      const zvol = disk.attributes.path.replace("/dev/zvol/", "");
      expect(rows.find((r: any) => r.id === zvol)?.type).toBe("VOLUME");
    }
  });

  it("tasks point at real datasets and running replications have running jobs", () => {
    const ids = new Set(callWire(w, "pool.dataset.query", [[], { select: ["id"] }]).map((r: any) => r.id));
    for (const t of callWire(w, "pool.snapshottask.query")) expect(ids.has(t.dataset)).toBe(true);
    for (const t of callWire(w, "cloudsync.query")) expect(ids.has(t.path.replace("/mnt/", ""))).toBe(true);
    const reps = callWire(w, "replication.query");
    for (const r of reps) expect(ids.has(r.source_datasets[0])).toBe(true);
    const running = reps.filter((r: any) => r.state.state === "RUNNING");
    expect(running.length).toBe(3);
    const jobs = callWire(w, "core.get_jobs", [
      [
        ["state", "=", "RUNNING"],
        ["method", "=", "replication.run"],
      ],
    ]);
    expect(jobs.map((j: any) => j.id).sort()).toEqual(running.map((r: any) => r.job.id).sort());
  });

  it("the monitoring dataset query is fast on 5,000 datasets", () => {
    const t0 = performance.now();
    const rows = w.call("pool.dataset.query", [
      [],
      { select: ["id", "used", "available", "quota"], extra: { properties: ["used", "available", "quota"] } },
    ]) as unknown[];
    const elapsed = performance.now() - t0;
    expect(rows).toHaveLength(5000);
    expect(elapsed).toBeLessThan(1000);
  });

  it("realtime lists 16 cores, 4 NICs and the 10 pools", () => {
    const r = wire(w.realtimeStats());
    expect(Object.keys(r.cpu)).toHaveLength(17);
    expect(Object.keys(r.interfaces)).toHaveLength(4);
    expect(Object.keys(r.pools)).toHaveLength(10);
  });
});

describe("small", () => {
  it.each(SIM_VERSIONS)(
    "%s: one pool, three disks, a handful of datasets, one of each workload and task",
    (v) => {
      const w = new SimWorld({ profile: "small", version: v, now: () => SAMPLE_NOW_MS });
      expect(w.counts()).toMatchObject({
        pools: 1,
        disks: 3,
        datasets: 5,
        apps: 1,
        vms: 1,
        cloudsync: 1,
        replication: 1,
        snapshottasks: 1,
      });
      expect(Object.keys(wire(w.realtimeStats()).interfaces)).toEqual(["enp3s0"]);
      const realtime = wire(w.realtimeStats());
      if (v === "25.10") expect(Object.keys(realtime.pools)).toEqual(["tank"]);
      const vms = v === "25.04.0" ? callWire(w, "virt.instance.query") : callWire(w, "vm.query");
      expect(vms.map((x: any) => x.name)).toEqual(["debian12"]);
    },
  );
});

describe("hostile names", () => {
  it("adds datasets, an app, a VM and a NIC with spaces, +, # and unicode", () => {
    const w = new SimWorld({
      profile: "typical",
      version: "25.10",
      names: "hostile",
      now: () => SAMPLE_NOW_MS,
    });
    const datasets = callWire(w, "pool.dataset.query", [[], { select: ["id"] }]).map((d: any) => d.id);
    for (const n of HOSTILE_NAMES.datasets) expect(datasets).toContain(`tank/${n}`);
    expect(callWire(w, "app.query", [[["name", "=", HOSTILE_NAMES.app]], { get: true }]).state).toBe(
      "RUNNING",
    );
    expect(callWire(w, "vm.query").map((v: any) => v.name)).toContain(HOSTILE_NAMES.vm);
    expect(Object.keys(wire(w.realtimeStats()).interfaces)).toContain(HOSTILE_NAMES.nic);
    expect(
      callWire(w, "reporting.netdata_graphs", [[["name", "=", "interface"]], { get: true }]).identifiers,
    ).toContain(HOSTILE_NAMES.nic);
    expect(new SimWorld({ profile: "typical", version: "25.10" }).counts().datasets).toBe(22);
  });
});
