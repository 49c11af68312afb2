import { describe, expect, it } from "vitest";
import {
  assertObjectKind,
  bridgeStateTopic,
  commandTopic,
  discoveryTopic,
  isTopicId,
  nasAvailabilityTopic,
  objectAttributesTopic,
  objectStateTopic,
  parseDiscoveryTopic,
  sanitizeTopicId,
  shortHash,
  TOPIC_ID_MAX_LENGTH,
} from "../../src/entities/topics.js";

const TOPICS = { baseTopic: "truenas2mqtt", discoveryPrefix: "homeassistant" };
const HOSTILE: [string, string][] = [
  ["a slash", "tank/media"],
  ["a plus", "a+b"],
  ["a hash", "a#b"],
  ["only wildcards", "+/#"],
  ["NUL", "a\u0000b"],
  ["control characters", "a\u0001\u001f\u007f\u0085b"],
  ["a newline", "line1\nline2"],
  ["spaces", "my pool name"],
  ["1,000 characters", "x".repeat(1000)],
  ["a 1,000-character path", "tank/".repeat(200)],
  ["emoji", "📦 backups 🚀"],
  ["only emoji", "🙂"],
  ["umlauts", "heating_küche"],
  ["CJK", "数据集"],
  ["right-to-left", "مجموعة"],
  ["dots", "truenas.home.arpa"],
  ["a colon", "02:11:22:33:44:55"],
  ["braces", "{serial_lunid}WD-CA0AB1C1_5000cca0bc1234a1"],
  ["double underscores", "a__b"],
  ["leading separator", "_hidden"],
  ["trailing separator", "name-"],
  ["empty", ""],
  ["looks like a sanitised id", "backup-0123abcd"],
];

describe("sanitizeTopicId", () => {
  it.each(HOSTILE)("makes %s a bounded [a-zA-Z0-9_-] id", (_label, raw) => {
    const id = sanitizeTopicId(raw);
    expect(isTopicId(id)).toBe(true);
    expect(id.length).toBeLessThanOrEqual(TOPIC_ID_MAX_LENGTH);
    expect(id).not.toContain("__");
    expect(id).toMatch(new RegExp(`-${shortHash(raw)}$`));
    expect(sanitizeTopicId(raw)).toBe(id);
  });

  it.each(["tank", "boot-pool", "nextcloud_aio", "eno1", "15532686415350213493", "A-b_C"])(
    "keeps the clean name %s as it is",
    (raw) => expect(sanitizeTopicId(raw)).toBe(raw),
  );

  it("keeps readable text from names it had to change", () => {
    expect(sanitizeTopicId("tank/media")).toBe(`tank_media-${shortHash("tank/media")}`);
    expect(sanitizeTopicId("heating_küche")).toBe(`heating_kuche-${shortHash("heating_küche")}`);
    expect(sanitizeTopicId("🙂")).toBe(`x-${shortHash("🙂")}`);
  });

  it("gives distinct ids to names that collide after sanitising", () => {
    const names = [
      "a/b",
      "a+b",
      "a#b",
      "a b",
      "a_b",
      "a-b",
      "a__b",
      "a\u0000b",
      "a/b/",
      "A/b",
      "a_b-" + shortHash("a/b"),
    ];
    const ids = names.map((name) => sanitizeTopicId(name));
    expect(new Set(ids).size).toBe(names.length);
  });

  it("gives distinct ids to long names that share their first 64 characters", () => {
    const prefix = "p".repeat(100);
    expect(sanitizeTopicId(`${prefix}1`)).not.toBe(sanitizeTopicId(`${prefix}2`));
  });

  it("honours a smaller bound and refuses one too small for the hash", () => {
    expect(sanitizeTopicId("a-long-dataset-name/with/levels", 20)).toHaveLength(20);
    expect(() => sanitizeTopicId("x", 9)).toThrow(RangeError);
  });
});

describe("topic builders", () => {
  const pool = { kind: "pool", id: "tank/#" };

  it("builds the bridge, NAS, state, attributes and command topics", () => {
    const id = sanitizeTopicId("tank/#");
    expect(bridgeStateTopic(TOPICS)).toBe("truenas2mqtt/bridge/state");
    expect(nasAvailabilityTopic(TOPICS, "nas_1")).toBe("truenas2mqtt/nas_1/availability");
    expect(objectStateTopic(TOPICS, "nas_1", pool)).toBe(`truenas2mqtt/nas_1/pool/${id}`);
    expect(objectAttributesTopic(TOPICS, "nas_1", pool)).toBe(`truenas2mqtt/nas_1/pool/${id}/attributes`);
    expect(commandTopic(TOPICS, "nas_1", pool, "scrub")).toBe(`truenas2mqtt/nas_1/pool/${id}/scrub/set`);
  });

  it("keeps a multi-level base topic and ignores a trailing slash", () => {
    const topics = { baseTopic: "home/nas/", discoveryPrefix: "ha/" };
    expect(nasAvailabilityTopic(topics, "nas_1")).toBe("home/nas/nas_1/availability");
    expect(discoveryTopic(topics, "sensor", "node", "obj")).toBe("ha/sensor/node/obj/config");
  });

  it("never lets an object id add or escape a topic level", () => {
    for (const [, raw] of HOSTILE) {
      const topic = objectStateTopic(TOPICS, "nas_1", { kind: "dataset", id: raw });
      expect(topic.split("/")).toHaveLength(4);
      expect(topic).toMatch(/^[A-Za-z0-9_/-]+$/);
    }
  });

  it("refuses kinds and command keys that are not plain words", () => {
    expect(() => assertObjectKind("Pool")).toThrow(TypeError);
    expect(() => assertObjectKind("snapshot_task")).toThrow(TypeError);
    expect(() => objectStateTopic(TOPICS, "n", { kind: "a/b", id: "x" })).toThrow(TypeError);
    expect(() => commandTopic(TOPICS, "n", pool, "Run/now")).toThrow(TypeError);
  });

  it("builds and parses discovery topics, refusing ids HA would reject", () => {
    const topic = discoveryTopic(TOPICS, "sensor", "truenas2mqtt_nas_1", "pool_1__used");
    expect(topic).toBe("homeassistant/sensor/truenas2mqtt_nas_1/pool_1__used/config");
    expect(parseDiscoveryTopic(TOPICS, topic)).toEqual({
      component: "sensor",
      nodeId: "truenas2mqtt_nas_1",
      objectId: "pool_1__used",
    });
    expect(() => discoveryTopic(TOPICS, "sensor", "nas.1", "x")).toThrow(TypeError);
    expect(parseDiscoveryTopic(TOPICS, "homeassistant/sensor/x/config")).toBeUndefined();
    expect(parseDiscoveryTopic(TOPICS, "other/sensor/n/x/config")).toBeUndefined();
    expect(parseDiscoveryTopic(TOPICS, "homeassistant/sensor/n/x/y/config")).toBeUndefined();
  });
});
