/**
 * The `large` profile's storage, generated from the seed: 200 disks (boot mirror, ten pools of RAIDZ/mirror
 * vdevs, a log mirror, a cache and a spare on `tank`) and 5,000 visible datasets whose space adds up bottom-up.
 */
import { diskLetters } from "../control/storage.js";
import type { DatasetRecord } from "../datasets/records.js";
import type { PoolEntry, ScanEntry, VdevEntry } from "../model.js";
import type { Rng } from "../random.js";
import type { DiskRecord, PoolRecord, ProfileContext } from "../state.js";
import { buildDatasets, type DatasetSpec } from "./buildDatasets.js";
import {
  bootLeaf,
  emptyTopology,
  finishedScan,
  groupVdev,
  leafVdev,
  makeDisk,
  makePool,
  type DiskSpec,
  type VdevKind,
} from "./buildStorage.js";

interface Layout {
  name: string;
  kind: VdevKind;
  width: number;
  vdevs: number;
  media: "HDD" | "SSD" | "NVME";
}

export const LARGE_LAYOUTS: readonly Layout[] = [
  { name: "tank", kind: "RAIDZ2", width: 8, vdevs: 4, media: "HDD" },
  { name: "backup", kind: "RAIDZ3", width: 10, vdevs: 3, media: "HDD" },
  { name: "media", kind: "RAIDZ1", width: 6, vdevs: 4, media: "HDD" },
  { name: "archive", kind: "RAIDZ2", width: 12, vdevs: 2, media: "HDD" },
  { name: "vmstore", kind: "MIRROR", width: 2, vdevs: 6, media: "NVME" },
  { name: "photos", kind: "RAIDZ2", width: 6, vdevs: 3, media: "HDD" },
  { name: "projects", kind: "RAIDZ1", width: 5, vdevs: 4, media: "HDD" },
  { name: "scratch", kind: "MIRROR", width: 2, vdevs: 4, media: "SSD" },
  { name: "cold", kind: "RAIDZ3", width: 11, vdevs: 2, media: "HDD" },
  { name: "logs", kind: "MIRROR", width: 2, vdevs: 2, media: "SSD" },
];

interface DiskModel {
  model: string;
  size: number;
  rotationrate: number | null;
}

const MODELS: Readonly<Record<Layout["media"], readonly DiskModel[]>> = {
  HDD: [
    { model: "WDC WD140EFGX-68B0GN0", size: 14000519643136, rotationrate: 5400 },
    { model: "ST16000NM001G-2KK103", size: 16000900661248, rotationrate: 7200 },
    { model: "TOSHIBA MG08ACA16TE", size: 16000900661248, rotationrate: 7200 },
  ],
  SSD: [{ model: "Samsung SSD 870 EVO 2TB", size: 2000398934016, rotationrate: null }],
  NVME: [{ model: "Samsung SSD 990 PRO 4TB", size: 4000787030016, rotationrate: null }],
};

/** Disk factory keeping kernel names, NVMe numbering and serials unique. */
class DiskMaker {
  #sd = 0;
  #nvme = 0;
  readonly disks: DiskRecord[] = [];
  constructor(private readonly rng: Rng) {}

  make(media: Layout["media"], pool: string | null): DiskRecord {
    const m = this.rng.pick(MODELS[media]);
    const nvme = media === "NVME";
    const name = nvme ? `nvme${this.#nvme++}n1` : `sd${diskLetters(this.#sd++)}`;
    const spec: DiskSpec = {
      name,
      serial: `${nvme ? "S6" : "ZL"}${this.rng.hex(10).toUpperCase()}`,
      lunid: nvme ? null : `5000c500${this.rng.hex(8)}`,
      size: m.size,
      model: m.model,
      type: media === "HDD" ? "HDD" : "SSD",
      rotationrate: m.rotationrate,
      bus: nvme ? "NVME" : media === "HDD" ? "SCSI" : "ATA",
      number: nvme ? this.#nvme - 1 : (this.#sd - 1) * 16,
      zfsGuid: this.rng.guid(),
      temp: media === "HDD" ? this.rng.int(31, 42) : this.rng.int(35, 52),
    };
    const disk = makeDisk(spec, pool);
    this.disks.push(disk);
    return disk;
  }

