import { describe, expect, it } from "vitest";
import { incusCpuCount, vmsGroup } from "../../src/groups/vms.js";
import { SimWorld } from "../../src/simulator/nas/world.js";
import type { SimVersion } from "../../src/simulator/types.js";
import { rpcErrorFrom } from "../../src/truenas/errors.js";
import { parseVersion } from "../../src/truenas/version.js";
import {
  expectClean,
  NAS,
  OPTIONS,
  pollGroup,
  publishProblems,
  type CallLog,
} from "../support/groupHarness.js";
import { worldCall } from "../support/worldCall.js";

const byId = (snap: Awaited<ReturnType<typeof pollGroup>>, kind: string, id: string) =>
  snap.objects.find((o) => o.ref.kind === kind && o.ref.id === id);

describe.each<SimVersion>(["25.10", "25.04.2"])("vms group on %s (vm.query)", (version) => {
  it("shows each libvirt VM keyed by its id, and the Incus containers", async () => {
    const world = new SimWorld({ profile: "typical", version });
    const snap = await pollGroup(vmsGroup, world);
    const truth = world.state.vms;
    expect(snap.objects.filter((o) => o.ref.kind === "vm").map((o) => o.ref.id)).toEqual(
      truth.map((v) => String(v.id)),
    );
    for (const vm of truth) {
      const o = byId(snap, "vm", String(vm.id))!;
      expect(o.doc).toEqual({
        name: vm.name,
        state: String(vm.status.state).toLowerCase(),
        running: vm.status.state === "RUNNING",
        vcpus: vm.vcpus * vm.cores * vm.threads,
        memory: vm.memory,
      });
      expect(o.attributes).toMatchObject({ description: vm.description, autostart: vm.autostart });
    }
    const containers = world.state.instances.filter((i) => i.type === "CONTAINER");
    expect(snap.objects.filter((o) => o.ref.kind === "container").map((o) => o.doc)).toEqual(
      containers.map((c) => ({
        name: c.name,
        state: String(c.status).toLowerCase(),
        running: c.status === "RUNNING",
        vcpus: Number(c.cpu),
        memory: c.memory,
      })),
    );
    // Incus VMs left over on 25.04.2+ are not listed twice: VMs come from vm.query.
    expect(snap.objects).toHaveLength(truth.length + containers.length);
    expect(snap.devices.map((d) => [d.name, d.viaDevice])).toContainEqual(["nas01 VM win11", "nas"]);
    expect(snap.devices.map((d) => d.name)).toContain("nas01 container pihole");
  });

  it("asks for VMs with select and for containers with a type filter", async () => {
    const calls: CallLog = [];
    await pollGroup(vmsGroup, new SimWorld({ profile: "typical", version }), calls);
    expect(calls.map((c) => c.method)).toEqual(["vm.query", "virt.instance.query"]);
    expect(calls[0]!.params[0]).toEqual([]);
    expect((calls[0]!.params[1] as { select: string[] }).select).not.toContain("devices");
    expect(calls[1]!.params[0]).toEqual([["type", "=", "CONTAINER"]]);
    expect(calls[1]!.params[1]).toHaveProperty("select");
  });

  it("follows a VM started or stopped (the event's libvirt names never reach the state)", async () => {
    const world = new SimWorld({ profile: "typical", version });
    world.control.setVmRunning(2, true);
    world.control.setVmRunning(1, false);
    world.control.setInstanceStatus("pihole", "FROZEN");
    const snap = await pollGroup(vmsGroup, world);
    expect(byId(snap, "vm", "2")!.doc).toMatchObject({ state: "running", running: true });
    expect(byId(snap, "vm", "1")!.doc).toMatchObject({ state: "stopped", running: false });
    expect(byId(snap, "container", "pihole")!.doc).toMatchObject({ state: "frozen", running: false });
  });
});

