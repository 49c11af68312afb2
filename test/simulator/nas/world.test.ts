import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeEjson } from "../../../src/truenas/ejson.js";
import { SimWorld } from "../../../src/simulator/nas/world.js";
import type { CollectionEvent, SimVersion } from "../../../src/simulator/types.js";

const SAMPLES = new URL("../../../../shared/docs/truenas-samples/", import.meta.url);
const ctx = { messageId: 7, username: "truenas_admin" };

function sampleResult(file: string): unknown {
  return decodeEjson(
    (JSON.parse(readFileSync(new URL(file, SAMPLES), "utf8")) as { result: unknown }).result,
  );
}

function call(w: SimWorld, method: string, params: unknown[] = []): any {
  const fn = w.methods().get(method);
  if (!fn) throw new Error(`${method} missing`);
  return fn(params, ctx);
}

/** The key set and value types of an object (one level), to compare shapes with the samples. */
function shape(obj: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(obj).map(([k, v]) => [
      k,
      v === null ? "null" : v instanceof Date ? "date" : Array.isArray(v) ? "array" : typeof v,
    ]),
  );
}

function recorder(w: SimWorld): CollectionEvent[] {
  const events: CollectionEvent[] = [];
  w.onEvent((e) => events.push(e));
  return events;
}

describe("typical world on 25.10 reproduces the samples' NAS", () => {
  const w = new SimWorld({ profile: "typical", version: "25.10", now: () => Date.UTC(2026, 0, 1) });
  it.each([
    ["pool.query", "pool.query.json"],
    ["disk.query", "disk.query.json", [[], { extra: { pools: true } }]],
    ["app.query", "app.query.json"],
    ["vm.query", "vm.query.json"],
    ["virt.instance.query", "virt.instance.query.json"],
    ["service.query", "service.query.json"],
    ["interface.query", "interface.query.json"],
    ["cloudsync.query", "cloudsync.query.json"],
    ["replication.query", "replication.query.json"],
    ["pool.snapshottask.query", "pool.snapshottask.query.json"],
    ["core.get_jobs", "core.get_jobs.json"],
    ["alert.list", "alert.list.json"],
  ] as Array<[string, string, unknown[]?]>)(
    "%s answers with the sample's objects",
    (method, file, params = []) => {
      expect(call(w, method, params)).toEqual(sampleResult(file));
    },
  );

  it("answers system.info with the sample's keys and types, and a boot time consistent with uptime", () => {
    const info = call(w, "system.info");
    expect(shape(info)).toEqual(shape(sampleResult("system.info.json") as Record<string, unknown>));
    expect(info.version).toBe("25.10.0");
    expect(
      Math.abs(Date.UTC(2026, 0, 1) - info.boottime.getTime() - info.uptime_seconds * 1000),
    ).toBeLessThanOrEqual(1);
  });

  it("answers pool.dataset.query with the monitoring select exactly as the sample", () => {
    const select = [
      "id",
      "type",
      "name",
      "pool",
      "used",
      "available",
      "quota",
      "refquota",
      "usedbysnapshots",
      "compressratio",
      "mountpoint",
      "encrypted",
      "locked",
    ];
    const properties = [
      "used",
      "available",
      "quota",
      "refquota",
      "usedbysnapshots",
      "compressratio",
      "mountpoint",
      "encryption",
      "keystatus",
    ];
    expect(call(w, "pool.dataset.query", [[], { select, extra: { properties } }])).toEqual(
      sampleResult("pool.dataset.query.select.json"),
    );
  });

  it("nests children in the flat list, as TrueNAS does, and keeps the full property shape", () => {
    const all = call(w, "pool.dataset.query");
    const tank = all.find((d: any) => d.id === "tank");
    expect(all).toHaveLength(22);
    expect(tank.children.map((c: any) => c.id)).toContain("tank/media");
    expect(tank.children.find((c: any) => c.id === "tank/media").children).toHaveLength(3);
    const full = sampleResult("pool.dataset.query.json") as Array<Record<string, unknown>>;
    expect(Object.keys(all.find((d: any) => d.id === "tank/home/alice")).sort()).toEqual(
      Object.keys(full[0]!).sort(),
    );
  });

  it("honours retrieve_children:false and properties:[]", () => {
    const roots = call(w, "pool.dataset.query", [[], { extra: { retrieve_children: false } }]);
    expect(roots.map((d: any) => d.id)).toEqual(["tank", "fast"]);
    expect(roots[0].children).toEqual([]);
    const bare = call(w, "pool.dataset.query", [[], { extra: { properties: [] } }]);
    expect(bare[0].used).toBeUndefined();
    expect(bare[0].mountpoint).toBe("/mnt/tank");
  });

  it("leaves disk.pool null unless extra.pools", () => {
    expect(call(w, "disk.query").every((d: any) => d.pool === null)).toBe(true);
  });

  it("answers disk.temperatures with floats, or [temp, crit] with include_thresholds", () => {
    expect(call(w, "disk.temperatures", [["sdb"]])).toEqual({ sdb: 36 });
    expect(call(w, "disk.temperatures", [["nvme0n1"], true])).toEqual({ nvme0n1: [44, 80] });
  });

  it("refuses 25.04-style temperature options with -32602", () => {
    expect(() => call(w, "disk.temperatures", [[], { powermode: "NEVER" }])).toThrow(/valid boolean/);
  });

  it("answers update.status with the new version inside the result", () => {
    expect(call(w, "update.status").status.new_version.version).toBe("25.10.1");
  });
});

