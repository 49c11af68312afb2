/**
 * TrueNAS "extended JSON": the wrappers the middleware puts around non-JSON Python types, both directions.
 * Source: truenas/api_client `truenas_api_client/ejson.py`; ../shared/docs/truenas-api.md §1.3.
 *
 * Pure: no I/O. `decodeEjson` walks a parsed JSON value and replaces each wrapper with a JS value;
 * `encodeEjson` does the reverse for values the simulator sends.
 */

/** A `date` (no time) as TrueNAS sends it: `{"$type":"date","$value":"YYYY-MM-DD"}`. */
export class EjsonDate {
  constructor(readonly value: string) {}
  toJSON(): unknown {
    return { $type: "date", $value: this.value };
  }
}

/**
 * A decoded `{"$set": [...]}`: a Set that serialises back to its wrapper, so `JSON.stringify` of a decoded reply is
 * faithful (a plain Set would become `{}`); the bridge compares replies that way to skip unchanged polls.
 */
export class EjsonSet<T = unknown> extends Set<T> {
  toJSON(): unknown {
    return { $set: [...this] };
  }
}

/** A `time` (no date): `{"$time":"HH:MM:SS"}`. */
export class EjsonTime {
  constructor(readonly value: string) {}
  toJSON(): unknown {
    return { $time: this.value };
  }
}

/** An IPv4/IPv6 interface (`a.b.c.d/nn`): `{"$ipv4_interface": ...}` / `{"$ipv6_interface": ...}`. */
export class EjsonIpInterface {
  constructor(
    readonly family: 4 | 6,
    readonly value: string,
  ) {}
  toJSON(): unknown {
    return this.family === 4 ? { $ipv4_interface: this.value } : { $ipv6_interface: this.value };
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function decodeWrapper(obj: Record<string, unknown>): { ok: true; value: unknown } | { ok: false } {
  const keys = Object.keys(obj);
  if (keys.length === 1) {
    const key = keys[0];
    const raw = obj[key as string];
    switch (key) {
      case "$date":
        // ms since epoch, UTC. Anything else is left as the plain object (never throw on odd input).
        if (typeof raw === "number" && Number.isFinite(raw)) return { ok: true, value: new Date(raw) };
        return { ok: false };
      case "$set":
        if (Array.isArray(raw)) return { ok: true, value: new EjsonSet(raw.map(decodeEjson)) };
        return { ok: false };
      case "$time":
        if (typeof raw === "string") return { ok: true, value: new EjsonTime(raw) };
        return { ok: false };
      case "$ipv4_interface":
        if (typeof raw === "string") return { ok: true, value: new EjsonIpInterface(4, raw) };
        return { ok: false };
      case "$ipv6_interface":
        if (typeof raw === "string") return { ok: true, value: new EjsonIpInterface(6, raw) };
        return { ok: false };
      default:
        return { ok: false };
    }
  }
  if (keys.length === 2 && obj.$type === "date" && typeof obj.$value === "string") {
    return { ok: true, value: new EjsonDate(obj.$value) };
  }
  return { ok: false };
}

/** Replace every extended-JSON wrapper inside `value` with its JS form. Unknown shapes pass through. */
export function decodeEjson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeEjson);
  if (!isPlainObject(value)) return value;
  const wrapped = decodeWrapper(value);
  if (wrapped.ok) return wrapped.value;
  // fromEntries defines own properties, as JSON.parse does: an assignment would turn a `__proto__` key into the
  // object's prototype (a `{"__proto__": {"$date": 1}}` answer made an object that claims to be a Date).
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decodeEjson(v)]));
}

/**
 * `decodeEjson` in place, for a value `JSON.parse` has just made and nobody else holds: only the slots that held
 * a wrapper are rewritten. Top-down like `decodeEjson`, so a wrapper's contents are decoded once (`$set` decodes
 * its own elements).
 */
function decodeInPlace(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === "object" && v !== null) {
        const d = decodeInPlace(v);
        if (d !== v) value[i] = d;
      }
    }
    return value;
  }
  const obj = value as Record<string, unknown>;
  const wrapped = decodeWrapper(obj);
  if (wrapped.ok) return wrapped.value;
  for (const k of Object.keys(obj)) {
    const v = obj[k];
    if (typeof v !== "object" || v === null) continue;
    const d = decodeInPlace(v);
    if (d === v) continue;
    // An own `__proto__` key (JSON.parse makes one) must stay a property: assigning it would set the prototype.
    if (k === "__proto__")
      Object.defineProperty(obj, k, { value: d, writable: true, enumerable: true, configurable: true });
    else obj[k] = d;
  }
  return obj;
}

/**
 * `JSON.parse` followed by `decodeEjson`, for hot paths. Every wrapper key starts with `$`, and a key can only
 * start with `$` written as `"$` or escaped as `\u0024`: a frame with neither holds no wrapper and is only parsed.
 * Otherwise the parsed value is decoded in place; a `JSON.parse` reviver did the same but is called for every value
 * and cost several times the parse (the benchmark's typical cycle spent more in it than in all its parsing).
 */
export function parseEjson(text: string): unknown {
  const value: unknown = JSON.parse(text);
  if (!text.includes('"$') && !text.includes("\\u0024")) return value;
  return decodeInPlace(value);
}

/** `JSON.stringify` that writes Dates as `{"$date": ms}` and Sets as `{"$set": [...]}`. */
export function stringifyEjson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    // JSON.stringify calls Date.prototype.toJSON before the replacer sees it; read the raw holder value.
    const raw = key === "" ? v : this[key];
    // By internal slot, not instanceof: an object whose prototype is a Date or a Set (a `__proto__` key assigned
    // somewhere) passes instanceof but makes getTime() or the iterator throw.
    const tag = Object.prototype.toString.call(raw);
    if (tag === "[object Date]") return { $date: (raw as Date).getTime() };
    if (tag === "[object Set]") return { $set: [...(raw as Set<unknown>)] };
    return v;
  });
}
