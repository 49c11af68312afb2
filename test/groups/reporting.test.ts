import { describe, expect, it } from "vitest";
import { makeNasIdentity } from "../../src/entities/ids.js";
import { reportingGroup } from "../../src/groups/reporting.js";
import { SimWorld } from "../../src/simulator/nas/world.js";
import { parseVersion } from "../../src/truenas/version.js";
import { worldCall } from "../support/worldCall.js";

const nas = makeNasIdentity({ hostId: "h", hostname: "nas01" });
const options = { datasets: { include: [], exclude: [], maxDepth: 1 } };

async function poll(world: SimWorld, latest: unknown, calls: Array<{ method: string }> = []) {
  const version = parseVersion(String(world.state.info.version));
  const raw = await reportingGroup.fetch({
    call: worldCall(world, calls as never),
    version,
    options,
    latest,
  });
  return reportingGroup.normalise(raw, { nas, version, options });
}

describe("reporting group", () => {
  it("turns a realtime payload into CPU, memory, ARC, disk and per-interface rates, without extra calls", async () => {
    const world = new SimWorld({ profile: "typical", version: "25.10" });
    const calls: Array<{ method: string }> = [];
    const snap = await poll(world, world.realtimeStats(), calls);
    expect(calls).toEqual([]);
    expect(snap.objects[0]!.doc).toMatchObject({
      cpu_usage: 7.9,
      cpu_temperature: 46.5,
      arc_size: 24696061952,
      disk_read: 4718592,
    });
    expect(snap.objects[0]!.doc.memory_usage).toBeCloseTo(38.8, 1);
    expect(
      snap.objects.filter((o) => o.ref.kind === "nicrate").map((o) => [o.ref.id, o.doc.received]),
    ).toEqual([
      ["enp3s0", 101552],
      ["enp4s0", 0],
    ]);
  });

  it("reads CPU temperature from netdata only when realtime has none", async () => {
    const world = new SimWorld({ profile: "typical", version: "25.10" });
    const rt = world.realtimeStats() as { cpu: { cpu: { temp: number | null } } };
    rt.cpu.cpu.temp = null;
    const calls: Array<{ method: string }> = [];
    const snap = await poll(world, rt, calls);
    expect(calls.map((c) => c.method)).toEqual(["reporting.netdata_get_data"]);
    expect(snap.objects[0]!.doc.cpu_temperature).toEqual(expect.any(Number));
  });

  it("shows nothing before the first payload or while 25.04's netdata is down", async () => {
    const world = new SimWorld({ profile: "typical", version: "25.04.2" });
    expect((await poll(world, undefined)).objects).toEqual([]);
    expect((await poll(world, { failed_to_connect: true })).objects).toEqual([]);
  });

  it("survives odd payloads", () => {
    const ctx = { nas, version: parseVersion("25.10.0"), options };
    for (const realtime of [null, 5, [], { cpu: 3, memory: null, interfaces: { x: null } }]) {
      const snap = reportingGroup.normalise({ realtime, cpuTemp: null }, ctx);
      for (const o of snap.objects)
        for (const v of Object.values(o.doc)) expect(v === undefined || Number.isNaN(v)).toBe(false);
    }
  });
});