describe("vms group on 25.04.0 (Incus)", () => {
  it("reads VMs and containers from one virt.instance.query call, keyed by instance name", async () => {
    const world = new SimWorld({ profile: "typical", version: "25.04.0" });
    const calls: CallLog = [];
    const snap = await pollGroup(vmsGroup, world, calls);
    expect(calls.map((c) => c.method)).toEqual(["virt.instance.query"]);
    expect(calls[0]!.params[0]).toEqual([["type", "in", ["VM", "CONTAINER"]]]);
    const truth = world.state.instances;
    expect(snap.objects.map((o) => [o.ref.kind, o.ref.id])).toEqual(
      truth.map((i) => [i.type === "VM" ? "vm" : "container", i.name]),
    );
    for (const i of truth)
      expect(snap.objects.find((o) => o.ref.id === i.name)!.doc).toEqual({
        name: i.name,
        state: String(i.status).toLowerCase(),
        running: i.status === "RUNNING",
        vcpus: Number(i.cpu),
        memory: i.memory,
      });
    world.control.setVmRunning(2, true);
    expect(byId(await pollGroup(vmsGroup, world), "vm", "debian12")!.doc.running).toBe(true);
  });

  it("falls back to Incus when a 25.04.2+ NAS has no vm.query", async () => {
    const world = new SimWorld({ profile: "typical", version: "25.04.0" });
    const calls: CallLog = [];
    const version = parseVersion("25.04.2");
    const call = async <T>(method: string, params: readonly unknown[] = []): Promise<T> => {
      calls.push({ method, params });
      if (method === "vm.query")
        throw rpcErrorFrom(method, { code: -32601, message: "Method does not exist" });
      return worldCall(world)<T>(method, params);
    };
    const raw = await vmsGroup.fetch({ call, version, options: OPTIONS });
    expect(calls.map((c) => c.method)).toEqual(["vm.query", "virt.instance.query"]);
    const snap = vmsGroup.normalise(raw, { nas: NAS, version, options: OPTIONS });
    expect(snap.objects.filter((o) => o.ref.kind === "vm")).toHaveLength(2);
  });
});

describe("vms group entities", () => {
  it.each<SimVersion>(["25.10", "25.04.2", "25.04.0"])(
    "pass the registry and the HA validator on %s",
    async (v) => {
      const snap = await pollGroup(vmsGroup, new SimWorld({ profile: "typical", version: v }));
      expect(snap.entities.length).toBe(snap.objects.length * 4);
      expect(publishProblems(snap)).toEqual({ issues: [], problems: [] });
    },
  );

  it("uses MiB for vm.query memory and bytes for Incus memory", async () => {
    const snap = await pollGroup(vmsGroup, new SimWorld({ profile: "typical", version: "25.10" }));
    const unit = (kind: string) =>
      snap.entities.find((e) => e.object.kind === kind && e.key === "memory") as { unit?: string };
    expect(unit("vm").unit).toBe("MiB");
    expect(unit("container").unit).toBe("B");
  });

  it("counts Incus CPU limits given as sets", () => {
    expect([incusCpuCount("4"), incusCpuCount("0-3,6"), incusCpuCount(null), incusCpuCount("x")]).toEqual([
      4,
      5,
      null,
      null,
    ]);
  });

  it("never throws on odd input and never emits NaN or undefined", () => {
    const ctx = { nas: NAS, version: parseVersion("25.10.0"), options: OPTIONS };
    for (const odd of [null, [], [null], 5, "x", [{ id: "x" }, { id: 3, status: 7, vcpus: "NaN" }]])
      for (const raw of [
        { vms: odd, instances: odd },
        {
          vms: null,
          instances: [
            { name: 5, type: "VM" },
            { id: "c", type: "CONTAINER", image: [] },
          ],
        },
        odd as never,
      ]) {
        const snap = vmsGroup.normalise(raw, ctx);
        expectClean(snap);
      }
  });
});
