import fc from "fast-check";
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
  ["a parent directory", ".."],
  ["a relative path", "../../etc"],
  ["a leading space", " media"],
  ["a trailing space", "media "],
  ["only spaces", "   "],
  ["a tab", "a\tb"],
  ["an ANSI escape", "\u001b[31mred\u001b[0m"],
  ["10,000 characters", "y".repeat(10_000)],
  ["combining marks", "e\u0301\u0301\u0301"],
  ["a right-to-left override", "abc\u202eexe.txt"],
  ["zero-width characters", "a\u200bb\ufeff"],
  ["__proto__", "__proto__"],
  ["a lone high surrogate", "a\ud800b"],
  ["a lone low surrogate", "\udfff"],
  ["a U+FFFD", "\ufffd"],
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

  it("gives distinct ids to names that differ only in lone surrogates (which UTF-8 cannot carry)", () => {
    // A name decoded with Python's surrogateescape reaches us as lone surrogates; UTF-8 turns each into U+FFFD.
    const names = [
      "\ud800",
      "\udfff",
      "\ufffd",
      "a\ud800b",
      "a\udc00b",
      "a\ufffdb",
      "\ud800\ud800",
      "\ud83d",
    ];
    const ids = names.map((name) => sanitizeTopicId(name));
    expect(new Set(ids).size).toBe(names.length);
  });

  it("gives distinct ids to names that differ in case, spacing or dots only", () => {
    const names = ["Media", "media", "MEDIA", " media", "media ", "me dia", "..", ".", "...", "_", "__", "-"];
    const ids = names.map((name) => sanitizeTopicId(name));
    expect(new Set(ids).size).toBe(names.length);
  });

  it("keeps the ids already published for well-formed names (HA keeps unique ids forever)", () => {
    expect(sanitizeTopicId("tank/media")).toBe("tank_media-1518c5f9");
    expect(sanitizeTopicId("{serial_lunid}S6PENL0T412873B_5002538f43a1b2c4")).toBe(
      "serial_lunid_S6PENL0T412873B_5002538f43a1b2c4-fd195645",
    );
  });

  it("is injective, bounded and topic-safe for any UTF-16 string (property)", () => {
    const unit = fc.oneof(
      fc.constantFrom("a", "A", "_", "-", "/", "+", "#", " ", ".", "\u0000", "\n", "\u0301", "é", "😀"),
      fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
    );
    const name = fc.string({ unit, maxLength: 80 });
    fc.assert(
      fc.property(name, name, (a, b) => {
        const [ia, ib] = [sanitizeTopicId(a), sanitizeTopicId(b)];
        expect(isTopicId(ia) && ia.length <= TOPIC_ID_MAX_LENGTH && !ia.includes("__")).toBe(true);
        expect(ia === ib).toBe(a === b);
      }),
      { numRuns: 2_000 },
    );
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
