import { describe, expect, it } from "vitest";
import { makeNasIdentity, NAS_DEVICE } from "../../src/entities/ids.js";
import type { CallFn } from "../../src/groups/group.js";
import { updatesGroup, UPDATE_REF, type UpdatesRaw } from "../../src/groups/updates.js";
import { SimWorld } from "../../src/simulator/nas/world.js";
import type { SimVersion } from "../../src/simulator/types.js";
import { rpcErrorFrom } from "../../src/truenas/errors.js";
import { parseVersion, type TrueNasVersion } from "../../src/truenas/version.js";
import { publishCheck } from "../support/publishCheck.js";
import { worldCall } from "../support/worldCall.js";

type Calls = Array<{ method: string; params: readonly unknown[] }>;

const nas = makeNasIdentity({ hostId: "f3a9c2d1", hostname: "nas01" });
const options = { datasets: { include: [], exclude: [], maxDepth: 1 } };
const V2510 = parseVersion("25.10.0");

async function poll(world: SimWorld, calls?: Calls, version?: TrueNasVersion) {
  const v = version ?? parseVersion(String(world.state.info.version));
  const raw = await updatesGroup.fetch({ call: worldCall(world, calls), version: v, options });
  return updatesGroup.normalise(raw, { nas, version: v, options });
}

const normalise = (raw: UpdatesRaw) => updatesGroup.normalise(raw, { nas, version: V2510, options });

describe.each<SimVersion>(["25.10", "25.04.2", "25.04.0"])("updates group on %s", (version) => {
  it("compares the installed version with the latest the update server offers", async () => {
    const world = new SimWorld({ profile: "typical", version });
    const calls: Calls = [];
    const snap = await poll(world, calls);
    const installed = String(world.state.info.version);
    const next = world.state.updateAvailable;
    expect(snap.objects).toHaveLength(1);
    const o = snap.objects[0]!;
    expect(o.ref).toEqual(UPDATE_REF);
    expect(o.device).toBe(NAS_DEVICE);
    expect(o.doc).toEqual({
      installed_version: installed,
      latest_version: next ?? installed,
      update_available: next !== null,
    });
    expect(o.attributes).toMatchObject({ status: next ? "available" : "up_to_date", error: null });
    // The right method for the version, first time: no failed probe.
    expect(calls.map((c) => c.method).sort()).toEqual(
      ["system.info", version === "25.10" ? "update.status" : "update.check_available"].sort(),
    );
  });

  it("publishes a valid firmware update entity and binary sensor on the NAS device", async () => {
    const snap = await poll(new SimWorld({ profile: "typical", version }));
    expect(snap.entities.map((e) => [e.component, e.key])).toEqual([
      ["update", "update"],
      ["binary_sensor", "update_available"],
    ]);
    const check = publishCheck(nas, [snap]);
    expect(check.issues).toEqual([]);
    expect(check.problems).toEqual([]);
    expect(check.configs).toBe(2);
  });

  it("follows a newly available update (update.status event on 25.10)", async () => {
    const world = new SimWorld({ profile: "typical", version });
    world.control.setUpdateAvailable("26.0.0");
    expect((await poll(world)).objects[0]!.doc).toMatchObject({
      latest_version: "26.0.0",
      update_available: true,
    });
    world.control.setUpdateAvailable(null);
    const doc = (await poll(world)).objects[0]!.doc;
    expect(doc).toMatchObject({ latest_version: doc.installed_version, update_available: false });
  });
});

describe("updates group: fallbacks and errors", () => {
  it("falls back to the other method when the preferred one does not exist", async () => {
    const calls: Calls = [];
    // A 25.04 NAS that claims 25.10: update.status is missing, update.check_available answers.
    const old = await poll(new SimWorld({ profile: "typical", version: "25.04.0" }), calls, V2510);
    expect(calls.map((c) => c.method)).toContain("update.status");
    expect(calls.map((c) => c.method)).toContain("update.check_available");
    expect(old.objects[0]!.doc).toMatchObject({ latest_version: "25.04.2.6", update_available: true });
    const modern = await poll(
      new SimWorld({ profile: "typical", version: "25.10" }),
      undefined,
      parseVersion("25.04.2"),
    );
    expect(modern.objects[0]!.doc).toMatchObject({ latest_version: "25.10.1", update_available: true });
  });

  it("lets other errors fail the poll (25.04's update server unreachable)", async () => {
    const methods: string[] = [];
    const call = ((method: string) => {
      methods.push(method);
      return method === "system.info"
        ? Promise.resolve({ version: "25.04.2.6" })
        : Promise.reject(
            rpcErrorFrom(method, {
              code: -32001,
              message: "Method call error",
              data: { errname: "ECONNRESET" },
            }),
          );
    }) as CallFn;
    await expect(updatesGroup.fetch({ call, version: parseVersion("25.04.2.6"), options })).rejects.toThrow();
    expect(methods.sort()).toEqual(["system.info", "update.check_available"]);
  });

  it("turns update.status errors into an attribute and an unknown latest version", () => {
    const snap = normalise({
      info: { version: "25.10.0" },
      method: "update.status",
      result: {
        code: "ERROR",
        error: { errname: "ENETUNREACH", reason: "Cannot connect to host update.sys.truenas.net:443" },
        status: null,
        update_download_progress: null,
      },
    });
    const o = snap.objects[0]!;
    expect(o.doc).toEqual({ installed_version: "25.10.0", latest_version: null, update_available: null });
    expect(o.attributes).toMatchObject({
      status: "error",
      error: { errname: "ENETUNREACH", reason: "Cannot connect to host update.sys.truenas.net:443" },
    });
    const reboot = normalise({
      info: { version: "25.10.0" },
      method: "update.status",
      result: { code: "ERROR", error: { errname: "EREBOOTREQUIRED", reason: "x" }, status: null },
    });
    expect(reboot.objects[0]!.attributes).toMatchObject({ status: "reboot_required" });
  });

  it("reads 25.04's other statuses and the download progress", () => {
    const of = (result: unknown, method: UpdatesRaw["method"] = "update.check_available") =>
      normalise({ info: { version: "25.04.1" }, method, result }).objects[0]!;
    expect(of({ status: "REBOOT_REQUIRED" }).doc.update_available).toBeNull();
    expect(of({ status: "HA_UNAVAILABLE" }).attributes).toMatchObject({ status: "unknown" });
    expect(
      of({
        status: "AVAILABLE",
        changes: [{ operation: "upgrade", new: { name: "TrueNAS", version: "25.04.2.6" } }],
      }).doc,
    ).toMatchObject({ latest_version: "25.04.2.6", update_available: true });
    const downloading = of(
      {
        code: "NORMAL",
        status: { current_version: { train: "T" }, new_version: { version: "25.10.1" } },
        update_download_progress: { percent: 42.5, description: "Downloading", version: "25.10.1" },
      },
      "update.status",
    );
    expect(downloading.attributes).toMatchObject({ download_percent: 42.5, train: "T" });
  });

  it.each([null, 5, "x", [], { info: null, method: "update.status", result: [null] }])(
    "odd input %j",
    (raw) => {
      for (const method of ["update.status", "update.check_available", "nope"]) {
        const snap = normalise({ ...(raw as object), method } as UpdatesRaw);
        for (const o of snap.objects)
          for (const v of [...Object.values(o.doc), ...Object.values(o.attributes ?? {})])
            expect(v === undefined || Number.isNaN(v)).toBe(false);
      }
      expect(() => updatesGroup.normalise(raw as UpdatesRaw, { nas, version: V2510, options })).not.toThrow();
    },
  );
});
