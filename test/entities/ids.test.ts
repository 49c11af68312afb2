import { describe, expect, it } from "vitest";
import {
  defaultEntityId,
  deviceIdentifier,
  deviceKey,
  discoveryNodeId,
  entityObjectId,
  entitySlug,
  makeNasIdentity,
  NAS_DEVICE,
  nasIdFromHostId,
  uniqueId,
} from "../../src/entities/ids.js";
import { isTopicId, sanitizeTopicId, shortHash } from "../../src/entities/topics.js";

describe("NAS identity", () => {
  it("derives a stable nas_<8 hex> id from the host id", () => {
    const id = nasIdFromHostId("2f1a9c0e7d5b4e3a8c6f0a1b2c3d4e5f");
    expect(id).toMatch(/^nas_[0-9a-f]{8}$/);
    expect(nasIdFromHostId("2f1a9c0e7d5b4e3a8c6f0a1b2c3d4e5f")).toBe(id);
    expect(nasIdFromHostId("another host")).not.toBe(id);
    expect(() => nasIdFromHostId("  ")).toThrow(TypeError);
  });

  it("keeps the host name for display and never uses it in the id", () => {
    const a = makeNasIdentity({ hostId: "h1", hostname: "truenas" });
    const b = makeNasIdentity({ hostId: "h1", hostname: "renamed.home.arpa" });
    expect(a.id).toBe(b.id);
    expect(b.hostname).toBe("renamed.home.arpa");
  });

  it("sanitises a configured id and refuses 'bridge'", () => {
    expect(makeNasIdentity({ hostId: "h", hostname: "x", id: "office" }).id).toBe("office");
    expect(isTopicId(makeNasIdentity({ hostId: "h", hostname: "x", id: "my nas/1" }).id)).toBe(true);
    expect(() => makeNasIdentity({ hostId: "h", hostname: "x", id: "bridge" })).toThrow(TypeError);
  });
});

describe("device identifiers", () => {
  const cases: [string, string, string][] = [
    ["the NAS", NAS_DEVICE, "truenas2mqtt_nas_1"],
    [
      "a pool",
      deviceKey({ kind: "pool", id: "15532686415350213493" }),
      "truenas2mqtt_nas_1_pool_15532686415350213493",
    ],
    ["an app", deviceKey({ kind: "app", id: "nextcloud" }), "truenas2mqtt_nas_1_app_nextcloud"],
    ["a VM", deviceKey({ kind: "vm", id: "7" }), "truenas2mqtt_nas_1_vm_7"],
    [
      "a disk",
      deviceKey({ kind: "disk", id: "{serial}S5GX" }),
      `truenas2mqtt_nas_1_disk_${sanitizeTopicId("{serial}S5GX")}`,
    ],
  ];

  it.each(cases)("identifies %s", (_label, key, expected) => {
    expect(deviceIdentifier("nas_1", key)).toBe(expected);
  });

  it("cannot give a child device the NAS's key", () => {
    expect(deviceKey({ kind: "nas", id: "x" })).not.toBe(NAS_DEVICE);
  });

  it("uses one discovery node id per NAS", () => {
    expect(discoveryNodeId("nas_1")).toBe("truenas2mqtt_nas_1");
    expect(discoveryNodeId("nas_2")).not.toBe(discoveryNodeId("nas_1"));
  });
});

describe("unique ids and discovery object ids", () => {
  const pool = { kind: "pool", id: "1234" };

  it("compose NAS, kind, object and key", () => {
    expect(entityObjectId(pool, "used")).toBe("pool_1234__used");
    expect(uniqueId("nas_1", pool, "used")).toBe("truenas2mqtt_nas_1_pool_1234__used");
    expect(uniqueId("nas_2", pool, "used")).not.toBe(uniqueId("nas_1", pool, "used"));
  });

  it("stay distinct when underscores could be split differently", () => {
    const a = uniqueId("nas_1", { kind: "pool", id: "a_b" }, "c");
    const b = uniqueId("nas_1", { kind: "pool", id: "a" }, "b_c");
    expect(a).not.toBe(b);
  });

  it("stay distinct for names that collide after sanitising", () => {
    const ids = ["tank/a b", "tank/a_b", "tank/a+b", "tank_a_b"].map((id) =>
      uniqueId("nas_1", { kind: "dataset", id }, "used"),
    );
    expect(new Set(ids).size).toBe(4);
  });

  it("stay distinct for names that differ only in case or in lone surrogates", () => {
    const ids = ["Media", "media", "\ud800", "\udfff", "\ufffd"].map((id) =>
      uniqueId("nas_1", { kind: "app", id }, "state"),
    );
    expect(new Set(ids).size).toBe(5);
  });

  it("are valid discovery object ids even for hostile object ids", () => {
    expect(isTopicId(entityObjectId({ kind: "dataset", id: "a/#/+ \u0000 🙂" }, "used"))).toBe(true);
  });

  it("refuse keys that are not lower-case words", () => {
    for (const key of ["Used", "used__pct", "_used", "used_", "used-pct", ""]) {
      expect(() => entityObjectId(pool, key)).toThrow(TypeError);
    }
  });
});