  leaf(media: Layout["media"], pool: string): VdevEntry {
    const disk = this.make(media, pool);
    return leafVdev({ disk, partuuid: this.rng.uuid(), guid: disk.entry.zfs_guid ?? this.rng.guid() });
  }
}

export interface LargeStorage {
  disks: DiskRecord[];
  pools: PoolRecord[];
  boot: PoolEntry;
}

/** A two-SSD boot mirror (TrueNAS installs on partition 3). */
function largeBoot(ctx: ProfileContext, maker: DiskMaker): PoolEntry {
  const { rng } = ctx;
  const disks = [maker.make("SSD", "boot-pool"), maker.make("SSD", "boot-pool")];
  const topology = emptyTopology();
  const size = 240518168576;
  const allocated = 5368709120;
  const leaves = disks.map((d) => bootLeaf(d, d.entry.zfs_guid ?? "", 0, 0));
  topology.data.push(groupVdev("MIRROR", 0, rng.guid(), leaves, size, allocated, 1));
  const scan = finishedScan(ctx.at(1761736800000), ctx.at(1761736860000), allocated);
  const boot = makePool({
    id: 0,
    name: "boot-pool",
    guid: rng.guid(),
    topology,
    size,
    allocated,
    fragmentation: 1,
    statusCode: "OK",
    scan,
  }).entry;
  boot.path = "/";
  return boot;
}

/** Two pools are mid-scrub; the others finished their last scrub a week before the samples' instant. */
function largeScan(ctx: ProfileContext, index: number, allocated: number): ScanEntry {
  if (index !== 2 && index !== 8) {
    return finishedScan(
      ctx.at(1761578400000 + index * 3600000),
      ctx.at(1761600000000 + index * 3600000),
      allocated,
    );
  }
  return {
    function: "SCRUB",
    state: "SCANNING",
    start_time: ctx.at(1762179600000 - ctx.rng.int(600, 7200) * 1000),
    end_time: null,
    percentage: 12.5,
    bytes_to_process: Math.round(allocated / 8),
    bytes_processed: allocated,
    bytes_issued: Math.round(allocated / 8),
    pause: null,
    errors: 0,
    total_secs_left: 3600,
  };
}

/** One pool of `layout`; `tank` also gets a log mirror, a cache and a spare. */
function largePool(ctx: ProfileContext, maker: DiskMaker, layout: Layout, index: number): PoolRecord {
  const { rng } = ctx;
  const topology = emptyTopology();
  let raw = 0;
  for (let v = 0; v < layout.vdevs; v++) {
    const members = Array.from({ length: layout.width }, () => maker.leaf(layout.media, layout.name));
    const parity = layout.kind === "MIRROR" ? layout.width - 1 : Number(layout.kind.slice(-1));
    const diskSize = (maker.disks[maker.disks.length - 1]?.entry.size ?? 0) * 0.98;
    const size = Math.round(diskSize * (layout.width - parity));
    raw += size;
    topology.data.push(groupVdev(layout.kind, v, rng.guid(), members, size, 0, rng.int(1, 20)));
  }
  if (layout.name === "tank") {
    const log = [maker.leaf("NVME", "tank"), maker.leaf("NVME", "tank")];
    topology.log.push(groupVdev("MIRROR", 1, rng.guid(), log, 4000787030016, 0, 0));
    topology.cache.push(maker.leaf("SSD", "tank"));
    topology.spare.push(maker.leaf("HDD", "tank"));
  }
  const allocated = Math.round(raw * rng.range(0.15, 0.85));
  for (const vdev of topology.data) vdev.stats.allocated = Math.round(allocated / topology.data.length);
  return makePool({
    id: index + 1,
    name: layout.name,
    guid: rng.guid(),
    topology,
    size: raw,
    allocated,
    fragmentation: rng.int(1, 25),
    statusCode: index === 1 ? "FEAT_DISABLED" : "OK",
    scanRate: layout.media === "HDD" ? 900 * 2 ** 20 : 2500 * 2 ** 20,
    scan: largeScan(ctx, index, allocated),
  });
}

