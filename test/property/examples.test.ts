/**
 * The counterexamples the normaliser properties found (normalisers.test.ts), kept as plain examples: each is
 * a hostile answer a real NAS could send, set up in the simulated NAS's state and polled as the bridge polls.
 */
import { describe, expect, it } from "vitest";
import { appsGroup } from "../../src/groups/apps.js";
import { cloudsyncGroup } from "../../src/groups/cloudsync.js";
import { datasetsGroup } from "../../src/groups/datasets.js";
import { disksGroup } from "../../src/groups/disks.js";
import type { GroupDefinition } from "../../src/groups/group.js";
import { GROUPS } from "../../src/groups/index.js";
import { interfacesGroup } from "../../src/groups/interfaces.js";
import { poolsGroup } from "../../src/groups/pools.js";
import { reportingGroup } from "../../src/groups/reporting.js";
import { servicesGroup } from "../../src/groups/services.js";
import { systemGroup } from "../../src/groups/system.js";
import { vmsGroup } from "../../src/groups/vms.js";
import { SimWorld } from "../../src/simulator/nas/world.js";
import { parseVersion } from "../../src/truenas/version.js";
import { NAS, OPTIONS, pollGroup } from "../support/groupHarness.js";
import { expectPublishable } from "./hostileNas.js";

type Row = Record<string, unknown>;
const typical = (): SimWorld => new SimWorld({ profile: "typical", version: "25.10" });

describe("arithmetic on huge readings gives null, never Infinity", () => {
  it("pools: vdev error counters that overflow their sum, a scrub percentage too large to round", async () => {
    const world = typical();
    const pool = world.state.pools[0] as Row & { scan: Row; topology: { data: Row[] } };
    const leaves = pool.topology.data[0]!.children as Array<{ stats: Row }>;
    leaves[0]!.stats.read_errors = 1e308;
    leaves[1]!.stats.read_errors = 1e308;
    pool.scan = { ...pool.scan, state: "SCANNING", percentage: 1e308 };
    const snap = await pollGroup(poolsGroup, world);
    expect(snap.objects[0]!.doc).toMatchObject({ read_errors: null, scrub_progress: 1e308 });
    expectPublishable(snap);
  });

  it("vms: sockets x cores x threads beyond the largest double", async () => {
    const world = typical();
    Object.assign(world.state.vms[0]!, { vcpus: 1e308, cores: 10, threads: 1 });
    const snap = await pollGroup(vmsGroup, world);
    expect(snap.objects[0]!.doc.vcpus).toBeNull();
    expectPublishable(snap);
  });

  it("vms: an Incus CPU count of 400 digits", async () => {
    const world = typical();
    const container = world.state.instances.find((i) => i.type === "CONTAINER")!;
    container.cpu = "9".repeat(400);
    const snap = await pollGroup(vmsGroup, world);
    expect(snap.objects.find((o) => o.ref.id === container.id)!.doc.vcpus).toBeNull();
    expectPublishable(snap);
  });

  it("reporting: memory used from totals of opposite sign, a usage too large to round", async () => {
    const world = typical();
    const latest = world.realtimeStats() as { memory: Row; cpu: { cpu: Row } };
    Object.assign(latest.memory, { physical_memory_total: -1e308, physical_memory_available: 1e308 });
    latest.cpu.cpu.usage = 1e308;
    const version = parseVersion("25.10.0");
    const raw = await reportingGroup.fetch({
      call: () => Promise.reject(new Error("no call")),
      version,
      options: OPTIONS,
      latest,
    });
    const snap = reportingGroup.normalise(raw, { nas: NAS, version, options: OPTIONS });
    expect(snap.objects[0]!.doc).toMatchObject({ memory_used: null, memory_usage: null, cpu_usage: 1e308 });
    expectPublishable(snap);
  });

  it("datasets: used + available beyond the largest double", async () => {
    const world = typical();
    const root = world.state.datasets.find((d) => d.id === "tank/media") as Row & {
      used: Row;
      available: Row;
    };
    root.used = { ...root.used, parsed: 1e308 };
    root.available = { ...root.available, parsed: 1e308 };
    const snap = await pollGroup(datasetsGroup, world);
    expect(snap.objects.find((o) => o.ref.id === "tank/media")!.doc.usage_percent).toBeNull();
    expectPublishable(snap);
  });

  it("a timestamp beyond year 9999 (a valid $date HA cannot parse) is null", async () => {
    const world = typical();
    world.state.info.boottime = new Date(8.64e15);
    const snap = await pollGroup(systemGroup, world);
    expect(snap.objects[0]!.doc.boot_time).toBeNull();
    expectPublishable(snap);
  });
});