describe.each<[SimVersion, string[], string[]]>([
  ["25.10", ["update.status", "vm.query"], ["update.check_available", "disk.temperature"]],
  ["25.04.2", ["update.check_available", "vm.query", "disk.temperature"], ["update.status"]],
  ["25.04.0", ["update.check_available", "disk.temperature"], ["update.status", "vm.query"]],
])("version gating on %s", (version, present, absent) => {
  const w = new SimWorld({ profile: "typical", version });
  it("has the methods of that release and not the others", () => {
    for (const m of present) expect(w.methods().has(m)).toBe(true);
    for (const m of absent) expect(w.methods().has(m)).toBe(false);
  });
});

describe("25.04 differences", () => {
  it("keeps S.M.A.R.T. columns, smartd, and no message_ids; realtime has failed_to_connect and no pools", () => {
    const w = new SimWorld({ profile: "typical", version: "25.04.2" });
    expect(call(w, "disk.query")[0]).toHaveProperty("togglesmart");
    expect(call(w, "service.query").map((s: any) => s.service)).toContain("smartd");
    expect(call(w, "core.get_jobs")[0]).not.toHaveProperty("message_ids");
    const rt = w.realtimeStats()!;
    expect(rt.failed_to_connect).toBe(false);
    expect(rt).not.toHaveProperty("pools");
    expect(call(w, "disk.temperatures", [[], { powermode: "NEVER" }]).sdb).toBe(36);
    expect(call(w, "update.check_available").status).toBe("UNAVAILABLE");
  });

  it("lists VMs as Incus instances on 25.04.0, with the 25.04.0 status vocabulary", () => {
    const w = new SimWorld({ profile: "typical", version: "25.04.0" });
    const vms = call(w, "virt.instance.query").filter((i: any) => i.type === "VM");
    expect(vms.map((v: any) => v.name).sort()).toEqual(["debian12", "win11"]);
    expect(vms.every((v: any) => ["RUNNING", "STOPPED", "UNKNOWN"].includes(v.status))).toBe(true);
    expect(call(w, "update.check_available")).toMatchObject({ status: "AVAILABLE", version: "25.04.2.6" });
  });

  it("formats dataset sizes the ZFS way on 25.04 and the binary way on 25.10", () => {
    const used = (v: SimVersion) =>
      call(new SimWorld({ profile: "typical", version: v }), "pool.dataset.query")[0].used.value;
    expect(used("25.04.2")).toBe("11.9T");
    expect(used("25.10")).toBe("11.92 TiB");
  });

  it("sends {failed_to_connect:true} when netdata is down on 25.04, and nothing on 25.10", () => {
    const old = new SimWorld({ profile: "small", version: "25.04.2" });
    old.control.setNetdataDown(true);
    expect(old.realtimeStats()).toEqual({ failed_to_connect: true });
    const cur = new SimWorld({ profile: "small", version: "25.10" });
    cur.control.setNetdataDown(true);
    expect(cur.realtimeStats()).toBeNull();
  });
});

