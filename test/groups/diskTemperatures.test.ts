import { pollGroup } from "../support/groupHarness.js";
import { describe, expect, it } from "vitest";
import { deviceKey, makeNasIdentity, NAS_DEVICE } from "../../src/entities/ids.js";
import type { DiscoveryContext, GroupSnapshot } from "../../src/entities/model.js";
import { diffGroupPoll, EMPTY_VIEW, type RegistryMessage } from "../../src/entities/registry.js";
import { bridgeStateTopic, nasAvailabilityTopic } from "../../src/entities/topics.js";
import { diskTemperaturesGroup } from "../../src/groups/diskTemperatures.js";
import { disksGroup } from "../../src/groups/disks.js";
import { systemGroup } from "../../src/groups/system.js";
import { SimWorld } from "../../src/simulator/nas/world.js";
import { SIM_VERSIONS, type SimVersion } from "../../src/simulator/types.js";
import { rpcErrorFrom } from "../../src/truenas/errors.js";
import { parseVersion } from "../../src/truenas/version.js";
import { validateDiscoverySet } from "../support/haDiscoveryValidator.js";
import { worldCall } from "../support/worldCall.js";

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
const NAMES = ["sda", "sdb", "sdc", "sdd", "sde", "sdf", "nvme0n1", "nvme1n1"];

const poll = pollGroup;

const clean = (snap: GroupSnapshot) =>
  snap.objects
    .flatMap((o) => Object.values({ ...o.doc, ...o.attributes }))
    .every((v) => v !== undefined && !Number.isNaN(v));

/** A too-hot alert as each version's alert source raises it (truenas-api.md §3.8). */
function raiseTooHot(world: SimWorld, disk: string): void {
  const is2510 = world.state.version === "25.10";
  const formatted = `Device: /dev/${disk}, Temperature 85 Celsius reached critical limit of 84 Celsius`;
  world.control.raiseAlert(
    is2510
      ? {
          klass: "DiskTemperatureTooHot",
          level: "CRITICAL",
          formatted,
          args: { device: `/dev/${disk}`, serial: "X", crit_threshold: 84, temp: 85 },
        }
      : {
          klass: "SMART",
          level: "CRITICAL",
          formatted,
          args: { device: `/dev/${disk}`, message: formatted },
        },
  );
}

describe.each<SimVersion>([...SIM_VERSIONS])("disk_temperatures group on %s", (version) => {
  const thresholds = version === "25.10";

  it("shows each disk's temperature on its disk device, with TrueNAS's thresholds where it has them", async () => {
    const world = new SimWorld({ profile: "typical", version });
    const snap = await poll(diskTemperaturesGroup, world);
    const disks = world.state.disks as Array<Record<string, any>>;
    expect(snap.devices).toEqual([]);
    expect(snap.objects.map((o) => o.doc.name)).toEqual(NAMES);
    for (const o of snap.objects) {
      const disk = disks.find((d) => d.name === o.doc.name)!;
      expect(o.ref).toEqual({ kind: "disktemp", id: disk.identifier });
      expect(o.device).toBe(deviceKey({ kind: "disk", id: disk.identifier }));
      const t = world.state.temperatures[disk.name]!;
      expect(o.doc).toEqual({
        name: disk.name,
        temperature: thresholds ? t : Math.round(t),
        critical_temperature: thresholds ? world.state.critTemperatures[disk.name] : null,
        over_temperature: false,
      });
    }
    for (const e of snap.entities) expect(e.device).toBe(deviceKey({ kind: "disk", id: e.object.id }));
    expect(snap.entities.map((e) => e.key).slice(0, 2)).toEqual(["temperature", "over_temperature"]);
    expect(clean(snap)).toBe(true);
  });

  it("asks for names and identifiers only, all temperatures in one call, and alerts for those names", async () => {
    const calls: Array<{ method: string; params: readonly unknown[] }> = [];
    await poll(diskTemperaturesGroup, new SimWorld({ profile: "typical", version }), calls);
    expect(calls).toEqual([
      { method: "disk.query", params: [[], { select: ["identifier", "name"] }] },
      // 25.04: STANDBY so smartctl does not spin sleeping disks up (powermode NEVER, the default, would).
      { method: "disk.temperatures", params: thresholds ? [[], true] : [[], { powermode: "STANDBY" }] },
      { method: "disk.temperature_alerts", params: [NAMES] },
    ]);
  });

  it("reports over temperature from a TrueNAS temperature alert", async () => {
    const world = new SimWorld({ profile: "typical", version });
    raiseTooHot(world, "nvme1n1");
    const snap = await poll(diskTemperaturesGroup, world);
    const nvme = snap.objects.find((o) => o.doc.name === "nvme1n1")!;
    expect(nvme.doc.over_temperature).toBe(true);
    expect((nvme.attributes!.alerts as string[])[0]).toContain("/dev/nvme1n1");
    expect(snap.objects.filter((o) => o.doc.over_temperature === true)).toHaveLength(1);
  });

  it("follows temperature changes, a sleeping disk and (25.10) the critical threshold", async () => {
    const world = new SimWorld({ profile: "typical", version });
    world.control.setTemperature("sdb", 61);
    world.control.setTemperature("sdd", null);
    const docs = new Map((await poll(diskTemperaturesGroup, world)).objects.map((o) => [o.doc.name, o.doc]));
    expect(docs.get("sdb")).toMatchObject({ temperature: 61, over_temperature: thresholds });
    expect(docs.get("sdd")).toMatchObject({ temperature: null, over_temperature: false });
  });

  it("publishes discovery on the disks' devices that the HA validator accepts", async () => {
    const world = new SimWorld({ profile: "typical", version });
    const registry = { context, removeAfterPolls: 1 };
    let view = diffGroupPoll(EMPTY_VIEW, NAS_SEED, registry).view;
    const temps = await poll(diskTemperaturesGroup, world);
    // Before the disks group has published its devices, the entities wait (registry: "not known yet").
    expect(diffGroupPoll(view, temps, registry).issues).toHaveLength(16);
    const messages: RegistryMessage[] = [];
    for (const snap of [await poll(systemGroup, world), await poll(disksGroup, world), temps]) {
      const diff = diffGroupPoll(view, snap, registry);
      expect(diff.issues).toEqual([]);
      messages.push(...diff.messages);
      view = diff.view;
    }
    const configs = messages.filter((m) => m.kind === "config");
    expect(configs.filter((m) => m.topic.includes("/disktemp_"))).toHaveLength(16);
    expect(
      validateDiscoverySet(configs, {
        project: true,
        availabilityTopics: [bridgeStateTopic(context.topics), nasAvailabilityTopic(context.topics, nas.id)],
      }),
    ).toEqual([]);
  });
});

