/**
 * Pool health and scrubs, with the events a real NAS sends: `pool.query` changed with the full entry on a ZFS
 * state change (`plugins/zfs_/zfs_events.py`), `zfs.pool.scan` changed every tick while SCANNING plus a final one
 * (`ScanWatch`), the `VolumeStatus` alert (`alert/source/volume_status.py`) and the `pool.scrub.scrub` job that
 * follows the scan (`plugins/pool_/scrub.py`).
 */
import { apiKeyCredentials } from "../jobs.js";
import type { DiskEntry, PoolEntry, ScanEntry, VdevEntry, VdevStatus } from "../model.js";
import { applyStatusCode, flattenTopology } from "../profiles/buildStorage.js";
import type { PoolRecord, WorldContext } from "../state.js";

/** Who started a job over the API (absent: an internal job such as a scheduled scrub). */
export interface Caller {
  username: string;
  messageId?: unknown;
}

export function callerCredentials(ctx: WorldContext, caller: Caller | undefined) {
  return caller ? apiKeyCredentials(caller.username, ctx.rng.uuid(), new Date(ctx.now())) : null;
}

export function requirePool(ctx: WorldContext, name: string): PoolRecord {
  const pool = ctx.state.pools.find((p) => p.entry.name === name);
  if (!pool) throw new Error(`no pool named ${name}`);
  return pool;
}

export function emitPoolChanged(ctx: WorldContext, pool: PoolEntry): void {
  ctx.emit({ collection: "pool.query", msg: "changed", id: pool.id, fields: structuredClone(pool) });
}

function diskOf(ctx: WorldContext, leaf: VdevEntry): DiskEntry | null {
  const disk = ctx.state.disks.find((d) => d.entry.name === leaf.disk);
  return disk ? { ...structuredClone(disk.entry), pool: null } : null;
}

function leaves(pool: PoolEntry): VdevEntry[] {
  return flattenTopology(pool.topology).filter((v) => v.type === "DISK");
}

/** Raise (or re-raise) the VolumeStatus alert for an unhealthy pool, listing its non-ONLINE disks. */
export function raiseVolumeStatus(ctx: WorldContext, pool: PoolEntry): string {
  clearVolumeStatus(ctx, pool.name);
  const bad = leaves(pool)
    .filter((v) => v.status !== "ONLINE")
    .map(
      (v) =>
        `Disk ${v.unavail_disk ? `${v.unavail_disk.model} ${v.unavail_disk.serial}` : v.guid} is ${v.status}`,
    );
  const devices = bad.length
    ? `<br>The following devices are not healthy:<ul><li>${bad.join("</li><li>")}</li></ul>`
    : "";
  return ctx.alerts.raise({
    klass: "VolumeStatus",
    level: "CRITICAL",
    text: "Pool %(volume)s state is %(state)s: %(status)s%(devices)s",
    args: { volume: pool.name, state: pool.status, status: pool.status_detail, devices },
  });
}

export function clearVolumeStatus(ctx: WorldContext, pool: string): void {
  ctx.alerts.clearWhere(
    (a) => a.klass === "VolumeStatus" && (a.args as Record<string, unknown> | null)?.volume === pool,
  );
}

/** Mark one member (by disk name, default the first) FAULTED/REMOVED; the pool goes DEGRADED. */
export function degradePool(
  ctx: WorldContext,
  name: string,
  opts: { disk?: string; status?: VdevStatus } = {},
): PoolEntry {
  const pool = requirePool(ctx, name).entry;
  const all = leaves(pool);
  const leaf = opts.disk ? all.find((v) => v.disk === opts.disk) : all[0];
  if (!leaf) throw new Error(`pool ${name} has no member ${opts.disk ?? ""}`);
  const status = opts.status ?? "FAULTED";
  leaf.status = status;
  if (status === "FAULTED") Object.assign(leaf.stats, { read_errors: 3, write_errors: 112 });
  leaf.unavail_disk = diskOf(ctx, leaf);
  for (const group of Object.values<VdevEntry[]>(pool.topology ?? {})) {
    for (const top of group) if (top.children.includes(leaf)) top.status = "DEGRADED";
  }
  applyStatusCode(pool, status === "REMOVED" ? "REMOVED_DEV" : "FAULTED_DEV_R", "DEGRADED");
  emitPoolChanged(ctx, pool);
  raiseVolumeStatus(ctx, pool);
  return pool;
}

/** Heal a pool: every vdev ONLINE without errors, status OK, its VolumeStatus alert cleared. */
export function restorePool(ctx: WorldContext, name: string): PoolEntry {
  const record = requirePool(ctx, name);
  const pool = record.entry;
  for (const v of flattenTopology(pool.topology)) {
    v.status = "ONLINE";
    v.unavail_disk = null;
    Object.assign(v.stats, { read_errors: 0, write_errors: 0, checksum_errors: 0 });
  }
  applyStatusCode(pool, "OK");
  record.isUpgraded = true;
  emitPoolChanged(ctx, pool);
  clearVolumeStatus(ctx, name);
  return pool;
}

