/**
 * Version gating and per-flavour argument rules (truenas-api.md §3.1, §6): each world serves only its flavour's
 * methods, wrong-flavour arguments fail with -32602, and the server-owned methods are never in the table.
 */
import { describe, expect, it } from "vitest";
import { SIM_VERSIONS, type SimVersion } from "../../../src/simulator/types.js";
import { SimWorld } from "../../../src/simulator/world/world.js";
import { SAMPLE_NOW_MS, callError, callWire, sample, shape } from "./helpers.js";

const world = (version: SimVersion) =>
  new SimWorld({ profile: "typical", version, now: () => SAMPLE_NOW_MS });

const EVERYWHERE = [
  "system.info",
  "system.ready",
  "system.state",
  "system.version",
  "system.version_short",
  "system.host_id",
  "system.boot_id",
  "pool.query",
  "boot.get_state",
  "pool.dataset.query",
  "disk.query",
  "disk.temperatures",
  "disk.temperature_agg",
  "disk.temperature_alerts",
  "interface.query",
  "service.query",
  "virt.instance.query",
  "app.query",
  "cloudsync.query",
  "replication.query",
  "pool.snapshottask.query",
  "reporting.netdata_get_data",
  "reporting.get_data",
  "reporting.netdata_graphs",
  "reporting.graphs",
  "core.get_jobs",
  "alert.list",
  "pool.scrub.scrub",
  "app.start",
  "app.stop",
  "cloudsync.sync",
  "replication.run",
];

describe("method tables per flavour", () => {
  it.each(SIM_VERSIONS)("%s has every common method and none the server owns", (v) => {
    const methods = world(v).methods();
    for (const m of EVERYWHERE) expect(methods.has(m), m).toBe(true);
    for (const m of [
      "auth.login_with_api_key",
      "core.ping",
      "core.subscribe",
      "core.unsubscribe",
      "core.set_options",
    ]) {
      expect(methods.has(m), m).toBe(false);
    }
  });

  it.each([
    ["update.check_available", false, true, true],
    ["update.status", true, false, false],
    ["disk.temperature", false, true, true],
    ["vm.query", true, true, false],
  ] as const)("%s: 25.10=%s 25.04.2=%s 25.04.0=%s", (method, on2510, on25042, on25040) => {
    expect(world("25.10").methods().has(method)).toBe(on2510);
    expect(world("25.04.2").methods().has(method)).toBe(on25042);
    expect(world("25.04.0").methods().has(method)).toBe(on25040);
  });

  it("an absent method is -32601 without data", () => {
    expect(callError(world("25.10"), "update.check_available")).toEqual({
      code: -32601,
      message: "Method does not exist",
    });
  });
});

describe("arguments", () => {
  it("too many arguments is -32602 with an empty attribute", () => {
    const err = callError(world("25.10"), "system.info", [1]);
    expect(err.code).toBe(-32602);
    expect(err.data.extra).toEqual(sample("errors/invalid_params_too_many_args.json").data.extra);
    expect(callError(world("25.10"), "pool.query", [[], {}, 3]).data.extra).toEqual([
      ["", "Too many arguments (expected 2, found 3)", 22],
    ]);
  });

  it("query options must be a dict and filters a list", () => {
    expect(callError(world("25.10"), "pool.query", [{}]).code).toBe(-32602);
    expect(callError(world("25.10"), "disk.query", [[], []]).code).toBe(-32602);
  });

  it("disk.temperatures: 25.10 takes include_thresholds (bool); a 25.04 options dict is -32602", () => {
    const err = callError(world("25.10"), "disk.temperatures", [[], { cache: 290 }]);
    expect(err.code).toBe(-32602);
    expect(err.data.extra[0][0]).toBe("include_thresholds");
    expect(callWire(world("25.10"), "disk.temperatures", [["sdb"], true])).toEqual({ sdb: [36, 60] });
  });

  it("disk.temperatures: 25.04 takes an options dict; a 25.10 boolean is -32602", () => {
    expect(callError(world("25.04.2"), "disk.temperatures", [[], true]).code).toBe(-32602);
    expect(callWire(world("25.04.2"), "disk.temperatures", [[], { cache: 290, powermode: "NEVER" }])).toEqual(
      sample("disk.temperatures.json"),
    );
    expect(callWire(world("25.04.2"), "disk.temperature", ["nvme1n1", {}])).toBe(46);
    expect(callWire(world("25.04.2"), "disk.temperature", ["nope"])).toBeNull();
  });

  it("disk.temperature_agg works with names on 25.10 and only with graph identifiers on 25.04", () => {
    const agg = callWire(world("25.10"), "disk.temperature_agg", [["sdb", "sdc", "nvme0n1"], 7]);
    expect(shape(agg)).toEqual(shape(sample("disk.temperature_agg.json")));
    expect(agg.sdb.min).toBeLessThanOrEqual(agg.sdb.avg);
    expect(agg.sdb.avg).toBeLessThanOrEqual(agg.sdb.max);
    expect(callWire(world("25.04.2"), "disk.temperature_agg", [["sdb"], 7])).toEqual({});
    const id = "HDD | WDC WD80EFZZ-68BTXN0 Model | {serial_lunid}WD-CA0AB1C1_5000cca0bc1234a1";
    expect(Object.keys(callWire(world("25.04.2"), "disk.temperature_agg", [[id], 7]))).toEqual([id]);
  });
});

