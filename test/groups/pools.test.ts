import { describe, expect, it } from "vitest";
import { makeNasIdentity } from "../../src/entities/ids.js";
import type { FetchContext } from "../../src/groups/group.js";
import { poolsGroup } from "../../src/groups/pools.js";
import { SimWorld } from "../../src/simulator/nas/world.js";
import { parseVersion } from "../../src/truenas/version.js";
import { worldCall } from "../support/worldCall.js";

const nas = makeNasIdentity({ hostId: "f3a9c2d1", hostname: "nas01" });
const options = { datasets: { include: [], exclude: [], maxDepth: 1 } };

async function poll(world: SimWorld, calls?: Array<{ method: string; params: readonly unknown[] }>) {
  const version = parseVersion(String(world.state.info.version));
  const ctx: FetchContext = { call: worldCall(world, calls), version, options };
  return poolsGroup.normalise(await poolsGroup.fetch(ctx), { nas, version, options });
}

describe("pools group", () => {
  it("shows every pool with status, space from the root dataset, scrub and vdev errors", async () => {
    const snap = await poll(new SimWorld({ profile: "typical", version: "25.10" }));
    expect(snap.objects.map((o) => o.doc.name)).toEqual(["tank", "fast"]);
    const tank = snap.objects[0]!.doc;
    expect(tank).toMatchObject({
      status: "online",
      healthy: true,
      used: 13106178603089,
      available: 10346404417372,
      scrub_state: "finished",
      scrub_progress: null,
    });
    expect(tank.usage_percent).toBeGreaterThan(0);
    expect(tank.last_scrub_end).toBeInstanceOf(Date);
    const fast = snap.objects[1]!.doc;
    expect(fast).toMatchObject({ healthy: false, scrub_state: "scanning" });
    expect(fast.checksum_errors).toBe(4);
    expect(typeof fast.scrub_progress).toBe("number");
  });

  it("gives each pool its own device under the NAS, keyed by the pool guid", async () => {
    const snap = await poll(new SimWorld({ profile: "typical", version: "25.10" }));
    expect(snap.devices.map((d) => [d.name, d.viaDevice])).toEqual([
      ["nas01 pool tank", "nas"],
      ["nas01 pool fast", "nas"],
    ]);
    expect(snap.objects[0]!.ref).toEqual({ kind: "pool", id: "16518270468734211597" });
    expect(snap.entities.filter((e) => e.object === snap.objects[0]!.ref)).toHaveLength(16);
  });

  it("asks the NAS for only what it shows: select on pools, one filtered call for the root datasets", async () => {
    const calls: Array<{ method: string; params: readonly unknown[] }> = [];
    await poll(new SimWorld({ profile: "large", version: "25.10" }), calls);
    expect(calls.map((c) => c.method)).toEqual(["pool.query", "pool.dataset.query"]);
    expect(calls[1]!.params[0]).toEqual([
      [
        "id",
        "in",
        ["pool00", "pool01", "pool02", "pool03", "pool04", "pool05", "pool06", "pool07", "pool08", "pool09"],
      ],
    ]);
  });

  it("follows a degraded pool", async () => {
    const world = new SimWorld({ profile: "typical", version: "25.04.2" });
    world.control.degradePool("tank");
    const tank = (await poll(world)).objects[0]!.doc;
    expect(tank).toMatchObject({ status: "degraded", healthy: false });
    expect(tank.write_errors).toBe(12);
  });

  it("never throws on odd input and never emits NaN or undefined", () => {
    const version = parseVersion("25.10.0");
    for (const pools of [
      null,
      [],
      [null],
      [{}],
      [{ guid: "1", name: "x", size: "NaN", scan: 5, topology: { data: [{ children: "x" }] } }],
    ]) {
      const snap = poolsGroup.normalise({ pools, roots: { bad: true } }, { nas, version, options });
      for (const o of snap.objects)
        for (const v of Object.values(o.doc)) expect(v === undefined || Number.isNaN(v)).toBe(false);
    }
  });
});