function emitScan(ctx: WorldContext, pool: PoolEntry): void {
  ctx.emit({
    collection: "zfs.pool.scan",
    msg: "changed",
    fields: { scan: structuredClone(pool.scan), name: pool.name },
  });
}

/** The running START job watching this pool's scrub, if any. */
function scrubJob(ctx: WorldContext, pool: string): number | null {
  const job = ctx.jobs.findLatest((j) => {
    const [name, action = "START"] = j.arguments as [unknown, unknown?];
    return j.method === "pool.scrub.scrub" && j.state === "RUNNING" && name === pool && action === "START";
  });
  return job?.id ?? null;
}

/** Start (or resume a paused) scrub and its watching job; returns the job id. */
export function startScrub(ctx: WorldContext, name: string, caller?: Caller): number {
  const record = requirePool(ctx, name);
  const pool = record.entry;
  const job = ctx.jobs.start({
    method: "pool.scrub.scrub",
    arguments: [name, "START"],
    description: `Scrub of pool '${name}'`,
    abortable: true,
    credentials: callerCredentials(ctx, caller),
    messageId: caller?.messageId,
  });
  const id = job.id as number;
  if (pool.scan?.state === "SCANNING" && pool.scan.pause === null) {
    ctx.jobs.fail(id, { message: `${name}: currently scrubbing` });
    return id;
  }
  if (pool.scan?.state === "SCANNING") pool.scan.pause = null;
  else pool.scan = freshScan(record, new Date(ctx.now()));
  emitScan(ctx, pool);
  ctx.jobs.progress(id, pool.scan?.percentage ?? 0, "Scrubbing");
  return id;
}

function freshScan(record: PoolRecord, start: Date): ScanEntry {
  const total = record.entry.allocated ?? 0;
  return {
    function: "SCRUB",
    state: "SCANNING",
    start_time: start,
    end_time: null,
    percentage: 0,
    bytes_to_process: 0,
    bytes_processed: total,
    bytes_issued: 0,
    pause: null,
    errors: 0,
    total_secs_left: Math.ceil(total / record.scanRate),
  };
}

/** Complete the scan now: FINISHED, final `zfs.pool.scan` event, the watching job succeeds. */
export function finishScrub(ctx: WorldContext, name: string, errors = 0): void {
  const pool = requirePool(ctx, name).entry;
  const scan = pool.scan;
  if (!scan || scan.state !== "SCANNING") throw new Error(`pool ${name} is not scrubbing`);
  const total = scan.bytes_processed ?? 0;
  Object.assign(scan, {
    state: "FINISHED",
    end_time: new Date(ctx.now()),
    percentage: 100,
    bytes_to_process: total,
    bytes_issued: total,
    pause: null,
    errors,
    total_secs_left: null,
  });
  emitScan(ctx, pool);
  const job = scrubJob(ctx, name);
  if (job !== null) {
    ctx.jobs.progress(job, 100, "Scrub finished");
    ctx.jobs.succeed(job);
  }
}

/** `pool.scrub.scrub [pool, "STOP"|"PAUSE"]`: CANCELED, or paused; the watching START job ends. */
export function stopScrub(ctx: WorldContext, name: string, action: "STOP" | "PAUSE"): void {
  const pool = requirePool(ctx, name).entry;
  const scan = pool.scan;
  if (!scan || scan.state !== "SCANNING") return;
  const job = scrubJob(ctx, name);
  if (action === "STOP")
    Object.assign(scan, { state: "CANCELED", end_time: new Date(ctx.now()), total_secs_left: null });
  else scan.pause = new Date(ctx.now());
  emitScan(ctx, pool);
  if (job === null) return;
  if (action === "PAUSE") ctx.jobs.progress(job, 100, "Scrub paused");
  ctx.jobs.succeed(job);
}

/** Advance every running scrub by `dt` seconds. */
export function tickScrubs(ctx: WorldContext, dt: number): void {
  for (const record of ctx.state.pools) {
    const scan = record.entry.scan;
    if (!scan || scan.state !== "SCANNING" || scan.pause !== null) continue;
    const total = scan.bytes_processed ?? 0;
    const examined = Math.min(total, (scan.bytes_to_process ?? 0) + Math.round(record.scanRate * dt));
    if (examined >= total) {
      finishScrub(ctx, record.entry.name);
      continue;
    }
    scan.bytes_to_process = examined;
    scan.bytes_issued = Math.max(0, examined - Math.round(record.scanRate * 0.05));
    scan.percentage = Math.round((examined / Math.max(1, total)) * 10000) / 100;
    scan.total_secs_left = Math.ceil((total - examined) / record.scanRate);
    emitScan(ctx, record.entry);
    const job = scrubJob(ctx, record.entry.name);
    if (job !== null) ctx.jobs.progress(job, scan.percentage, "Scrubbing");
  }
}
