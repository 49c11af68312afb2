/**
 * The NAS is alive: CPU, temperatures, traffic, disk I/O, load, ARC and uptime drift within realistic bounds,
 * and a running scrub advances (emitting `zfs.pool.scan` every tick, as ScanWatch does every ~2 s while
 * SCANNING: truenas-api.md §2.3). Deterministic for a given seed and sequence of advance() calls.
 */
import type { CollectionEvent } from "../types.js";
import type { Row } from "./sampleData.js";
import type { NasState } from "./state.js";

function wander(value: number, rand: () => number, step: number, min: number, max: number): number {
  const next = value + (rand() * 2 - 1) * step;
  return Math.round(Math.min(max, Math.max(min, next)) * 100) / 100;
}

function driftRealtime(rt: Row, rand: () => number): void {
  const cpu = (rt.cpu ?? {}) as Record<string, Row>;
  for (const core of Object.values(cpu)) {
    if (typeof core.usage === "number") core.usage = wander(core.usage, rand, 5, 0, 100);
    if (typeof core.temp === "number") core.temp = wander(core.temp, rand, 1, 30, 90);
  }
  const mem = rt.memory as Row | undefined;
  if (mem && typeof mem.physical_memory_available === "number") {
    mem.physical_memory_available = Math.round(
      wander(
        mem.physical_memory_available / 2 ** 20,
        rand,
        64,
        512,
        (mem.physical_memory_total ?? 2 ** 36) / 2 ** 20,
      ) *
        2 ** 20,
    );
  }
  for (const iface of Object.values((rt.interfaces ?? {}) as Record<string, Row>)) {
    if (iface.link_state !== "LINK_STATE_UP") continue;
    iface.received_bytes_rate = Math.round(
      wander(iface.received_bytes_rate ?? 0, rand, 200_000, 0, 120_000_000),
    );
    iface.sent_bytes_rate = Math.round(wander(iface.sent_bytes_rate ?? 0, rand, 200_000, 0, 120_000_000));
  }
  const disks = rt.disks as Row | undefined;
  if (disks) {
    disks.read_bytes = Math.round(wander(disks.read_bytes ?? 0, rand, 1_000_000, 0, 2_000_000_000));
    disks.write_bytes = Math.round(wander(disks.write_bytes ?? 0, rand, 1_000_000, 0, 2_000_000_000));
    disks.busy = wander(disks.busy ?? 0, rand, 2, 0, 100);
  }
}

/** Advance the world by `ms`; returns the events this produced. */
export function drift(state: NasState, ms: number, rand: () => number, now: number): CollectionEvent[] {
  const events: CollectionEvent[] = [];
  state.info.uptime_seconds = Number(state.info.uptime_seconds ?? 0) + ms / 1000;
  state.info.datetime = new Date(now);
  state.info.loadavg = ((state.info.loadavg as number[]) ?? [0.5, 0.5, 0.5]).map((l) =>
    wander(l, rand, 0.2, 0, 16),
  );
  for (const name of Object.keys(state.temperatures)) {
    const t = state.temperatures[name];
    if (typeof t === "number") state.temperatures[name] = Math.round(wander(t, rand, 0.5, 20, 75) * 10) / 10;
  }
  driftRealtime(state.realtime, rand);
  for (const pool of state.pools) {
    const scan = pool.scan as Row | null;
    if (!scan || scan.state !== "SCANNING") continue;
    scan.percentage = Math.min(100, Number(scan.percentage ?? 0) + ms / 1000 / 36);
    scan.total_secs_left = Math.max(0, Math.round((100 - scan.percentage) * 36));
    if (scan.percentage >= 100) {
      scan.state = "FINISHED";
      scan.end_time = new Date(now);
      scan.total_secs_left = null;
    }
    events.push({
      collection: "zfs.pool.scan",
      msg: "changed",
      fields: { scan: structuredClone(scan), name: pool.name },
    });
  }
  return events;
}
