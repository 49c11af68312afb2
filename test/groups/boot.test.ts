import { pollGroup, type CallLog } from "../support/groupHarness.js";
import { describe, expect, it } from "vitest";
import { makeNasIdentity, NAS_DEVICE } from "../../src/entities/ids.js";
import type { DiscoveryContext, GroupSnapshot } from "../../src/entities/model.js";
import { diffGroupPoll, EMPTY_VIEW } from "../../src/entities/registry.js";
import { bridgeStateTopic, nasAvailabilityTopic } from "../../src/entities/topics.js";
import { bootGroup } from "../../src/groups/boot.js";
import { SimWorld } from "../../src/simulator/nas/world.js";
import { SIM_VERSIONS, type SimVersion } from "../../src/simulator/types.js";
import { parseVersion } from "../../src/truenas/version.js";
import { validateDiscoverySet } from "../support/haDiscoveryValidator.js";

const nas = makeNasIdentity({ hostId: "f3a9c2d1", hostname: "nas01" });
const options = { datasets: { include: [], exclude: [], maxDepth: 1 } };
const context: DiscoveryContext = {
  topics: { baseTopic: "truenas2mqtt", discoveryPrefix: "homeassistant" },
  nas,
  origin: { swVersion: "0.1.0" },
};

const poll = (world: SimWorld, calls?: CallLog) => pollGroup(bootGroup, world, calls);

const clean = (snap: GroupSnapshot) =>
  snap.objects
    .flatMap((o) => Object.values({ ...o.doc, ...o.attributes }))
    .every((v) => v !== undefined && !Number.isNaN(v));

describe.each<SimVersion>([...SIM_VERSIONS])("boot group on %s", (version) => {
  it("shows the boot pool's status, health, space and last scrub as the NAS reports them", async () => {
    const world = new SimWorld({ profile: "typical", version });
    const truth = world.state.boot as Record<string, any>;
    const snap = await poll(world);
    expect(snap.devices).toEqual([]);
    expect(snap.objects).toHaveLength(1);
    const boot = snap.objects[0]!;
    expect(boot.ref).toEqual({ kind: "boot", id: "boot-pool" });
    expect(boot.device).toBe(NAS_DEVICE);
    expect(boot.doc).toMatchObject({
      name: truth.name,
      status: String(truth.status).toLowerCase(),
      healthy: truth.healthy,
      used: truth.allocated,
      usage_percent: Math.round((truth.allocated / truth.size) * 1000) / 10,
      last_scrub_end: truth.scan.end_time,
    });
    expect(boot.attributes).toMatchObject({ disks: ["sda"], size: truth.size, free: truth.free });
    expect(clean(snap)).toBe(true);
    expect(snap.entities.map((e) => [e.key, e.name, e.component])).toEqual([
      ["status", "Boot pool status", "sensor"],
      ["problem", "Boot pool problem", "binary_sensor"],
      ["used", "Boot pool used", "sensor"],
      ["usage", "Boot pool usage", "sensor"],
      ["last_scrub", "Boot pool last scrub", "sensor"],
    ]);
  });

  it("makes one call, boot.get_state, without arguments", async () => {
    const calls: Array<{ method: string; params: readonly unknown[] }> = [];
    await poll(new SimWorld({ profile: "typical", version }), calls);
    expect(calls).toEqual([{ method: "boot.get_state", params: [] }]);
  });

  it("publishes discovery that the HA validator accepts", async () => {
    const seed: GroupSnapshot = {
      group: "nas",
      devices: [{ key: NAS_DEVICE, name: "nas01" }],
      objects: [],
      entities: [],
    };
    const seeded = diffGroupPoll(EMPTY_VIEW, seed, { context, removeAfterPolls: 1 });
    const snap = await poll(new SimWorld({ profile: "typical", version }));
    const { messages, issues } = diffGroupPoll(seeded.view, snap, { context, removeAfterPolls: 1 });
    expect(issues).toEqual([]);
    const configs = messages.filter((m) => m.kind === "config");
    expect(configs).toHaveLength(5);
    expect(
      validateDiscoverySet(configs, {
        project: true,
        availabilityTopics: [bridgeStateTopic(context.topics), nasAvailabilityTopic(context.topics, nas.id)],
      }),
    ).toEqual([]);
  });

  it("follows a degraded boot pool on the next poll", async () => {
    const world = new SimWorld({ profile: "typical", version });
    // No control exists for the boot pool (it has no events either): change the simulator's state directly.
    Object.assign(world.state.boot, { status: "DEGRADED", healthy: false, status_code: "DEGRADED" });
    expect((await poll(world)).objects[0]!.doc).toMatchObject({ status: "degraded", healthy: false });
  });
});

describe("boot group on odd input", () => {
  it.each([
    null,
    5,
    "x",
    [],
    [null],
    {},
    { name: 7 },
    { name: "boot-pool", size: "NaN", allocated: {}, scan: 5, topology: { data: [null, { children: "x" }] } },
    { name: "boot-pool", status: null, scan: { end_time: "yesterday" }, topology: [] },
  ])("%j", (raw) => {
    const ctx = { nas, version: parseVersion("25.10.0"), options };
    const snap = bootGroup.normalise(raw, ctx);
    expect(clean(snap)).toBe(true);
    for (const o of snap.objects) expect(o.doc.last_scrub_end).toBeNull();
  });
});
