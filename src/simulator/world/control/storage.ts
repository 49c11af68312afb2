/**
 * Disks and datasets: hot-unplug and hot-plug with `disk.query` removed/added (id = identifier;
 * `disk_/sync.py`), dataset create/destroy with `pool.dataset.query` added/removed (id = name; `pool_/dataset.py`,
 * `zfs_/zfs_events.py`), and the knobs tests need (temperatures, space).
 */
import { parentName, type DatasetRecord, type DatasetSpace } from "../datasets/records.js";
import { renderDefault } from "../datasets/query.js";
import type { DiskEntry } from "../model.js";
import { makeDisk, type DiskSpec } from "../profiles/buildStorage.js";
import type { DiskRecord, WorldContext } from "../state.js";
import { degradePool } from "./pools.js";

export function requireDisk(ctx: WorldContext, name: string): DiskRecord {
  const disk = ctx.state.disks.find((d) => d.entry.name === name && d.entry.expiretime === null);
  if (!disk) throw new Error(`no attached disk named ${name}`);
  return disk;
}

/** What the event carries: the entry as a plain `disk.query` returns it (`pool` only with extra.pools). */
function diskFields(disk: DiskRecord): DiskEntry {
  return { ...structuredClone(disk.entry), pool: null };
}

/** Unplug a disk: it expires (listed only with include_expired); a pool member goes REMOVED. */
export function removeDisk(ctx: WorldContext, name: string): void {
  const disk = requireDisk(ctx, name);
  disk.entry.expiretime = new Date(ctx.now() + 7 * 86_400_000);
  disk.temp = null;
  ctx.emit({ collection: "disk.query", msg: "removed", id: disk.entry.identifier });
  const pool = disk.entry.pool;
  if (pool !== null && ctx.state.pools.some((p) => p.entry.name === pool)) {
    degradePool(ctx, pool, { disk: name, status: "REMOVED" });
  }
}

function nextDiskName(ctx: WorldContext, nvme: boolean): string {
  const taken = new Set(ctx.state.disks.map((d) => d.entry.name));
  for (let i = 0; ; i++) {
    const name = nvme ? `nvme${i}n1` : `sd${diskLetters(i)}`;
    if (!taken.has(name)) return name;
  }
}

/** sda..sdz, sdaa..sdaz, sdba... (the kernel's naming). */
export function diskLetters(i: number): string {
  let n = i;
  let s = "";
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return s;
}

/** Hot-plug a new, unused disk; `disk.query` added with the full entry. Returns the entry. */
export function addDisk(ctx: WorldContext, partial: Partial<DiskSpec> = {}): DiskEntry {
  const nvme = partial.bus === "NVME";
  const name = partial.name ?? nextDiskName(ctx, nvme);
  const spec: DiskSpec = {
    name,
    serial: `SIM${ctx.rng.hex(9).toUpperCase()}`,
    lunid: nvme ? null : `5000c500${ctx.rng.hex(8)}`,
    size: 8001563222016,
    model: "ST8000VN004-3CP101",
    type: "HDD",
    rotationrate: 7200,
    bus: "ATA",
    number: ctx.state.disks.length * 16,
    temp: 34,
    ...partial,
  };
  const disk = makeDisk(spec, null);
  ctx.state.disks.push(disk);
  ctx.emit({ collection: "disk.query", msg: "added", id: disk.entry.identifier, fields: diskFields(disk) });
  return structuredClone(disk.entry);
}

export function setDiskTemperature(ctx: WorldContext, name: string, celsius: number | null): void {
  const disk = requireDisk(ctx, name);
  disk.temp = celsius;
  if (celsius !== null) disk.baseTemp = celsius;
}

function datasetDeps(ctx: WorldContext) {
  return { store: ctx.state.datasets, version: ctx.version, timeZone: ctx.state.system.info.timezone };
}

export interface CreateDatasetOptions {
  type?: "FILESYSTEM" | "VOLUME";
  /** Zvol size in bytes. */
  volsize?: number;
  quota?: number;
  refquota?: number;
  used?: number;
}

/** `pool.dataset.create`: `pool.dataset.query` added with the full new entry. */
export function createDataset(ctx: WorldContext, name: string, opts: CreateDatasetOptions = {}): void {
  const store = ctx.state.datasets;
  const parent = parentName(name);
  const parentRec = parent === null ? undefined : store.get(parent);
  if (!parentRec) throw new Error(`parent of ${name} does not exist`);
  const used = opts.used ?? 98304;
  const local: Record<string, string> = {};
  if (opts.quota) local.quota = String(opts.quota);
  if (opts.refquota) local.refquota = String(opts.refquota);
  if (opts.type === "VOLUME") local.volsize = String(opts.volsize ?? 10737418240);
  const record: DatasetRecord = {
    name,
    type: opts.type ?? "FILESYSTEM",
    pool: parentRec.pool,
    space: {
      used,
      available: parentRec.space.available,
      usedbychildren: 0,
      usedbydataset: used,
      usedbyrefreservation: 0,
      usedbysnapshots: 0,
    },
    compressratio: "1.00",
    creation: Math.floor(ctx.now() / 1000),
    local,
    crypto: parentRec.crypto ? { ...parentRec.crypto } : null,
    userProps: {},
    snapshotCount: 0,
  };
  store.add(record);
  if (store.isHidden(name)) return;
  ctx.emit({
    collection: "pool.dataset.query",
    msg: "added",
    id: name,
    fields: renderDefault(datasetDeps(ctx), record),
  });
}

/** `zfs destroy -r`: one `removed` per destroyed dataset, deepest first (ZFS history events). */
export function destroyDataset(ctx: WorldContext, name: string): string[] {
  const store = ctx.state.datasets;
  if (!store.get(name)) throw new Error(`no dataset named ${name}`);
  const hidden = store.isHidden(name);
  const removed = store.remove(name);
  if (!hidden) for (const n of removed) ctx.emit({ collection: "pool.dataset.query", msg: "removed", id: n });
  return removed;
}

/** Change space figures (no event: ZFS sends none for space changes). */
export function setDatasetSpace(ctx: WorldContext, name: string, space: Partial<DatasetSpace>): void {
  const rec = ctx.state.datasets.get(name);
  if (!rec) throw new Error(`no dataset named ${name}`);
  Object.assign(rec.space, space);
}
