/**
 * Topic segments and topics. HA accepts only `[a-zA-Z0-9_-]` for the discovery node id and object id
 * (`mqtt/discovery.py` TOPIC_MATCHER, ha-mqtt-discovery.md §1.1); the bridge uses the same alphabet for every
 * topic level it builds from TrueNAS data, so a pool called `a/b`, `+`, `#` or `Küche` can neither break nor
 * escape its topic.
 *
 * Layout (per NAS, nothing global):
 *   <base>/bridge/state                                 bridge LWT (`online`/`offline`, retained)
 *   <base>/<nasId>/availability                         per-NAS availability (retained)
 *   <base>/<nasId>/<kind>/<objectId>                    one JSON state document per object
 *   <base>/<nasId>/<kind>/<objectId>/attributes         its detail document (json_attributes_topic)
 *   <base>/<nasId>/<kind>/<objectId>/<command>/set      commands (later)
 *   <prefix>/<component>/<nodeId>/<entityObjectId>/config   discovery, nodeId = truenas2mqtt_<nasId>
 * The levels differ in depth or last segment, so no two kinds of topic can collide.
 */
import { createHash } from "node:crypto";
import type { ObjectRef, TopicSettings } from "./model.js";

/** Longest topic id the sanitiser produces. */
export const TOPIC_ID_MAX_LENGTH = 64;
/** Hex digits of the SHA-256 of the raw name appended when sanitising changed it. */
const HASH_LENGTH = 8;

/** Single separators between alphanumeric runs: what passes through unchanged. */
const CLEAN_ID = /^[A-Za-z0-9]+(?:[_-][A-Za-z0-9]+)*$/;
/** The tail a sanitised id ends with; a raw name ending like this is hashed too, so outputs never collide. */
const HASHED_TAIL = new RegExp(`-[0-9a-f]{${HASH_LENGTH}}$`);
const OBJECT_KIND = /^[a-z][a-z0-9]*$/;
const COMMAND_KEY = /^[a-z][a-z0-9_]*$/;

/** HA's rule for discovery node/object ids (§1.1). */
export function isTopicId(value: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(value);
}

/** A UTF-16 surrogate without its partner: UTF-8 cannot encode it and would write U+FFFD instead. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Never part of UTF-8, so the hash input of an ill-formed name cannot equal that of any well-formed one. */
const ILL_FORMED_MARK = Buffer.from([0xff]);

/**
 * Short stable hash of a raw name: SHA-256 of its UTF-8. A name with lone surrogates (Python hands them on
 * for bytes it could not decode, `surrogateescape`) is hashed as 0xFF + UTF-16LE instead, which keeps every
 * surrogate: UTF-8 would turn `\uD800`, `\uDFFF` and `\uFFFD` into the same bytes, and so into one id.
 * Well-formed names hash as they always did, so published ids stay.
 */
export function shortHash(raw: string): string {
  const hash = createHash("sha256");
  if (LONE_SURROGATE.test(raw)) hash.update(ILL_FORMED_MARK).update(Buffer.from(raw, "utf16le"));
  else hash.update(raw, "utf8");
  return hash.digest("hex").slice(0, HASH_LENGTH);
}

/**
 * A topic-safe id for a raw TrueNAS name. A name that is already clean (alphanumeric runs joined by single `_`
 * or `-`, at most `maxLength` long, not ending like a hash tail) is returned unchanged. Any other name is
 * transliterated (accents dropped), every other character run becomes `_`, the result is cut to fit, and
 * `-<8 hex of SHA-256(raw)>` is appended. So distinct names give distinct ids (up to a 32-bit hash collision
 * between names that also sanitise to the same text), the output never contains `__`, and it is stable.
 */
export function sanitizeTopicId(raw: string, maxLength: number = TOPIC_ID_MAX_LENGTH): string {
  if (maxLength < HASH_LENGTH + 2) throw new RangeError(`maxLength must be at least ${HASH_LENGTH + 2}`);
  if (raw.length <= maxLength && CLEAN_ID.test(raw) && !HASHED_TAIL.test(raw)) return raw;
  const body = cleanBody(raw).slice(0, maxLength - HASH_LENGTH - 1);
  return `${trimSeparators(body) || "x"}-${shortHash(raw)}`;
}

