/**
 * State documents: normalised to plain JSON and serialised deterministically, so an unchanged object always
 * gives the same bytes (the registry compares strings) and HA never sees NaN, Infinity or a timestamp without
 * an offset (ha-mqtt-discovery.md §3.4: "timestamps must carry a timezone offset"; §6.2 item 10).
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** What a normaliser may put into a document; `normaliseDoc` turns it into `JsonValue`. */
export type DocValue =
  JsonValue | undefined | Date | bigint | readonly DocValue[] | { readonly [key: string]: DocValue };

/**
 * ISO-8601 with an explicit `+00:00` offset (`2026-01-05T08:12:00.000+00:00`), or null for an invalid date.
 * HA's timestamp sensor parses this with `dt_util.parse_datetime`.
 */
export function isoTimestamp(date: Date): string | null {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) return null;
  return date.toISOString().replace(/Z$/, "+00:00");
}

/**
 * Plain JSON from a document value: non-finite numbers, undefined, functions, symbols and cycles become null;
 * Dates become `isoTimestamp`; bigints become numbers when exact, strings otherwise; Sets become arrays and Maps
 * objects. Object keys keep their values (an undefined field becomes a null field, so templates see it).
 */
export function normaliseDoc(value: unknown): JsonValue {
  return normalise(value, new Set<object>());
}

function normalise(value: unknown, ancestors: Set<object>): JsonValue {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? (Object.is(value, -0) ? 0 : value) : null;
    case "bigint":
      return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    case "object":
      return value === null ? null : normaliseObject(value, ancestors);
    default:
      return null;
  }
}

function normaliseObject(value: object, ancestors: Set<object>): JsonValue {
  if (value instanceof Date) return isoTimestamp(value);
  if (ancestors.has(value)) return null;
  ancestors.add(value);
  try {
    if (Array.isArray(value) || value instanceof Set) {
      return Array.from(value as Iterable<unknown>, (item) => normalise(item, ancestors));
    }
    const entries: Iterable<[unknown, unknown]> =
      value instanceof Map ? (value as Map<unknown, unknown>) : Object.entries(value);
    // fromEntries defines own properties, so a `__proto__` key stays data.
    return Object.fromEntries(
      Array.from(entries, ([key, item]) => [String(key), normalise(item, ancestors)] as const),
    );
  } finally {
    ancestors.delete(value);
  }
}

/**
 * Deterministic JSON: the value normalised, object keys sorted (by UTF-16 code units) at every level, array
 * order kept, no whitespace.
 */
export function stableStringify(value: unknown): string {
  return serialise(normaliseDoc(value));
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The string with every lone surrogate replaced by U+FFFD. TrueNAS (Python, surrogateescape) can send names with
 * undecodable bytes as lone surrogates; JSON.stringify writes them as `\udXXX` escapes, which Home Assistant
 * parses into strings its JSON encoder (orjson) then refuses, so it could not save its registries.
 */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, "\uFFFD");
}

/** A JSON.stringify replacer that makes every string value well-formed (keys here are the code's own). */
export function wellFormedValues(_key: string, value: unknown): unknown {
  return typeof value === "string" ? wellFormed(value) : value;
}

function serialise(value: JsonValue): string {
  if (typeof value === "string") return JSON.stringify(wellFormed(value));
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(serialise).join(",")}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(wellFormed(key))}:${serialise(value[key] as JsonValue)}`).join(",")}}`;
}
