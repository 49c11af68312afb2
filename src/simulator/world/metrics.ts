/**
 * Live telemetry: CPU (aggregate and per core, usage and temperature), load averages, memory and ARC, the ARC
 * counters, whole-system disk I/O and per-interface traffic. `tick` drifts every value with a mean-reverting
 * random walk inside realistic bounds; `realtime` shapes them as the `reporting.realtime` event's `fields`
 * per release (`plugins/reporting/realtime_reporting/*.py`; truenas-api.md §2.4).
 */
import type { SimVersion } from "../types.js";
import type { InterfaceEntry } from "./model.js";
import type { Rng } from "./random.js";

export interface CpuSample {
  usage: number;
  temp: number | null;
}

export interface MemoryStats {
  arc_size: number;
  arc_free_memory: number;
  arc_available_memory: number;
  physical_memory_total: number;
  physical_memory_available: number;
}

export interface DiskIoStats {
  read_ops: number;
  read_bytes: number;
  write_ops: number;
  write_bytes: number;
  busy: number;
}

export interface MetricsInit {
  cpu: { aggregate: CpuSample; cores: CpuSample[] };
  load: [number, number, number];
  memory: MemoryStats;
  /** The 22 ARC counters of the realtime `zfs` object, in wire order. */
  zfs: Record<string, number>;
  disks: DiskIoStats;
  /** Bytes/s per interface name. */
  interfaces: Record<string, { rx: number; tx: number }>;
  /**
   * Netdata's last pool sample (25.10 realtime `pools`): it is collected every 300 s, so it lags the datasets.
   * Missing: taken from the pools' root datasets at start.
   */
  pools?: Record<string, { used: number; available: number }>;
}

export interface PoolUsage {
  name: string;
  used: number;
  available: number;
}

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;
const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/** One Ornstein-Uhlenbeck step towards `mean`. */
function ou(rng: Rng, x: number, mean: number, sigma: number, dt: number, theta = 0.15): number {
  return x + theta * (mean - x) * dt + sigma * Math.sqrt(dt) * rng.normal();
}

/** "2500Mb/s" -> 2500 (link speed in Mbit/s as `realtime` reports it). */
export function linkSpeed(iface: InterfaceEntry): number {
  if (iface.state.link_state !== "LINK_STATE_UP") return 0;
  const m = /^(\d+)Mb\/s$/.exec(iface.state.active_media_subtype);
  return m ? Number(m[1]) : 1000;
}

export class Metrics {
  readonly current: MetricsInit;
  readonly #base: MetricsInit;

  constructor(init: MetricsInit) {
    this.current = structuredClone(init);
    this.#base = structuredClone(init);
  }

  /** Drift everything by `dt` seconds. */
  tick(rng: Rng, dt: number): void {
    this.#tickCpu(rng, dt);
    const [l1, l5, l15] = this.current.load;
    const target = this.#base.load[0] * (0.5 + this.current.cpu.aggregate.usage / 16);
    const short = clamp(ou(rng, l1, target, 0.05, dt, 0.3), 0, 64);
    this.current.load = [
      round(short, 2),
      round(l5 + (short - l5) * (1 - Math.exp(-dt / 300)), 2),
      round(l15 + (short - l15) * (1 - Math.exp(-dt / 900)), 2),
    ];
    this.#tickMemory(rng, dt);
    this.#tickZfs(rng, dt);
    this.#tickDisks(rng, dt);
    for (const [name, traffic] of Object.entries(this.current.interfaces)) {
      const base = this.#base.interfaces[name] ?? { rx: 0, tx: 0 };
      traffic.rx = Math.round(clamp(ou(rng, traffic.rx, base.rx, base.rx * 0.1 + 1, dt), 0, 1.25e9));
      traffic.tx = Math.round(clamp(ou(rng, traffic.tx, base.tx, base.tx * 0.1 + 1, dt), 0, 1.25e9));
    }
  }