describe("default_entity_id", () => {
  const cases: [string, Parameters<typeof defaultEntityId>, string][] = [
    ["host + entity", ["sensor", ["truenas-01", "CPU temperature"]], "sensor.truenas_01_cpu_temperature"],
    [
      "host + device + entity",
      ["sensor", ["truenas-01", "Pool tank", "Used"]],
      "sensor.truenas_01_pool_tank_used",
    ],
    [
      "a device named after the host",
      ["sensor", ["truenas-01", "truenas-01 tank", "Used"]],
      "sensor.truenas_01_tank_used",
    ],
    [
      "the device's main entity",
      ["binary_sensor", ["truenas-01", "App plex", null]],
      "binary_sensor.truenas_01_app_plex",
    ],
    ["accents and symbols", ["switch", ["NAS", "Küche/#1", "On!"]], "switch.nas_kuche_1_on"],
    ["nothing spellable", ["button", ["🙂", null]], `button.${shortHash("🙂")}`],
    ["nothing at all", ["button", ["", null]], "button.truenas"],
  ];

  it.each(cases)("from %s", (_label, args, expected) => {
    expect(defaultEntityId(...args)).toBe(expected);
  });

  it("stays within HA's entity id length", () => {
    const id = defaultEntityId("sensor", ["truenas-01", "d".repeat(1000)]);
    expect(id.length).toBeLessThanOrEqual(255);
    expect(id).toMatch(/^sensor\.[a-z0-9]+(?:_[a-z0-9]+)*$/);
  });

  it.each([
    ["wildcards and NUL", "a/+/#\u0000b"],
    ["control characters", "line\nfeed\t\u001b[31m"],
    ["a lone surrogate", "\ud800x"],
    ["CJK only", "数据集"],
    ["right-to-left text", "مجموعة\u202e"],
    ["combining marks", "Cafe\u0301"],
    ["10,000 characters", "Z".repeat(10_000)],
    ["dots and spaces", " .. "],
  ])("stays a valid entity id for a device named with %s", (_label, name) => {
    const id = defaultEntityId("sensor", ["truenas-01", `truenas-01 app ${name}`, "Used"]);
    expect(id).toMatch(/^sensor\.[a-z0-9]+(?:_[a-z0-9]+)*$/);
    expect(id.length).toBeLessThanOrEqual(255);
  });

  it("keeps names it cannot spell apart with a hash, and leaves ASCII punctuation to HA's _2", () => {
    const suggest = (name: string): string =>
      defaultEntityId("sensor", ["nas01", `nas01 app ${name}`, "State"]);
    expect(suggest("数据集")).toBe(`sensor.nas01_app_${shortHash("nas01 app 数据集")}_state`);
    const spelled = ["数据集", "文件", "Медиа", "📦", "🚀", "a\u0000b", "a\nb", "\ud800", "\ufffd"].map(
      suggest,
    );
    expect(new Set(spelled).size).toBe(spelled.length);
    expect(suggest("Küche")).toBe("sensor.nas01_app_kuche_state");
    expect(suggest("a/b")).toBe(suggest("a b"));
  });

  it("keeps the entity name and tells long names apart when a device name is very long", () => {
    const long = "L".repeat(10_000);
    const used = defaultEntityId("sensor", ["nas01", `nas01 VM ${long}1`, "Used"]);
    expect(used).toMatch(/^sensor\.nas01_vm_l+_[0-9a-f]{8}_used$/);
    expect(defaultEntityId("sensor", ["nas01", `nas01 VM ${long}1`, "Available"])).toMatch(/_available$/);
    expect(defaultEntityId("sensor", ["nas01", `nas01 VM ${long}2`, "Used"])).not.toBe(used);
  });

  it("slugs to lower-case words joined by single underscores", () => {
    expect(entitySlug("  Hello -- World__2 ")).toBe("hello_world_2");
  });
});