describe("controls emit the events TrueNAS sends", () => {
  it("degrading a pool: pool.query changed with the full entry, and a VolumeStatus alert added by uuid", () => {
    const w = new SimWorld({ profile: "typical", version: "25.10" });
    const events = recorder(w);
    const uuid = w.control.degradePool("tank");
    expect(events[0]).toMatchObject({ collection: "pool.query", msg: "changed", id: 1 });
    expect((events[0]!.fields as any).status).toBe("DEGRADED");
    expect((events[0]!.fields as any).healthy).toBe(false);
    expect(events[1]).toMatchObject({ collection: "alert.list", msg: "added", id: uuid });
    expect(call(w, "pool.query")[0].status).toBe("DEGRADED");
    w.control.restorePool("tank");
    expect(events.at(-1)).toEqual({ collection: "alert.list", msg: "removed", id: uuid });
  });

  it("stopping an app sends STOPPING then STOPPED with the app name as id", () => {
    const w = new SimWorld({ profile: "typical", version: "25.10" });
    const events = recorder(w);
    w.control.stopApp("plex");
    expect(events.map((e) => [e.collection, e.msg, e.id, (e.fields as any).state])).toEqual([
      ["app.query", "changed", "plex", "STOPPING"],
      ["app.query", "changed", "plex", "STOPPED"],
    ]);
  });

  it("service.query events carry no id; virt instances get partial fields; vm events use libvirt names", () => {
    const w = new SimWorld({ profile: "typical", version: "25.10" });
    const events = recorder(w);
    w.control.setServiceRunning("ssh", false);
    expect(events[0]).not.toHaveProperty("id");
    expect((events[0]!.fields as any).state).toBe("STOPPED");
    w.control.setInstanceStatus("pihole", "STOPPED");
    expect(events[1]).toEqual({
      collection: "virt.instance.query",
      msg: "changed",
      id: "pihole",
      fields: { status: "STOPPED" },
    });
    w.control.setVmRunning(1, false);
    expect((events[2]!.fields as any).status.state).toBe("SHUTOFF");
    expect(events[2]!.fields).not.toHaveProperty("devices");
    expect(call(w, "vm.query")[0].status.state).toBe("STOPPED");
  });

  it("a job sends added (WAITING), changed (RUNNING), progress, and a final changed with time_finished", () => {
    const w = new SimWorld({ profile: "small", version: "25.10" });
    const events = recorder(w);
    const id = w.jobs.start("pool.scrub.scrub", ["tank", "START"], "Scrub of pool 'tank'", 42);
    w.jobs.progress(id, 50, "Scrubbing");
    w.jobs.finish(id, "SUCCESS");
    expect(events.map((e) => [e.msg, (e.fields as any).state, (e.fields as any).progress.percent])).toEqual([
      ["added", "WAITING", 0],
      ["changed", "RUNNING", 0],
      ["changed", "RUNNING", 50],
      ["changed", "SUCCESS", 100],
    ]);
    expect((events[0]!.fields as any).message_ids).toEqual([42]);
    expect((events[3]!.fields as any).time_finished).toBeInstanceOf(Date);
  });

  it("a replication run sends partial {state} fields and finishes as the world advances", () => {
    const w = new SimWorld({ profile: "typical", version: "25.10" });
    const events = recorder(w);
    w.control.runReplication(1);
    const rep = events.filter((e) => e.collection === "replication.query");
    expect(Object.keys(rep[0]!.fields as object)).toEqual(["state"]);
    for (let i = 0; i < 60; i += 1) w.advance(2000);
    expect(call(w, "replication.query")[0].state.state).toBe("FINISHED");
    expect(events.filter((e) => e.collection === "core.get_jobs").at(-1)!.fields).toMatchObject({
      state: "SUCCESS",
    });
  });

  it("a snapshot task state change sends partial {state} fields with the task id", () => {
    const w = new SimWorld({ profile: "typical", version: "25.10" });
    const events = recorder(w);
    w.control.setSnapshotTaskState(2, "ERROR", "No space left");
    expect(events[0]).toMatchObject({ collection: "pool.snapshottask.query", msg: "changed", id: 2 });
    expect(Object.keys(events[0]!.fields as object)).toEqual(["state"]);
    expect(call(w, "pool.snapshottask.query", [[["id", "=", 2]], { get: true }]).state.error).toBe(
      "No space left",
    );
  });

  it("removing and adding disks, creating and destroying datasets", () => {
    const w = new SimWorld({ profile: "typical", version: "25.10" });
    const events = recorder(w);
    w.control.removeDisk("sdf");
    expect(events[0]).toMatchObject({ collection: "disk.query", msg: "removed" });
    expect(call(w, "disk.query").map((d: any) => d.name)).not.toContain("sdf");
    expect(
      call(w, "disk.query", [[], { extra: { include_expired: true } }]).map((d: any) => d.name),
    ).toContain("sdf");
    w.control.createDataset("tank/new");
    w.control.destroyDataset("tank/media");
    expect(events.filter((e) => e.collection === "pool.dataset.query").map((e) => [e.msg, e.id])).toEqual([
      ["added", "tank/new"],
      ["removed", "tank/media"],
      ["removed", "tank/media/movies"],
      ["removed", "tank/media/tv"],
      ["removed", "tank/media/music"],
    ]);
  });
});

