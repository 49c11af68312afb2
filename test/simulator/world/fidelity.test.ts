/**
 * The typical profile is nas01 from ../shared/docs/truenas-samples: at the samples' instant on 25.10 every method
 * answers exactly what the sample shows (the one exception is a display string the samples themselves get
 * inconsistent), and the 25.04 flavours differ only where TrueNAS 25.04 differs.
 */
import { describe, expect, it } from "vitest";
import { SimWorld } from "../../../src/simulator/world/world.js";
import type { SimVersion } from "../../../src/simulator/types.js";
import { SAMPLE_NOW_MS, callWire, sample, shape, wire } from "./helpers.js";

const world = (version: SimVersion = "25.10") =>
  new SimWorld({ profile: "typical", version, now: () => SAMPLE_NOW_MS });

const MONITORING_SELECT = [
  [],
  {
    select: [
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
    ],
    extra: {
      properties: [
        "used",
        "available",
        "quota",
        "refquota",
        "usedbysnapshots",
        "compressratio",
        "mountpoint",
        "encryption",
        "keystatus",
      ],
    },
  },
];

/** [sample file, method, params] answered identically on 25.10 at the samples' instant. */
const EXACT: Array<[string, string, unknown[]]> = [
  ["system.info.json", "system.info", []],
  ["system.ready.json", "system.ready", []],
  ["system.state.json", "system.state", []],
  ["update.status.json", "update.status", []],
  ["pool.query.json", "pool.query", []],
  ["boot.get_state.json", "boot.get_state", []],
  ["pool.dataset.query.select.json", "pool.dataset.query", MONITORING_SELECT],
  ["disk.query.json", "disk.query", [[], { extra: { pools: true } }]],
  ["disk.temperatures.json", "disk.temperatures", [[]]],
  ["disk.temperatures.thresholds.json", "disk.temperatures", [["sdb", "sdc", "nvme0n1", "nvme1n1"], true]],
  ["interface.query.json", "interface.query", []],
  ["service.query.json", "service.query", []],
  ["app.query.json", "app.query", []],
  ["vm.query.json", "vm.query", []],
  ["virt.instance.query.json", "virt.instance.query", []],
  ["cloudsync.query.json", "cloudsync.query", []],
  ["replication.query.json", "replication.query", []],
  ["pool.snapshottask.query.json", "pool.snapshottask.query", []],
  ["core.get_jobs.json", "core.get_jobs", []],
  ["alert.list.json", "alert.list", []],
  ["reporting.netdata_graphs.json", "reporting.netdata_graphs", []],
];

describe("typical profile = nas01 (25.10, at the samples' instant)", () => {
  it.each(EXACT)("%s", (file, method, params) => {
    expect(callWire(world(), method, params)).toEqual(sample(file));
  });

  it("pool.dataset.query of one dataset matches the full sample entry (creation text aside)", () => {
    const [got] = callWire(world(), "pool.dataset.query", [
      [["id", "=", "tank/home/alice"]],
      { extra: { retrieve_children: false } },
    ]);
    const [want] = sample("pool.dataset.query.json");
    // The sample's creation text does not match its own rawvalue; ours is rendered from the rawvalue.
    expect(got.creation.rawvalue).toBe(want.creation.rawvalue);
    expect(got.creation.value).toMatch(/^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d [ \d]\d:\d\d \d{4}$/);
    got.creation.value = want.creation.value;
    expect(got).toEqual(want);
  });

  it("reporting.realtime fields match the 25.10 event sample, including pools", () => {
    expect(wire(world().realtimeStats())).toEqual(sample("events/reporting.realtime.event.json").fields);
  });

  it("netdata_get_data answers the sample's request with the sample's shape and window", () => {
    const req = sample("reporting.netdata_get_data.json");
    const params = [
      [
        { name: "cpu" },
        { name: "memory" },
        { name: "interface", identifier: "enp3s0" },
        { name: "disk", identifier: "sdb | Type: HDD | Model: WDC WD80EFZZ-68BTXN0 | Serial: WD-CA0AB1C1" },
        { name: "load" },
        { name: "cputemp" },
      ],
      { unit: "HOUR", page: 1, aggregate: true },
    ];
    const got = callWire(world(), "reporting.netdata_get_data", params);
    expect(got.map((g: any) => [g.name, g.identifier, g.start, g.end, g.legend])).toEqual(
      req.map((g: any) => [g.name, g.identifier, g.start, g.end, g.legend]),
    );
    for (const [i, g] of got.entries()) {
      expect(shape(g)).toEqual(shape(req[i]));
      expect(g.data).toHaveLength(1800);
      expect(g.data[0][0]).toBe(req[i].data[0][0]);
      expect(g.data[1][0] - g.data[0][0]).toBe(2);
    }
  });
});

