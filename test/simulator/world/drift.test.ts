/**
 * The world is alive and reproducible: `advance` drifts telemetry inside realistic bounds in fixed 2 s steps, the
 * same seed gives the same run however `advance` is chunked, and wall-clock fields follow the injected clock.
 */
import { describe, expect, it } from "vitest";
import { SimWorld } from "../../../src/simulator/world/world.js";
import { SAMPLE_NOW_MS, callWire, clockedWorld, shape, wire } from "./helpers.js";

const run = (seed: number, chunks: number[]) => {
  const t = clockedWorld({ seed });
  for (const ms of chunks) t.tick(ms);
  return {
    realtime: wire(t.world.realtimeStats()),
    temps: t.world.call("disk.temperatures", [[]]),
    events: t.events.map(wire),
  };
};

describe("determinism", () => {
  it("the same seed and steps give the same telemetry and events", () => {
    expect(run(42, [60_000])).toEqual(run(42, [60_000]));
    expect(run(42, [60_000]).realtime).not.toEqual(run(43, [60_000]).realtime);
  });

  it("the outcome does not depend on how advance is chunked", () => {
    // On a fixed clock even the events' timestamps agree.
    const fixed = (chunks: number[]) => {
      const w = new SimWorld({ profile: "typical", version: "25.10", seed: 7, now: () => SAMPLE_NOW_MS });
      const events: unknown[] = [];
      w.onEvent((e) => events.push(wire(e)));
      for (const ms of chunks) w.advance(ms);
      return { realtime: wire(w.realtimeStats()), events };
    };
    expect(fixed([10_000])).toEqual(fixed([2000, 2000, 2000, 2000, 2000]));
    expect(fixed([3000, 7000])).toEqual(fixed([10_000]));
    expect(run(7, [1000, 1000]).realtime).toEqual(run(7, [2000]).realtime);
    const w = new SimWorld({ profile: "typical", version: "25.10", now: () => SAMPLE_NOW_MS });
    const before = wire(w.realtimeStats());
    w.advance(1999);
    expect(wire(w.realtimeStats())).toEqual(before);
  });

  it("the large profile is generated identically from a seed", () => {
    const a = new SimWorld({ profile: "large", version: "25.10", seed: 9, now: () => SAMPLE_NOW_MS });
    const b = new SimWorld({ profile: "large", version: "25.10", seed: 9, now: () => SAMPLE_NOW_MS });
    const c = new SimWorld({ profile: "large", version: "25.10", seed: 10, now: () => SAMPLE_NOW_MS });
    const disks = (w: SimWorld) =>
      callWire(w, "disk.query", [[], { select: ["identifier", "pool"], extra: { pools: true } }]);
    expect(disks(a)).toEqual(disks(b));
    expect(disks(a)).not.toEqual(disks(c));
    expect(callWire(a, "app.query", [[], { select: ["name", "state"] }])).toEqual(
      callWire(b, "app.query", [[], { select: ["name", "state"] }]),
    );
  });
});

describe("drift", () => {
  it("moves CPU, load, ARC, traffic and disk I/O, and keeps the payload's shape", () => {
    const t = clockedWorld({ seed: 3 });
    const before = wire(t.world.realtimeStats());
    t.tick(30_000);
    const after = wire(t.world.realtimeStats());
    expect(shape(after)).toEqual(shape(before));
    expect(after.cpu.cpu0.usage).not.toBe(before.cpu.cpu0.usage);
    expect(after.memory.arc_size).not.toBe(before.memory.arc_size);
    expect(after.interfaces.enp3s0.received_bytes_rate).not.toBe(
      before.interfaces.enp3s0.received_bytes_rate,
    );
    expect(after.disks.read_ops).not.toBe(before.disks.read_ops);
    expect(callWire(t.world, "system.info").loadavg).not.toEqual([0.42, 0.55, 0.61]);
  });

  it("stays inside realistic bounds over six simulated hours", () => {
    const t = clockedWorld({ seed: 11 });
    const baseTemps = t.world.call("disk.temperatures", [[]]) as Record<string, number>;
    for (let i = 0; i < 36; i++) {
      t.tick(600_000);
      const r = wire(t.world.realtimeStats());
      const cpus = Object.values<{ usage: number; temp: number }>(r.cpu);
      for (const c of cpus) {
        expect(c.usage).toBeGreaterThanOrEqual(0);
        expect(c.usage).toBeLessThanOrEqual(100);
        expect(c.temp).toBeGreaterThanOrEqual(25);
        expect(c.temp).toBeLessThanOrEqual(95);
      }
      expect(r.memory.arc_size).toBeLessThan(r.memory.physical_memory_total);
      expect(r.memory.physical_memory_available).toBeLessThanOrEqual(r.memory.physical_memory_total);
      expect(r.zfs.demand_data_hit_percentage).toBeLessThanOrEqual(100);
      expect(r.zfs.demand_data_misses_per_second).toBeGreaterThanOrEqual(0);
      expect(r.interfaces.enp3s0.sent_bytes_rate).toBeGreaterThanOrEqual(0);
      expect(r.disks.busy).toBeGreaterThanOrEqual(0);
      for (const l of callWire(t.world, "system.info").loadavg) expect(l).toBeGreaterThanOrEqual(0);
      const temps = t.world.call("disk.temperatures", [[]]) as Record<string, number>;
      for (const [disk, temp] of Object.entries(temps)) {
        expect(temp).toBeGreaterThanOrEqual((baseTemps[disk] as number) - 5);
        expect(temp).toBeLessThanOrEqual((baseTemps[disk] as number) + 8);
      }
    }
  });

  it("uptime, datetime and boottime follow the clock", () => {
    const t = clockedWorld();
    const before = callWire(t.world, "system.info");
    t.tick(3_600_000);
    const after = callWire(t.world, "system.info");
    expect(after.uptime_seconds - before.uptime_seconds).toBeCloseTo(3600, 6);
    expect(after.datetime.$date).toBe(SAMPLE_NOW_MS + 3_600_000);
    expect(after.boottime).toEqual(before.boottime);
    expect(after.uptime).toBe("12 days, 4:14:07.532118");
    expect(
      callWire(t.world, "reporting.netdata_get_data", [[{ name: "uptime" }]])[0].data.at(-1)[1],
    ).toBeGreaterThan(before.uptime_seconds);
  });

  it("the realtime pools figures lag: netdata samples pools every 300 s", () => {
    const t = clockedWorld();
    t.world.control.setDatasetSpace("tank", { used: 14e12 });
    t.tick(298_000);
    expect(wire(t.world.realtimeStats()).pools.tank.used).toBe(13106223521300);
    t.tick(2000);
    expect(wire(t.world.realtimeStats()).pools.tank.used).toBe(14e12);
  });

  it("a world built at any instant keeps the profile's relative times", () => {
    const later = SAMPLE_NOW_MS + 86_400_000 * 30;
    const w = new SimWorld({ profile: "typical", version: "25.10", now: () => later });
    const info = callWire(w, "system.info");
    expect(info.datetime.$date - info.boottime.$date).toBe(1762179600000 - 1761131153000);
    const [fast] = callWire(w, "pool.query", [[["name", "=", "fast"]]]);
    expect(later - fast.scan.start_time.$date).toBe(420_000);
  });
});