describe("disk_temperatures group edge cases", () => {
  it("skips the alerts call without disks and tolerates a NAS without disk.temperature_alerts", async () => {
    const world = new SimWorld({ profile: "typical", version: "25.10" });
    const calls: Array<{ method: string; params: readonly unknown[] }> = [];
    const version = parseVersion("25.10.0");
    const base = worldCall(world, calls);
    const call = ((method: string, params?: readonly unknown[]) =>
      method === "disk.temperature_alerts"
        ? Promise.reject(rpcErrorFrom(method, { code: -32601, message: "Method does not exist" }))
        : base(method, params)) as typeof base;
    const raw = await diskTemperaturesGroup.fetch({ call, version, options });
    expect(raw.alerts).toBeNull();
    // A sleeping disk (null reading) with no answer on alerts: unknown rather than "not too hot".
    const snap = diskTemperaturesGroup.normalise(
      { ...raw, temperatures: { ...(raw.temperatures as object), sdd: null } },
      { nas, version, options },
    );
    expect(snap.objects.find((o) => o.doc.name === "sdd")!.doc.over_temperature).toBeNull();
    const none = await diskTemperaturesGroup.fetch({
      call: ((method: string, params?: readonly unknown[]) =>
        method === "disk.query" ? Promise.resolve([]) : base(method, params)) as typeof base,
      version,
      options,
    });
    expect(none.alerts).toEqual([]);
  });

  it.each([
    null,
    5,
    "x",
    [],
    { disks: null, temperatures: null, alerts: null },
    { disks: [null, 5, { identifier: "a" }, { name: "sda" }], temperatures: [], alerts: {} },
    {
      disks: [
        { identifier: "a", name: "sda" },
        { identifier: "a", name: "sda" },
        { identifier: "b", name: "sdb" },
        { identifier: "c", name: "sdc" },
      ],
      temperatures: { sda: "NaN", sdb: [null, "x"], sdc: [Infinity] },
      alerts: [null, { args: null }, { args: { device: 5 } }, { args: { device: "/dev/sdc" }, formatted: 3 }],
    },
  ])("%j", (raw) => {
    const snap = diskTemperaturesGroup.normalise(raw as never, {
      nas,
      version: parseVersion("25.10.0"),
      options,
    });
    expect(clean(snap)).toBe(true);
    expect(new Set(snap.objects.map((o) => o.ref.id)).size).toBe(snap.objects.length);
  });
});
