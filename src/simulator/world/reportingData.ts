/**
 * History series for netdata graphs: each value is a pure function of (series, timestamp) around the world's
 * current telemetry, so a history query is cheap, repeatable and never consumes the world's random generator.
 * Units follow the graphs: CPU %, °C, bytes, load, seconds, interface kilobits/s, disk KiB/s
 * (`plugins/reporting/netdata/graphs.py`; truenas-api.md §3.15).
 */
import type { DiskRecord, WorldContext } from "./state.js";
import { hashString, valueNoise } from "./random.js";

const r2 = (x: number): number => Math.round(x * 100) / 100;

/** Smooth noise in [-1, 1] with a slow and a fast component. */
function wobble(key: string, t: number, slow = 900, fast = 37): number {
  const k = hashString(key);
  return 0.7 * valueNoise(k, t / slow) + 0.3 * valueNoise(k ^ 0x5bd1e995, t / fast);
}

export function cpuRow(ctx: WorldContext, t: number): number[] {
  const cores = ctx.metrics.current.cpu.cores.map((c, i) =>
    r2(
      Math.min(
        100,
        Math.max(0, c.usage * (1 + 0.6 * wobble(`cpu${i}`, t)) + 2 * Math.abs(wobble(`cpu${i}f`, t, 60, 7))),
      ),
    ),
  );
  const mean = cores.reduce((s, v) => s + v, 0) / Math.max(1, cores.length);
  return [r2(mean), ...cores];
}

export function cpuTempRow(ctx: WorldContext, t: number): number[] {
  const temps = ctx.metrics.current.cpu.cores.map((c, i) =>
    c.temp === null ? 0 : Math.round((c.temp + 3 * wobble(`ct${i}`, t)) * 10) / 10,
  );
  const live = temps.filter((v) => v > 0);
  return [...temps, live.length ? r2(live.reduce((s, v) => s + v, 0) / live.length) : 0];
}

export function memoryRow(ctx: WorldContext, t: number): number[] {
  const m = ctx.metrics.current.memory;
  return [Math.round(m.physical_memory_available * (1 + 0.01 * wobble("mem", t)))];
}

export function loadRow(ctx: WorldContext, t: number): number[] {
  const [a, b, c] = ctx.metrics.current.load;
  return [
    r2(Math.max(0, a * (1 + 0.5 * wobble("l1", t, 120)))),
    r2(Math.max(0, b * (1 + 0.2 * wobble("l5", t, 600)))),
    r2(Math.max(0, c * (1 + 0.1 * wobble("l15", t, 1800)))),
  ];
}

export function uptimeRow(ctx: WorldContext, t: number): number[] {
  return [Math.max(0, t - Math.floor(ctx.state.system.bootMs / 1000))];
}

export function arcRow(ctx: WorldContext, t: number): number[] {
  return [Math.round(ctx.metrics.current.memory.arc_size * (1 + 0.02 * wobble("arc", t)))];
}

/** Kilobits/s received and sent. */
export function interfaceRow(ctx: WorldContext, name: string, up: boolean, t: number): number[] {
  if (!up) return [0, 0];
  const tr = ctx.metrics.current.interfaces[name] ?? { rx: 0, tx: 0 };
  const kbit = (bytes: number, key: string): number =>
    r2(Math.max(0, ((bytes * 8) / 1000) * (1 + 0.8 * wobble(key, t, 300, 11))));
  return [kbit(tr.rx, `${name}rx`), kbit(tr.tx, `${name}tx`)];
}

/** KiB/s read and written. */
export function diskRow(disk: DiskRecord, t: number): number[] {
  const n = disk.entry.name;
  return [
    r2(Math.max(0, disk.readKiB * (1 + 0.9 * wobble(`${n}r`, t, 300, 13)))),
    r2(Math.max(0, disk.writeKiB * (1 + 0.9 * wobble(`${n}w`, t, 300, 17)))),
  ];
}

/** °C; 25.10 collects disk temperatures every 300 s, so the value holds for 5 minutes. */
export function diskTempAt(disk: DiskRecord, t: number): number {
  const slot = Math.floor(t / 300) * 300;
  return Math.round(disk.baseTemp + 3 * wobble(`${disk.entry.name}temp`, slot, 7200, 1800));
}
