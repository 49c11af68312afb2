import { pollGroup } from "../support/groupHarness.js";
import { describe, expect, it } from "vitest";
import { deviceKey, makeNasIdentity, NAS_DEVICE } from "../../src/entities/ids.js";
import type { DiscoveryContext, GroupSnapshot } from "../../src/entities/model.js";
import { diffGroupPoll, EMPTY_VIEW, type RegistryMessage } from "../../src/entities/registry.js";
import { bridgeStateTopic, nasAvailabilityTopic } from "../../src/entities/topics.js";
import { DISK_FIELDS, disksGroup } from "../../src/groups/disks.js";
import { systemGroup } from "../../src/groups/system.js";
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
const NAS_SEED: GroupSnapshot = {
  group: "nas",
  devices: [{ key: NAS_DEVICE, name: "nas01" }],
  objects: [],
  entities: [],
};

const poll = pollGroup;

const clean = (snap: GroupSnapshot) =>
  snap.objects
    .flatMap((o) => Object.values({ ...o.doc, ...o.attributes }))
    .every((v) => v !== undefined && !Number.isNaN(v));

describe.each<SimVersion>([...SIM_VERSIONS])("disks group on %s", (version) => {
  it("shows one device per disk, keyed by its identifier, with the NAS's own values", async () => {
    const world = new SimWorld({ profile: "typical", version });
    const snap = await poll(disksGroup, world);
    const truth = world.state.disks as Array<Record<string, any>>;
    expect(snap.objects.map((o) => o.ref)).toEqual(truth.map((d) => ({ kind: "disk", id: d.identifier })));
    for (const [i, d] of truth.entries()) {
      const o = snap.objects[i]!;
      expect(o.device).toBe(deviceKey(o.ref));
      expect(o.doc).toEqual({
        name: d.name,
        pool: d.pool,
        size: d.size,
        type: String(d.type).toLowerCase(),
        rotation_rate: d.rotationrate,
        bus: d.bus,
      });
      expect(o.attributes).toMatchObject({ identifier: d.identifier, serial: d.serial, model: d.model });
      expect(snap.devices[i]).toEqual({
        key: o.device,
        name: `nas01 disk ${d.name}`,
        model: d.model,
        serialNumber: d.serial,
        viaDevice: NAS_DEVICE,
      });
    }
    expect(snap.objects.map((o) => o.doc.pool)).toEqual([
      "boot-pool",
      "tank",
      "tank",
      "tank",
      "tank",
      "tank",
      "fast",
      "fast",
    ]);
    expect(snap.entities.filter((e) => e.object === snap.objects[1]!.ref).map((e) => e.key)).toEqual([
      "pool",
      "size",
      "type",
      "rotation_rate",
      "bus",
    ]);
    expect(clean(snap)).toBe(true);
  });

  it("asks for the pool names and only the fields it shows, in one call", async () => {
    const calls: Array<{ method: string; params: readonly unknown[] }> = [];
    await poll(disksGroup, new SimWorld({ profile: "typical", version }), calls);
    expect(calls).toEqual([
      { method: "disk.query", params: [[], { select: DISK_FIELDS, extra: { pools: true } }] },
    ]);
    expect(DISK_FIELDS).not.toContain("togglesmart");
  });

  it("publishes discovery that the HA validator accepts", async () => {
    const world = new SimWorld({ profile: "typical", version });
    const registry = { context, removeAfterPolls: 1 };
    let view = diffGroupPoll(EMPTY_VIEW, NAS_SEED, registry).view;
    // The NAS device's own entities (system group) make the disks' via_device resolvable in the set.
    const messages: RegistryMessage[] = [];
    for (const snap of [await poll(systemGroup, world), await poll(disksGroup, world)]) {
      const diff = diffGroupPoll(view, snap, registry);
      expect(diff.issues).toEqual([]);
      messages.push(...diff.messages);
      view = diff.view;
    }
    const configs = messages.filter((m) => m.kind === "config");
    expect(configs.filter((m) => m.topic.includes("/disk_"))).toHaveLength(8 * 5);
    expect(
      validateDiscoverySet(configs, {
        project: true,
        availabilityTopics: [bridgeStateTopic(context.topics), nasAvailabilityTopic(context.topics, nas.id)],
      }),
    ).toEqual([]);
  });

  it("follows disks added and removed (disk.query events)", async () => {
    const world = new SimWorld({ profile: "typical", version });
    const added = world.control.addDisk({ pool: null });
    world.control.removeDisk("sdc");
    const snap = await poll(disksGroup, world);
    const ids = snap.objects.map((o) => o.ref.id);
    expect(ids).toContain(added.identifier);
    expect(ids).not.toContain("{serial_lunid}WD-CA0AB2D7_5000cca0bc1234b2");
    expect(snap.objects.find((o) => o.ref.id === added.identifier)!.doc.pool).toBeNull();
    expect(disksGroup.events).toEqual(["disk.query"]);
  });
});

describe("disks group on odd input", () => {
  it.each([
    null,
    5,
    "x",
    {},
    [],
    [null, 5, "x", []],
    [{ identifier: "" }, { identifier: 7, size: "NaN", rotationrate: 0, enclosure: [] }],
    [
      { identifier: "a", name: null, serial: "", type: 3, pool: {}, enclosure: { slot: "x" } },
      { identifier: "a" },
    ],
  ])("%j", (raw) => {
    const snap = disksGroup.normalise(raw, { nas, version: parseVersion("25.10.0"), options });
    expect(clean(snap)).toBe(true);
    expect(new Set(snap.objects.map((o) => o.ref.id)).size).toBe(snap.objects.length);
    for (const d of snap.devices) expect(d.name).not.toMatch(/null|undefined/);
  });
});