describe("the world is alive and deterministic", () => {
  it("drifts temperatures and CPU, and advances a running scrub with zfs.pool.scan events without an id", () => {
    const a = new SimWorld({ profile: "typical", version: "25.10", seed: 3, now: () => 0 });
    const b = new SimWorld({ profile: "typical", version: "25.10", seed: 3, now: () => 0 });
    const events = recorder(a);
    const before = structuredClone(a.state.temperatures);
    for (let i = 0; i < 5; i += 1) {
      a.advance(2000);
      b.advance(2000);
    }
    expect(a.state.temperatures).not.toEqual(before);
    expect(a.state.temperatures).toEqual(b.state.temperatures);
    expect(a.realtimeStats()).toEqual(b.realtimeStats());
    const scans = events.filter((e) => e.collection === "zfs.pool.scan");
    expect(scans.length).toBeGreaterThan(0);
    expect(scans[0]).not.toHaveProperty("id");
    expect((scans[0]!.fields as any).name).toBe("fast");
  });

  it("builds the large profile at the documented size", () => {
    const w = new SimWorld({ profile: "large", version: "25.10" });
    expect(w.counts()).toMatchObject({
      pools: 10,
      disks: 201,
      datasets: 5010,
      apps: 150,
      vms: 50,
      cloudsync: 100,
      replication: 100,
      snapshottasks: 100,
    });
    const poolDisks = new Set(
      w.state.pools.flatMap((p: any) =>
        p.topology.data.flatMap((v: any) => v.children.map((c: any) => c.disk)),
      ),
    );
    expect(poolDisks.size).toBe(200);
  });
});

describe("reporting", () => {
  const w = new SimWorld({ profile: "typical", version: "25.10", now: () => Date.UTC(2026, 0, 1) });
  it("returns graph rows for the window and silently drops a bad identifier", () => {
    const out = call(w, "reporting.netdata_get_data", [
      [
        { name: "load" },
        { name: "interface", identifier: "nope0" },
        { name: "interface", identifier: "enp3s0" },
      ],
      { unit: "HOUR" },
    ]);
    expect(out.map((g: any) => g.name)).toEqual(["load", "interface"]);
    expect(out[0].legend).toEqual(["time", "shortterm", "midterm", "longterm"]);
    expect(out[0].data).toHaveLength(1800);
  });

  it("fails graphs without a plugin with a KeyError, and uses the 25.10 disk identifier", () => {
    expect(() => call(w, "reporting.get_data", [[{ name: "processes" }]])).toThrow("'processes'");
    const ids = call(w, "reporting.netdata_graphs").find((g: any) => g.name === "disk").identifiers;
    expect(ids).toContain("sdb | Type: HDD | Model: WDC WD80EFZZ-68BTXN0 | Serial: WD-CA0AB1C1");
  });
});
