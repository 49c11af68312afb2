/**
 * The controls that give the simulated NAS's apps, VMs, containers and interfaces any name (issue 6, hostile
 * names): the objects appear in their queries (filters included) and in the realtime stats, with the CRUD events
 * TrueNAS sends, and go away again.
 */
import { describe, expect, it } from "vitest";
import { SimWorld } from "../../../src/simulator/nas/world.js";
import type { CollectionEvent, SimVersion } from "../../../src/simulator/types.js";
import { parseEjson, stringifyEjson } from "../../../src/truenas/ejson.js";

const ctx = { messageId: 1, username: "test" };
const LABELLED: Array<[string, string]> = [
  ["wildcards, NUL and control characters", "a/b+#\u0000\n\u001b[31m"],
  ["__proto__", "__proto__"],
  ["10,000 characters", "x".repeat(10_000)],
  ["a lone surrogate", "\ud800 lone"],
  ["unicode", "Ünï ☃ 数据"],
];
const HOSTILE = LABELLED.map(([, name]) => name);

/** A call as it goes over the wire (extended JSON both ways), so what a client would receive. */
function call(w: SimWorld, method: string, params: unknown[] = []): any {
  const fn = w.methods().get(method);
  if (!fn) throw new Error(`${method} missing`);
  return parseEjson(stringifyEjson(fn(parseEjson(stringifyEjson(params)) as unknown[], ctx)));
}

function recorder(w: SimWorld): CollectionEvent[] {
  const events: CollectionEvent[] = [];
  w.onEvent((e) => events.push(e));
  return events;
}

const names = (rows: Array<{ name: string }>): string[] => rows.map((r) => r.name);

describe("apps with any name", () => {
  it.each(LABELLED)("installs, lists, filters and deletes an app named with %s", (_label, name) => {
    const w = new SimWorld({ profile: "typical", version: "25.10" });
    const events = recorder(w);
    w.control.addApp(name);
    expect(call(w, "app.query", [[["name", "=", name]], { select: ["name", "metadata.title"] }])).toEqual([
      { name, metadata: { title: name } },
    ]);
    expect(events).toMatchObject([{ collection: "app.query", msg: "added", id: name }]);
    expect((events[0]!.fields as { state: string }).state).toBe("RUNNING");
    w.control.deleteApp(name);
    expect(names(call(w, "app.query"))).not.toContain(name);
    expect(events.at(-1)).toEqual({ collection: "app.query", msg: "removed", id: name });
  });

  it("keeps a separate title when given one", () => {
    const w = new SimWorld({ profile: "small", version: "25.10" });
    w.control.addApp("my-app", { title: "My App +#1", state: "STOPPED" });
    expect(call(w, "app.query", [[["name", "=", "my-app"]], { get: true }])).toMatchObject({
      state: "STOPPED",
      metadata: { title: "My App +#1" },
    });
  });
});

describe.each<SimVersion>(["25.10", "25.04.2"])("VMs with any name on %s", (version) => {
  it("creates, renames and deletes a VM by id, with vm.query events", () => {
    const w = new SimWorld({ profile: "typical", version });
    const events = recorder(w);
    const ids = HOSTILE.map((name) => w.control.addVm(name, { running: name === "__proto__" }));
    expect(new Set(ids).size).toBe(HOSTILE.length);
    const rows = call(w, "vm.query", [[["id", "in", ids]], { select: ["id", "name", "status"] }]);
    expect(names(rows)).toEqual(HOSTILE);
    expect(rows.map((r: any) => r.status.state)).toEqual([
      "STOPPED",
      "RUNNING",
      "STOPPED",
      "STOPPED",
      "STOPPED",
    ]);
    expect(events.map((e) => [e.collection, e.msg, e.id])).toEqual(
      ids.map((id) => ["vm.query", "added", id]),
    );
    w.control.renameVm(ids[0]!, "renamed");
    expect(call(w, "vm.query", [[["id", "=", ids[0]]], { get: true }]).name).toBe("renamed");
    for (const id of ids) w.control.deleteVm(id);
    expect(call(w, "vm.query", [[["id", "in", ids]]])).toEqual([]);
    expect(events.at(-1)).toEqual({ collection: "vm.query", msg: "removed", id: ids.at(-1) });
  });
});