export function largeStorage(ctx: ProfileContext): LargeStorage {
  const maker = new DiskMaker(ctx.rng);
  const boot = largeBoot(ctx, maker);
  const pools = LARGE_LAYOUTS.map((layout, index) => largePool(ctx, maker, layout, index));
  return { disks: maker.disks, pools, boot };
}

const WORDS = [
  "projects",
  "shares",
  "users",
  "media",
  "photos",
  "video",
  "music",
  "docs",
  "backups",
  "archive",
  "builds",
  "datasets",
  "research",
  "finance",
  "hr",
  "legal",
  "design",
  "render",
  "cache",
  "exports",
  "imports",
  "scans",
];

/**
 * 5,000 visible datasets: pool roots, `tank/appdata/<app>` per app, `vmstore/vms/<vm>` zvols per VM, and
 * generated trees (breadth-first, at most four levels) for the rest; plus hidden `.system` and `ix-apps`.
 */
export function largeDatasets(
  ctx: ProfileContext,
  pools: PoolRecord[],
  apps: string[],
  vms: string[],
): DatasetRecord[] {
  const { rng } = ctx;
  const created = Math.floor(ctx.at(1700000000000).getTime() / 1000);
  const specs: Array<DatasetSpec & { own: number }> = [];
  const add = (name: string, own: number, extra: Partial<DatasetSpec> = {}): void => {
    specs.push({ name, used: 0, available: 0, creation: created + specs.length * 60, own, ...extra });
  };
  for (const p of pools) add(p.entry.name, rng.int(1, 100) * 2 ** 20, { explicit: true });
  add("tank/appdata", 2 ** 30, { explicit: true });
  for (const a of apps) add(`tank/appdata/${a}`, rng.int(1, 200) * 2 ** 28);
  add("vmstore/vms", 2 ** 20);
  for (const v of vms)
    add(`vmstore/vms/${v}`, rng.int(16, 200) * 2 ** 30, { type: "VOLUME", volsize: 2 ** 38 });
  const remaining = 5000 - specs.length;
  pools.forEach((p, i) => {
    const target = Math.floor(remaining / pools.length) + (i < remaining % pools.length ? 1 : 0);
    growTree(rng, p.entry.name, target, (name, depth) =>
      add(
        name,
        rng.int(1, 4000) * 2 ** 28,
        depth === 1 && rng.chance(0.2) ? { quota: rng.int(1, 50) * 2 ** 40 } : {},
      ),
    );
  });
  add("tank/.system", 2 ** 31);
  add("tank/ix-apps", 2 ** 34);
  add("boot-pool", 5368709120);
  add("boot-pool/ROOT", 5 * 2 ** 30);
  return finishSpace(specs, pools);
}

function growTree(rng: Rng, root: string, target: number, add: (name: string, depth: number) => void): void {
  const queue: Array<[string, number]> = [[root, 0]];
  let made = 0;
  while (made < target && queue.length > 0) {
    const [parent, depth] = queue.shift() as [string, number];
    const count = Math.min(target - made, depth === 0 ? 12 : rng.int(3, 12));
    for (let i = 0; i < count; i++) {
      const name = `${parent}/${rng.pick(WORDS)}-${String(i).padStart(2, "0")}`;
      add(name, depth + 1);
      made++;
      if (depth + 1 < 4) queue.push([name, depth + 1]);
    }
  }
}

/** used = own + children, bottom-up; available from the pool's free space. */
function finishSpace(specs: Array<DatasetSpec & { own: number }>, pools: PoolRecord[]): DatasetRecord[] {
  const byName = new Map(specs.map((s) => [s.name, s]));
  for (let i = specs.length - 1; i >= 0; i--) {
    const s = specs[i] as DatasetSpec & { own: number };
    s.used += s.own;
    s.usedbysnapshots = Math.round(s.own * 0.04);
    const parent = byName.get(s.name.slice(0, Math.max(0, s.name.lastIndexOf("/"))));
    if (parent) parent.used += s.used;
  }
  for (const s of specs) {
    const pool = pools.find((p) => p.entry.name === s.name.split("/")[0]);
    s.available = pool ? (pool.entry.free ?? 0) : 200 * 2 ** 30;
    s.compressratio = (1 + (s.own % 97) / 100).toFixed(2);
  }
  return buildDatasets(specs);
}