describe("a row the NAS repeats is one object", () => {
  it.each([
    ["pools", poolsGroup, (w: SimWorld) => w.state.pools],
    ["apps", appsGroup, (w: SimWorld) => w.state.apps],
    ["services", servicesGroup, (w: SimWorld) => w.state.services],
  ] as const)("%s", async (_name, group, rows) => {
    const world = typical();
    const list = rows(world);
    const before = list.length;
    list.push(structuredClone(list[0]!));
    const snap = await pollGroup(group as GroupDefinition, world);
    expect(snap.objects).toHaveLength(before);
    expectPublishable(snap);
  });
});

describe("enum values named like Object.prototype keys are plain unknown values", () => {
  it.each(["__proto__", "constructor", "toString"])("interfaces: link state %s is unknown", async (key) => {
    const world = typical();
    (world.state.interfaces[0]!.state as Row).link_state = key;
    const snap = await pollGroup(interfacesGroup, world);
    expect(snap.objects[0]!.doc.link_up).toBeNull();
    expectPublishable(snap);
  });

  it.each(["constructor", "toString", "hasOwnProperty"])(
    "services: a service %s is named by its id",
    async (id) => {
      const world = typical();
      world.state.services[0]!.service = id;
      const snap = await pollGroup(servicesGroup, world);
      expect(snap.entities.find((e) => e.object.id === id)!.name).toBe(`${id} running`);
      expectPublishable(snap);
    },
  );
});

describe("objects that share a display name get devices HA can tell apart", () => {
  const deviceNames = (snap: Awaited<ReturnType<typeof pollGroup>>) => snap.devices.map((d) => d.name);

  it("apps: two installs of one catalog app are named by their app names", async () => {
    const world = typical();
    const second = { ...structuredClone(world.state.apps[0]!), name: "plex2", id: "plex2" };
    world.state.apps.push(second);
    const title = String((world.state.apps[0]!.metadata as Row).title);
    const snap = await pollGroup(appsGroup, world);
    expect(deviceNames(snap)).toEqual(
      expect.arrayContaining([`nas01 app ${title} (plex)`, `nas01 app ${title} (plex2)`]),
    );
    expectPublishable(snap);
  });

  it("disks: two rows with one sdX name are named by their identifiers", async () => {
    const world = typical();
    const [a, b] = world.state.disks;
    b!.name = a!.name;
    const snap = await pollGroup(disksGroup, world);
    expect(deviceNames(snap)).toContain(`nas01 disk ${String(a!.name)} (${String(b!.identifier)})`);
    expectPublishable(snap);
  });

  it("pools: two pools with one name are named by their guids", async () => {
    const world = typical();
    world.state.pools[1]!.name = world.state.pools[0]!.name;
    const snap = await pollGroup(poolsGroup, world);
    expect(new Set(deviceNames(snap)).size).toBe(snap.devices.length);
    expectPublishable(snap);
  });

  it("vms: a VM without a name beside one named like its fallback", async () => {
    const world = typical();
    const [a, b] = world.state.vms;
    a!.name = null;
    b!.name = `vm${String(a!.id)}`;
    const snap = await pollGroup(vmsGroup, world);
    expect(new Set(deviceNames(snap)).size).toBe(snap.devices.length);
    expectPublishable(snap);
  });
});

describe("device names that differ only in case or punctuation count as shared", () => {
  it("apps: a title equal to another app's title but for case", async () => {
    const world = typical();
    const [a, b] = world.state.apps;
    (a!.metadata as Row).title = "Nextcloud";
    (b!.metadata as Row).title = "nextcloud!";
    const snap = await pollGroup(appsGroup, world);
    expect(snap.devices.map((d) => d.name)).toEqual(
      expect.arrayContaining([
        `nas01 app Nextcloud (${String(a!.name)})`,
        `nas01 app nextcloud! (${String(b!.name)})`,
      ]),
    );
    expectPublishable(snap);
  });
});

describe("tasks whose labels differ only in case are named by their task ids", () => {
  it("cloud sync", async () => {
    const world = typical();
    const a = world.state.cloudsync[0]!;
    const b: Row = { ...structuredClone(a), id: 99 };
    world.state.cloudsync.push(b);
    a.description = "Offsite photos";
    b.description = "offsite photos";
    const snap = await pollGroup(cloudsyncGroup, world);
    const names = snap.entities.filter((e) => e.key === "last_run").map((e) => e.name);
    expect(names).toEqual(
      expect.arrayContaining([
        `Cloud sync Offsite photos (task ${String(a.id)}) Last run`,
        `Cloud sync offsite photos (task 99) Last run`,
      ]),
    );
    expectPublishable(snap);
  });
});

describe("every normaliser takes any input, its container included", () => {
  const ctx = { nas: NAS, version: parseVersion("25.10.0"), options: OPTIONS };
  it.each(GROUPS.map((g) => [g.name, g] as const))("%s", (_name, group) => {
    for (const input of [null, undefined, 0, "x", [], {}, { info: null, pools: 3, realtime: [] }])
      expectPublishable(group.normalise(input, ctx));
  });
});