describe("VMs and instances per flavour", () => {
  it("25.04.0 lists libvirt VMs as Incus VMs with the 25.04.0 status vocabulary", () => {
    const rows = callWire(world("25.04.0"), "virt.instance.query");
    expect(rows.map((r: any) => [r.name, r.type, r.status])).toEqual([
      ["pihole", "CONTAINER", "RUNNING"],
      ["ubuntu-vm", "VM", "STOPPED"],
      ["win11", "VM", "RUNNING"],
      ["debian12", "VM", "STOPPED"],
    ]);
    const win11 = rows.find((r: any) => r.name === "win11");
    expect(win11.memory).toBe(16384 * 1024 * 1024);
    expect(Object.keys(win11).sort()).toEqual(Object.keys(rows[1]).sort());
  });

  it("25.10 and 25.04.2 keep VMs in vm.query (MiB, status object) and containers in virt.instance.query", () => {
    for (const v of ["25.10", "25.04.2"] as const) {
      const vms = callWire(world(v), "vm.query");
      expect(vms.map((x: any) => [x.id, x.memory, x.status.state])).toEqual([
        [1, 16384, "RUNNING"],
        [2, 4096, "STOPPED"],
      ]);
      expect(callWire(world(v), "virt.instance.query").map((r: any) => r.name)).toEqual([
        "pihole",
        "ubuntu-vm",
      ]);
    }
  });
});

describe("reporting per flavour", () => {
  it("disk graph identifiers use each release's format", () => {
    const ids = (v: SimVersion) =>
      callWire(world(v), "reporting.netdata_graphs", [[["name", "=", "disk"]], { get: true }]).identifiers;
    expect(ids("25.10")[1]).toBe("sdb | Type: HDD | Model: WDC WD80EFZZ-68BTXN0 | Serial: WD-CA0AB1C1");
    expect(ids("25.04.2")[1]).toBe(
      "HDD | WDC WD80EFZZ-68BTXN0 Model | {serial_lunid}WD-CA0AB1C1_5000cca0bc1234a1",
    );
    expect(ids("25.04.2")[6]).toBe("NVME | Samsung SSD 980 PRO 1TB Model | {serial}S5GXNF0T301122K");
  });

  it("aggregations are null on 25.10 and {} on 25.04 with aggregate:false", () => {
    const q = [[{ name: "load" }], { aggregate: false }];
    expect(callWire(world("25.10"), "reporting.netdata_get_data", q)[0].aggregations).toBeNull();
    expect(callWire(world("25.04.0"), "reporting.get_data", q)[0].aggregations).toEqual({});
  });

  it("realtime with netdata down: 25.04 {failed_to_connect: true}, 25.10 nothing", () => {
    const w4 = world("25.04.2");
    w4.control.setNetdataDown(true);
    expect(w4.realtimeStats()).toEqual(
      sample("events/reporting.realtime.event.netdata_down.25.04.json").fields,
    );
    const w10 = world("25.10");
    w10.control.setNetdataDown(true);
    expect(w10.realtimeStats()).toBeNull();
    w10.control.setNetdataDown(false);
    expect(w10.realtimeStats()).toHaveProperty("pools");
  });
});

describe("updates", () => {
  it("25.10 update.status reports errors inside the result; 25.04 check_available raises", () => {
    const w10 = world("25.10");
    w10.control.setUpdateError({
      errname: "ENETUNREACH",
      reason: sample("update.status.error.json").error.reason,
    });
    expect(callWire(w10, "update.status")).toEqual(sample("update.status.error.json"));
    const w4 = world("25.04.2");
    w4.control.setUpdateError({ errname: "EFAULT", reason: "Cannot connect to update server" });
    expect(callError(w4, "update.check_available").data.reason).toBe(
      "[EFAULT] Cannot connect to update server",
    );
  });

  it("no update on 25.10: new_version null", () => {
    const w = world("25.10");
    w.control.setUpdateAvailable(null);
    expect(callWire(w, "update.status").status.new_version).toBeNull();
  });
});