  #tickCpu(rng: Rng, dt: number): void {
    const { cores } = this.current.cpu;
    cores.forEach((core, i) => {
      const base = this.#base.cpu.cores[i] ?? core;
      core.usage = round(clamp(ou(rng, core.usage, base.usage, 3, dt, 0.3), 0, 100), 2);
      if (core.temp !== null && base.temp !== null) {
        const target = base.temp + 0.25 * (core.usage - base.usage);
        core.temp = round(clamp(ou(rng, core.temp, target, 0.4, dt, 0.2), 25, 95), 1);
      }
    });
    const temps = cores.map((c) => c.temp).filter((t): t is number => t !== null);
    this.current.cpu.aggregate = {
      usage: round(cores.reduce((s, c) => s + c.usage, 0) / Math.max(1, cores.length), 2),
      temp: temps.length === 0 ? null : round(temps.reduce((s, t) => s + t, 0) / temps.length, 2),
    };
  }

  #tickMemory(rng: Rng, dt: number): void {
    const m = this.current.memory;
    const b = this.#base.memory;
    m.arc_size = Math.round(
      clamp(ou(rng, m.arc_size, b.arc_size, b.arc_size * 0.002, dt), 0, b.physical_memory_total * 0.9),
    );
    m.physical_memory_available = Math.round(
      clamp(
        ou(
          rng,
          m.physical_memory_available,
          b.physical_memory_available,
          b.physical_memory_total * 0.001,
          dt,
        ),
        b.physical_memory_total * 0.02,
        b.physical_memory_total,
      ),
    );
    m.arc_free_memory = Math.round(
      clamp(ou(rng, m.arc_free_memory, b.arc_free_memory, 2 ** 24, dt), 0, m.physical_memory_available),
    );
    m.arc_available_memory = Math.round(
      clamp(ou(rng, m.arc_available_memory, b.arc_available_memory, 2 ** 24, dt), 0, m.physical_memory_total),
    );
  }

  /** Drift the demand accesses and hit ratios, then derive the dependent counters so they stay consistent. */
  #tickZfs(rng: Rng, dt: number): void {
    const z = this.current.zfs;
    const b = this.#base.zfs;
    const total = Math.round(
      clamp(ou(rng, z.demand_accesses_per_second ?? 0, b.demand_accesses_per_second ?? 0, 20, dt), 0, 1e7),
    );
    const dataShare =
      (b.demand_data_accesses_per_second ?? 0) / Math.max(1, b.demand_accesses_per_second ?? 1);
    const data = Math.round(total * dataShare);
    const meta = total - data;
    const dataHit = clamp(
      ou(rng, z.demand_data_hit_percentage ?? 96, b.demand_data_hit_percentage ?? 96, 0.5, dt),
      50,
      100,
    );
    const metaHit = clamp(
      ou(rng, z.demand_metadata_hit_percentage ?? 99, b.demand_metadata_hit_percentage ?? 99, 0.2, dt),
      50,
      100,
    );
    const dataHits = Math.round((data * dataHit) / 100);
    const metaHits = Math.round((meta * metaHit) / 100);
    Object.assign(z, {
      demand_accesses_per_second: total,
      demand_data_accesses_per_second: data,
      demand_metadata_accesses_per_second: meta,
      demand_data_hits_per_second: dataHits,
      demand_data_misses_per_second: data - dataHits,
      demand_data_hit_percentage: Math.round(dataHit),
      demand_data_miss_percentage: 100 - Math.round(dataHit) - (z.demand_data_io_hit_percentage ?? 0),
      demand_metadata_hits_per_second: metaHits,
      demand_metadata_misses_per_second: meta - metaHits,
      demand_metadata_hit_percentage: Math.round(metaHit),
      demand_metadata_miss_percentage: 100 - Math.round(metaHit) - (z.demand_metadata_io_hit_percentage ?? 0),
    });
  }

  #tickDisks(rng: Rng, dt: number): void {
    const d = this.current.disks;
    const b = this.#base.disks;
    d.read_ops = Math.round(clamp(ou(rng, d.read_ops, b.read_ops, b.read_ops * 0.1 + 1, dt), 0, 1e6));
    d.write_ops = Math.round(clamp(ou(rng, d.write_ops, b.write_ops, b.write_ops * 0.1 + 1, dt), 0, 1e6));
    const readSize = b.read_ops > 0 ? b.read_bytes / b.read_ops : 131072;
    const writeSize = b.write_ops > 0 ? b.write_bytes / b.write_ops : 65536;
    // Netdata reports KiB/s, which the plugin multiplies back to bytes: whole KiB.
    d.read_bytes = Math.round((d.read_ops * readSize) / 1024) * 1024;
    d.write_bytes = Math.round((d.write_ops * writeSize) / 1024) * 1024;
    d.busy = round(clamp(ou(rng, d.busy, b.busy, 0.5, dt), 0, 100), 1);
  }

  /**
   * `reporting.realtime` fields: 25.10 adds `pools`; 25.04 has `failed_to_connect: false` instead. Every
   * interface of `interface.query` is listed; down ones also carry zero byte totals.
   */
  /** Take a new pool sample (every 300 s of drift, and at start when the profile gave none). */
  samplePools(pools: readonly PoolUsage[]): void {
    this.current.pools = Object.fromEntries(
      pools.map((p) => [p.name, { used: p.used, available: p.available }]),
    );
  }

  realtime(version: SimVersion, interfaces: readonly InterfaceEntry[]): Record<string, unknown> {
    const c = this.current;
    const cpu: Record<string, CpuSample> = { cpu: { ...c.cpu.aggregate } };
    c.cpu.cores.forEach((core, i) => (cpu[`cpu${i}`] = { ...core }));
    const out: Record<string, unknown> = {
      zfs: { ...c.zfs },
      memory: { ...c.memory },
      cpu,
      disks: { ...c.disks },
      interfaces: Object.fromEntries(interfaces.map((i) => [i.name, this.#interfaceStats(i)])),
    };
    if (version === "25.10") {
      out.pools = Object.fromEntries(
        Object.entries(c.pools ?? {})
          .filter(([, p]) => p.used > 0 || p.available > 0)
          .map(([name, p]) => [name, { available: p.available, used: p.used, total: p.available + p.used }]),
      );
    } else {
      out.failed_to_connect = false;
    }
    return out;
  }

  #interfaceStats(iface: InterfaceEntry): Record<string, unknown> {
    const linkState = iface.state.link_state;
    if (linkState !== "LINK_STATE_UP") {
      return {
        link_state: linkState,
        speed: 0,
        received_bytes: 0,
        sent_bytes: 0,
        received_bytes_rate: 0,
        sent_bytes_rate: 0,
      };
    }
    const t = this.current.interfaces[iface.name] ?? { rx: 0, tx: 0 };
    return {
      link_state: linkState,
      speed: linkSpeed(iface),
      received_bytes_rate: t.rx,
      sent_bytes_rate: t.tx,
    };
  }
}
