/**
 * Identifiers HA keeps forever: NAS ids, device identifiers, discovery object ids, `unique_id`s, and the
 * suggested `default_entity_id`. Unique ids and device identifiers come only from the NAS id and immutable
 * TrueNAS ids, never from names a user can change (ha-mqtt-discovery.md §3.2, §10 "IDs").
 *
 * Composition is injective: kinds are one word (no `_`), sanitised object ids never contain `__`, and `__`
 * separates the object id from the entity key, so `pool` + `a_b` + `c` and `pool` + `a` + `b_c` differ.
 */
import type { Component, DeviceKey, NasIdentity, ObjectRef } from "./model.js";
import { assertObjectKind, isTopicId, objectTopicId, sanitizeTopicId, shortHash } from "./topics.js";

/** Prefix of every unique id, device identifier and discovery node id the bridge creates. */
export const BRIDGE_ID = "truenas2mqtt";
/** Device key of the NAS itself. Child keys always contain `_`, so they cannot equal it. */
export const NAS_DEVICE: DeviceKey = "nas";

const ENTITY_KEY = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;
/** Room left for the domain and a `_2` suffix within HA's 255-character entity id limit. */
const ENTITY_SLUG_MAX = 200;
/** Longest slug of one part (host, device, entity name), so three parts fit and the entity name is never cut. */
const PART_SLUG_MAX = 60;
/** `_` and the 8 hex digits of `shortHash`. */
const HASH_SUFFIX = 9;
/**
 * Text outside printable ASCII once accents are dropped: CJK, Cyrillic, emoji, control characters, NUL, lone
 * surrogates. HA would transliterate some of it; the slug can only drop it, so names written in it alone would
 * all suggest the same entity id.
 */
const NOT_SLUGGABLE = /[^\x20-\x7e]/;

/** `nas_<8 hex>` from the TrueNAS host id (`system.host_id`), stable across renames and reinstalls of the bridge. */
export function nasIdFromHostId(hostId: string): string {
  if (hostId.trim() === "") throw new TypeError("host id must not be empty");
  return `nas_${shortHash(hostId)}`;
}

/**
 * A NAS identity. `id` defaults to `nasIdFromHostId(hostId)`; an explicit id (from configuration) is sanitised.
 * `bridge` is refused because `<base>/bridge/...` belongs to the bridge itself.
 */
export function makeNasIdentity(input: { hostId: string; hostname: string; id?: string }): NasIdentity {
  const id = input.id === undefined ? nasIdFromHostId(input.hostId) : sanitizeTopicId(input.id);
  if (id === "bridge") throw new TypeError("a NAS id must not be 'bridge'");
  return { id, hostname: input.hostname };
}

/** Device key of a child device for an object (`pool_<guid>`, `disk_<identifier>`). */
export function deviceKey(ref: ObjectRef): DeviceKey {
  return `${assertObjectKind(ref.kind)}_${objectTopicId(ref)}`;
}

/** `truenas2mqtt_<nasId>` for the NAS, `truenas2mqtt_<nasId>_<deviceKey>` for child devices (§3.3). */
export function deviceIdentifier(nasId: string, key: DeviceKey): string {
  return key === NAS_DEVICE ? `${BRIDGE_ID}_${nasId}` : `${BRIDGE_ID}_${nasId}_${key}`;
}

/** Discovery node id: one per NAS, so the configs of one NAS can be swept by node id alone. */
export function discoveryNodeId(nasId: string): string {
  return `${BRIDGE_ID}_${nasId}`;
}

/** Throws unless the key is lower-case words joined by single `_`: keys are code constants. */
export function assertEntityKey(key: string): string {
  if (!ENTITY_KEY.test(key)) throw new TypeError(`entity key must match ${ENTITY_KEY.source}: ${key}`);
  return key;
}

/** `<kind>_<objectId>__<key>`: the discovery object id, unique per NAS and component. */
export function entityObjectId(object: ObjectRef, key: string): string {
  const id = `${assertObjectKind(object.kind)}_${objectTopicId(object)}__${assertEntityKey(key)}`;
  if (!isTopicId(id)) throw new TypeError(`not a topic id: ${id}`);
  return id;
}

/** `truenas2mqtt_<nasId>_<kind>_<objectId>__<key>`: stable forever, unique across NAS and entities. */
export function uniqueId(nasId: string, object: ObjectRef, key: string): string {
  return `${BRIDGE_ID}_${nasId}_${entityObjectId(object, key)}`;
}

/**
 * Lower-case `[a-z0-9_]` slug without leading, trailing or doubled underscores (HA entity id rules, §3.2).
 * Accents are dropped; anything else becomes `_`.
 */
export function entitySlug(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

/**
 * The slug of one part of a suggested entity id. A part whose slug had to drop text it cannot spell, or had to be
 * cut, gets the short hash of the raw part, so `数据集` and `文件`, or two long names that differ at the end, do not
 * suggest the same id. ASCII punctuation is dropped without a hash, as HA's own slug does (`a/b` and `a b` both
 * suggest `a_b`; HA appends `_2` to the second).
 */
function partSlug(part: string): string {
  const slug = entitySlug(part);
  const lossy = NOT_SLUGGABLE.test(part.normalize("NFKD").replace(/\p{M}/gu, ""));
  if (!lossy && slug.length <= PART_SLUG_MAX) return slug;
  const head = slug.slice(0, PART_SLUG_MAX - HASH_SUFFIX).replace(/_+$/, "");
  return head === "" ? shortHash(part) : `${head}_${shortHash(part)}`;
}

/**
 * Suggested entity id `<component>.<slug>` from readable parts (host name, device name, entity name), as HA
 * itself would derive it from the friendly name. Applied once, when HA first registers the entity; a clash
 * makes HA append `_2`. A part already present at the start of the next part is not repeated.
 */
export function defaultEntityId(component: Component, parts: readonly (string | null | undefined)[]): string {
  const slugs: string[] = [];
  for (const part of parts) {
    const slug = part ? partSlug(part) : "";
    if (slug === "") continue;
    const previous = slugs.at(-1);
    if (previous !== undefined && (slug === previous || slug.startsWith(`${previous}_`))) slugs.pop();
    slugs.push(slug);
  }
  const joined = slugs.join("_").slice(0, ENTITY_SLUG_MAX).replace(/_+$/, "");
  return `${component}.${joined || "truenas"}`;
}