describe("VMs and containers as Incus instances", () => {
  it("on 25.04.0 a VM is an Incus instance keyed by its name, and cannot be renamed", () => {
    const w = new SimWorld({ profile: "typical", version: "25.04.0" });
    const events = recorder(w);
    const id = w.control.addVm(HOSTILE[0]!);
    const filter = [["name", "=", HOSTILE[0]]];
    expect(call(w, "virt.instance.query", [filter, { get: true }])).toMatchObject({
      id: HOSTILE[0],
      type: "VM",
    });
    expect(events).toMatchObject([{ collection: "virt.instance.query", msg: "added", id: HOSTILE[0] }]);
    expect(() => w.control.renameVm(id, "x")).toThrow(/cannot be renamed/);
    w.control.deleteVm(id);
    expect(call(w, "virt.instance.query", [filter])).toEqual([]);
    expect(events.at(-1)).toEqual({ collection: "virt.instance.query", msg: "removed", id: HOSTILE[0] });
  });

  it("adds and deletes containers with any name", () => {
    const w = new SimWorld({ profile: "typical", version: "25.10" });
    for (const name of HOSTILE) w.control.addContainer(name, false);
    const rows = call(w, "virt.instance.query", [[["type", "=", "CONTAINER"]], { select: ["id", "status"] }]);
    expect(rows.map((r: any) => r.id)).toEqual(["pihole", ...HOSTILE]);
    expect(rows.slice(1).every((r: any) => r.status === "STOPPED")).toBe(true);
    for (const name of HOSTILE) w.control.deleteInstance(name);
    expect(() => w.control.deleteInstance(HOSTILE[0]!)).toThrow(/no instance/);
    expect(call(w, "virt.instance.query", [[["type", "=", "CONTAINER"]]])).toHaveLength(1);
  });
});

describe("interfaces with any name", () => {
  it("lists them in interface.query and in the realtime stats, even one called __proto__", () => {
    const w = new SimWorld({ profile: "typical", version: "25.10" });
    const events = recorder(w);
    for (const name of HOSTILE) w.control.addInterface(name, { up: name !== "__proto__" });
    const rows = call(w, "interface.query", [[], { select: ["id", "name", "state.link_state"] }]);
    expect(rows.map((r: any) => r.id)).toEqual(["enp3s0", "enp4s0", ...HOSTILE]);
    const proto = rows.find((r: any) => r.id === "__proto__");
    expect(proto.state.link_state).toBe("LINK_STATE_DOWN");
    // What the reporting.realtime event carries after the wire's encoding.
    const rt = parseEjson(stringifyEjson(w.realtimeStats())) as { interfaces: Record<string, unknown> };
    expect(Object.keys(rt.interfaces)).toEqual(["enp3s0", "enp4s0", ...HOSTILE]);
    expect(Object.getPrototypeOf(rt.interfaces)).toBe(Object.prototype);
    expect(rt.interfaces[HOSTILE[0]!]).toMatchObject({ link_state: "LINK_STATE_UP", sent_bytes_rate: 1024 });
    expect(events.map((e) => [e.collection, e.msg, e.id])).toEqual(
      HOSTILE.map((name) => ["interface.query", "added", name]),
    );
    for (const name of HOSTILE) w.control.removeInterface(name);
    expect(names(call(w, "interface.query"))).toEqual(["enp3s0", "enp4s0"]);
    expect(Object.keys(w.realtimeStats()!.interfaces as object)).toEqual(["enp3s0", "enp4s0"]);
    expect(events.at(-1)).toEqual({ collection: "interface.query", msg: "removed", id: HOSTILE.at(-1) });
  });
});

describe("datasets with any name", () => {
  it("creates and destroys datasets whose names TrueNAS would refuse", () => {
    const w = new SimWorld({ profile: "typical", version: "25.10" });
    const made = HOSTILE.map((n) => `tank/${n}`);
    for (const name of made) w.control.createDataset(name);
    const rows = call(w, "pool.dataset.query", [[["id", "in", made]], { select: ["id", "pool"] }]);
    expect(rows).toEqual(made.map((id) => ({ id, pool: "tank" })));
    for (const name of made) w.control.destroyDataset(name);
    expect(call(w, "pool.dataset.query", [[["id", "in", made]]])).toEqual([]);
  });
});