describe("25.04 flavours differ only where 25.04 differs", () => {
  it.each(["25.04.2", "25.04.0"] as const)("%s disk.query keeps the S.M.A.R.T. columns", (v) => {
    expect(callWire(world(v), "disk.query", [[], { extra: { pools: true } }])).toEqual(
      sample("disk.query.25.04.json"),
    );
  });

  it.each(["25.04.2", "25.04.0"] as const)("%s realtime has failed_to_connect and no pools", (v) => {
    expect(wire(world(v).realtimeStats())).toEqual(
      sample("events/reporting.realtime.event.25.04.json").fields,
    );
  });

  it.each(["25.04.2", "25.04.0"] as const)("%s service.query has smartd instead of nvmet", (v) => {
    const names = callWire(world(v), "service.query").map((s: any) => s.service);
    expect(names).toContain("smartd");
    expect(names).not.toContain("nvmet");
    expect(callWire(world("25.10"), "service.query").map((s: any) => s.service)).not.toContain("smartd");
  });

  it.each(["25.04.2", "25.04.0"] as const)("%s jobs (and tasks' jobs) have no message_ids", (v) => {
    const w = world(v);
    for (const job of callWire(w, "core.get_jobs")) expect(job).not.toHaveProperty("message_ids");
    expect(callWire(w, "cloudsync.query")[0].job).not.toHaveProperty("message_ids");
    const want = sample("core.get_jobs.json").map(({ message_ids: _m, ...rest }: any) => rest);
    expect(callWire(w, "core.get_jobs")).toEqual(want);
  });

  it("25.04 replication hides has_encrypted_dataset_keys unless asked", () => {
    const w = world("25.04.2");
    expect(callWire(w, "replication.query")[0]).not.toHaveProperty("has_encrypted_dataset_keys");
    const asked = callWire(w, "replication.query", [[], { extra: { check_dataset_encryption_keys: true } }]);
    expect(asked[0].has_encrypted_dataset_keys).toBe(false);
  });

  it("25.04 instances have no privileged_mode; 25.04.2 lists the same Incus instances", () => {
    const got = callWire(world("25.04.2"), "virt.instance.query");
    const want = sample("virt.instance.query.json").map(({ privileged_mode: _p, ...rest }: any) => rest);
    expect(got).toEqual(want);
  });

  it("25.04 system.info has the same keys and its own version string", () => {
    const info = callWire(world("25.04.2"), "system.info");
    expect(shape(info)).toEqual(shape(sample("system.info.json")));
    expect(info.version).toBe("25.04.2.6");
    expect(callWire(world("25.04.0"), "system.info").version).toBe("25.04.0");
    expect(callWire(world("25.10"), "system.version")).toBe("TrueNAS-25.10.0");
    expect(callWire(world("25.04.2"), "system.version")).toBe("TrueNAS-SCALE-25.04.2.6");
    expect(callWire(world("25.04.2"), "system.version_short")).toBe("25.04.2.6");
  });

  it("25.04 update.check_available: AVAILABLE on 25.04.0 in the sample's shape, UNAVAILABLE on 25.04.2.6", () => {
    const available = callWire(world("25.04.0"), "update.check_available");
    expect(shape(available)).toEqual(shape(sample("update.check_available.25.04.json")));
    expect(available.version).toBe("25.04.2.6");
    expect(available.changes[0].old.version).toBe("25.04.0");
    expect(callWire(world("25.04.2"), "update.check_available")).toEqual(
      sample("update.check_available.unavailable.25.04.json"),
    );
  });

  it("every shared method keeps the 25.10 sample's shape on 25.04.2 (datasets' value strings aside)", () => {
    for (const [file, method, params] of EXACT) {
      if (
        ["update.status", "disk.query", "service.query", "core.get_jobs", "cloudsync.query"].includes(method)
      )
        continue;
      if (["replication.query", "virt.instance.query", "disk.temperatures"].includes(method)) continue;
      expect(shape(callWire(world("25.04.2"), method, params)), method).toEqual(shape(sample(file)));
    }
  });
});
