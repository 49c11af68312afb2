import { describe, expect, it } from "vitest";
import { makeNasIdentity } from "../../src/entities/ids.js";
import { alertsGroup } from "../../src/groups/alerts.js";
import { appsGroup } from "../../src/groups/apps.js";
import type { GroupDefinition } from "../../src/groups/group.js";
import { servicesGroup } from "../../src/groups/services.js";
import { systemGroup } from "../../src/groups/system.js";
import { SimWorld } from "../../src/simulator/nas/world.js";
import type { SimVersion } from "../../src/simulator/types.js";
import { parseVersion } from "../../src/truenas/version.js";
import { worldCall } from "../support/worldCall.js";

const nas = makeNasIdentity({ hostId: "f3a9c2d1", hostname: "nas01" });
const options = { datasets: { include: [], exclude: [], maxDepth: 1 } };

async function poll<R>(group: GroupDefinition<R>, world: SimWorld) {
  const version = parseVersion(String(world.state.info.version));
  return group.normalise(await group.fetch({ call: worldCall(world), version, options }), {
    nas,
    version,
    options,
  });
}

const docOf = (snap: Awaited<ReturnType<typeof poll>>, id: string) =>
  snap.objects.find((o) => o.ref.id === id)?.doc;

describe.each<SimVersion>(["25.10", "25.04.2", "25.04.0"])("NAS-level groups on %s", (version) => {
  it("system: version, boot time, load, memory, ready", async () => {
    const world = new SimWorld({ profile: "typical", version });
    const doc = (await poll(systemGroup, world)).objects[0]!.doc;
    expect(doc.version).toBe(world.state.info.version);
    expect(doc.boot_time).toBeInstanceOf(Date);
    expect(doc).toMatchObject({
      ready: true,
      physical_memory: world.state.info.physmem,
      cpu_cores: world.state.info.cores,
    });
    expect(typeof doc.load_1m).toBe("number");
  });

  it("alerts: counts by level and a problem at WARNING or above", async () => {
    const world = new SimWorld({ profile: "typical", version });
    const snap = await poll(alertsGroup, world);
    // The sample's HasUpdate alert is dismissed, so it is not active.
    expect(snap.objects[0]!.doc).toMatchObject({ active: 2, critical: 1, info: 1, problem: true });
    expect((snap.objects[0]!.attributes!.alerts as unknown[]).length).toBe(2);
    for (const a of [...world.state.alerts]) if (a.level !== "INFO") world.control.clearAlert(String(a.uuid));
    expect((await poll(alertsGroup, world)).objects[0]!.doc).toMatchObject({ active: 1, problem: false });
  });

  it("services: running per service, enabled as an attribute, UNKNOWN as unknown", async () => {
    const world = new SimWorld({ profile: "typical", version });
    const snap = await poll(servicesGroup, world);
    expect(docOf(snap, "cifs")).toMatchObject({ running: true });
    expect(docOf(snap, "ftp")).toMatchObject({ running: false });
    expect(snap.objects.find((o) => o.ref.id === "cifs")!.attributes).toMatchObject({ enabled: true });
    expect(snap.entities.find((e) => e.object.id === "cifs")!.name).toBe("SMB running");
    const unknown = servicesGroup.normalise([{ service: "ssh", state: "UNKNOWN" }], {
      nas,
      version: parseVersion("25.10.0"),
      options,
    });
    expect(unknown.objects[0]!.doc.running).toBeNull();
  });

  it("apps: state, running, and an update only when TrueNAS says an upgrade exists", async () => {
    const world = new SimWorld({ profile: "typical", version });
    const snap = await poll(appsGroup, world);
    const nextcloud = docOf(snap, "nextcloud")!;
    expect(nextcloud.state).toBe("running");
    expect(nextcloud.latest_version).not.toBe(nextcloud.installed_version);
    const plex = docOf(snap, "plex")!;
    expect(plex.latest_version).toBe(plex.installed_version);
    expect(docOf(snap, "home-assistant")).toMatchObject({ state: "stopped", running: false });
    expect(snap.devices.map((d) => d.viaDevice)).toEqual(["nas", "nas", "nas"]);
  });
});

describe("groups survive odd input", () => {
  it.each([null, 5, "x", [null, 5, {}], [{ name: 7, state: {}, level: null }]])("%j", (raw) => {
    const ctx = { nas, version: parseVersion("25.10.0"), options };
    for (const group of [alertsGroup, appsGroup, servicesGroup] as GroupDefinition<unknown>[]) {
      const snap = group.normalise(raw, ctx);
      for (const o of snap.objects)
        for (const v of Object.values(o.doc)) expect(v === undefined || Number.isNaN(v)).toBe(false);
    }
    expect(() => systemGroup.normalise({ info: raw, ready: raw }, ctx)).not.toThrow();
  });
});
