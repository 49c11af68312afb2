/**
 * Netdata history (truenas-api.md §3.15): windows and resolution, silent drops of bad identifiers, the KeyError of
 * plugin-less graphs, validation errors, aliases, aggregations, and repeatable answers.
 */
import { describe, expect, it } from "vitest";
import { SimWorld } from "../../../src/simulator/world/world.js";
import { SAMPLE_NOW_MS, callError, callWire, wire } from "./helpers.js";

const world = () => new SimWorld({ profile: "typical", version: "25.10", now: () => SAMPLE_NOW_MS });
const NOW_S = SAMPLE_NOW_MS / 1000;
const get = (w: SimWorld, graphs: unknown[], query?: unknown) =>
  callWire(w, "reporting.netdata_get_data", query === undefined ? [graphs] : [graphs, query]);

describe("windows", () => {
  it("defaults to the last hour at 2 s resolution", () => {
    const [cpu] = get(world(), [{ name: "cpu" }]);
    expect([cpu.start, cpu.end]).toEqual([NOW_S - 3600, NOW_S]);
    expect(cpu.data).toHaveLength(1800);
    expect(cpu.legend).toEqual(["time", "cpu", "cpu0", "cpu1", "cpu2", "cpu3"]);
    for (const row of cpu.data) expect(row).toHaveLength(6);
  });

  it("unit x page; a DAY is cut to at most 2999 points", () => {
    const [day] = get(world(), [{ name: "load" }], { unit: "DAY" });
    expect(day.end - day.start).toBe(86400);
    expect(day.data.length).toBeLessThanOrEqual(2999);
    expect(day.data[1][0] - day.data[0][0]).toBe(29);
    const [two] = get(world(), [{ name: "load" }], { unit: "HOUR", page: 2 });
    expect(two.end - two.start).toBe(7200);
  });

  it("explicit start/end in epoch seconds", () => {
    const [mem] = get(world(), [{ name: "memory" }], { start: NOW_S - 600, end: NOW_S - 300 });
    expect([mem.start, mem.end, mem.data.length]).toEqual([NOW_S - 600, NOW_S - 300, 150]);
    expect(mem.legend).toEqual(["time", "available"]);
  });
});

describe("graph selection", () => {
  it("drops graphs whose identifier is missing or unknown, without an error", () => {
    const got = get(world(), [
      { name: "disk" },
      { name: "disk", identifier: "sdz | nope" },
      { name: "interface", identifier: "eth9" },
      { name: "upsvoltage", identifier: "battery" },
      { name: "interface", identifier: "enp3s0" },
      {
        name: "disktemp",
        identifier: "nvme1n1 | Type: SSD | Model: Samsung SSD 980 PRO 1TB | Serial: S5GXNF0T301187M",
      },
    ]);
    expect(got.map((g: any) => [g.name, g.legend])).toEqual([
      ["interface", ["time", "received", "sent"]],
      ["disktemp", ["time", "temperature_value"]],
    ]);
    expect(got[1].data[0][1]).toBeGreaterThan(30);
  });

  it("graphs without a plugin fail with the KeyError", () => {
    const err = callError(world(), "reporting.netdata_get_data", [[{ name: "cpu" }, { name: "arcrate" }]]);
    expect(err).toMatchObject({ code: -32001, data: { errname: "EINVAL", reason: "'arcrate'" } });
  });

  it("validation: no graphs, an unknown graph, unit with start", () => {
    expect(callError(world(), "reporting.netdata_get_data", [[]]).code).toBe(-32602);
    expect(callError(world(), "reporting.netdata_get_data", [[{ name: "gpu" }]]).data.extra[0][0]).toBe(
      "graphs.0.name",
    );
    expect(
      callError(world(), "reporting.netdata_get_data", [[{ name: "cpu" }], { unit: "HOUR", start: 1 }]).code,
    ).toBe(-32602);
  });

  it("a down interface is all zeros (the trailing zero row dropped); an up one is in kilobits/s", () => {
    const [down, up] = get(world(), [
      { name: "interface", identifier: "enp4s0" },
      { name: "interface", identifier: "enp3s0" },
    ]);
    expect(down.data).toHaveLength(1799);
    expect(down.data.every((r: number[]) => r[1] === 0 && r[2] === 0)).toBe(true);
    // realtime says ~1.28 MB/s sent, i.e. ~10,000 kbit/s.
    expect(up.aggregations.mean.sent).toBeGreaterThan(3000);
    expect(up.aggregations.mean.sent).toBeLessThan(30000);
  });
});

describe("answers", () => {
  it("aggregations are min <= mean <= max per series", () => {
    const [cpu] = get(world(), [{ name: "cputemp" }]);
    for (const s of cpu.legend.slice(1)) {
      expect(cpu.aggregations.min[s]).toBeLessThanOrEqual(cpu.aggregations.mean[s]);
      expect(cpu.aggregations.mean[s]).toBeLessThanOrEqual(cpu.aggregations.max[s]);
    }
  });

  it("aliases answer the same and history queries do not disturb the world", () => {
    const w = world();
    const before = wire(w.realtimeStats());
    const q = [[{ name: "arcsize" }, { name: "uptime" }]];
    expect(callWire(w, "reporting.get_data", q)).toEqual(callWire(w, "reporting.netdata_get_data", q));
    expect(callWire(w, "reporting.graphs")).toEqual(callWire(w, "reporting.netdata_graphs"));
    expect(wire(w.realtimeStats())).toEqual(before);
  });

  it("netdata down: history comes back empty", () => {
    const w = world();
    w.control.setNetdataDown(true);
    expect(get(w, [{ name: "cpu" }])).toEqual([]);
  });
});