function cleanBody(raw: string): string {
  const ascii = raw.normalize("NFKD").replace(/\p{M}/gu, "");
  const joined = ascii
    .replace(/[^A-Za-z0-9_-]+/g, "_")
    .replace(/[_-]*_[_-]*/g, "_")
    .replace(/-{2,}/g, "-");
  return trimSeparators(joined);
}

function trimSeparators(value: string): string {
  return value.replace(/^[_-]+|[_-]+$/g, "");
}

/** Throws on a kind that is not one lower-case word: kinds are code constants, not data. */
export function assertObjectKind(kind: string): string {
  if (!OBJECT_KIND.test(kind)) throw new TypeError(`object kind must match ${OBJECT_KIND.source}: ${kind}`);
  return kind;
}

/** The topic segment of an object id. */
export function objectTopicId(ref: ObjectRef): string {
  return sanitizeTopicId(ref.id);
}

/** Strip trailing `/` so `a/` and `a` give the same topics. */
function root(prefix: string): string {
  return prefix.replace(/\/+$/, "");
}

/** `<base>/bridge/state`: the bridge's LWT, `online`/`offline`, retained. */
export function bridgeStateTopic(topics: TopicSettings): string {
  return `${root(topics.baseTopic)}/bridge/state`;
}

/** `<base>/<nasId>/availability`: `online` while the NAS session is up, retained. */
export function nasAvailabilityTopic(topics: TopicSettings, nasId: string): string {
  return `${root(topics.baseTopic)}/${nasId}/availability`;
}

/** `<base>/<nasId>/<kind>/<objectId>`: the object's JSON state document. */
export function objectStateTopic(topics: TopicSettings, nasId: string, ref: ObjectRef): string {
  return `${root(topics.baseTopic)}/${nasId}/${assertObjectKind(ref.kind)}/${objectTopicId(ref)}`;
}

/** `<state topic>/attributes`: the object's detail document. */
export function objectAttributesTopic(topics: TopicSettings, nasId: string, ref: ObjectRef): string {
  return `${objectStateTopic(topics, nasId, ref)}/attributes`;
}

/** `<state topic>/<command>/set`: where HA publishes a command for the object. */
export function commandTopic(topics: TopicSettings, nasId: string, ref: ObjectRef, command: string): string {
  if (!COMMAND_KEY.test(command)) throw new TypeError(`command key must match ${COMMAND_KEY.source}`);
  return `${objectStateTopic(topics, nasId, ref)}/${command}/set`;
}

/** `<prefix>/<component>/<nodeId>/<objectId>/config` (§1.1). */
export function discoveryTopic(
  topics: TopicSettings,
  component: string,
  nodeId: string,
  objectId: string,
): string {
  for (const id of [nodeId, objectId]) {
    if (!isTopicId(id)) throw new TypeError(`discovery ids must match [a-zA-Z0-9_-]+: ${id}`);
  }
  return `${root(topics.discoveryPrefix)}/${component}/${nodeId}/${objectId}/config`;
}

export interface ParsedDiscoveryTopic {
  readonly component: string;
  readonly nodeId: string;
  readonly objectId: string;
}

/**
 * Parses a topic of the `<prefix>/<component>/<nodeId>/<objectId>/config` form (the only form the bridge
 * publishes), or returns undefined. Used to scope a start-up sweep of retained configs to one node id.
 */
export function parseDiscoveryTopic(topics: TopicSettings, topic: string): ParsedDiscoveryTopic | undefined {
  const prefix = `${root(topics.discoveryPrefix)}/`;
  if (!topic.startsWith(prefix)) return undefined;
  const match = /^(\w+)\/([A-Za-z0-9_-]+)\/([A-Za-z0-9_-]+)\/config$/.exec(topic.slice(prefix.length));
  if (!match) return undefined;
  const [, component = "", nodeId = "", objectId = ""] = match;
  return { component, nodeId, objectId };
}
