/**
 * Python value semantics the TrueNAS filter engine inherits from CPython 3.11 (the interpreter 25.10 ships):
 * `==`, ordering, `in`, truthiness, `len`/indexing/iteration, `str.casefold` and the exception texts they raise.
 * The filter engine (`middlewared/utils/filter_list.py`) is plain Python over JSON-ish data, so a faithful
 * simulator has to reproduce these rules rather than JavaScript's.
 *
 * Value mapping: `null`/`undefined` → None, boolean → bool, integral number → int, other number → float,
 * string → str, array → list, plain object → dict, `Set` → set, `Date`/{@link PyDateTime} → datetime.datetime,
 * ejson `EjsonDate`/`EjsonTime` → datetime.date/datetime.time.
 */
import { EjsonDate, EjsonIpInterface, EjsonTime } from "../truenas/ejson.js";
import { SimPythonError } from "./rpcErrors.js";

/** A datetime as the middleware holds it: microseconds are kept apart because JS numbers can't hold µs epochs. */
export class PyDateTime {
  constructor(
    /** Milliseconds since the epoch of the UTC instant (aware) or of the wall-clock fields read as UTC (naive). */
    readonly ms: number,
    /** Sub-millisecond microseconds, 0..999. */
    readonly us: number,
    /** Python "offset-aware" vs "offset-naive"; mixing them in `<` raises TypeError. */
    readonly aware: boolean,
  ) {}
}

const AWARE_DATES = new WeakSet<Date>();

/**
 * Mark a simulator `Date` as a tz-aware Python datetime. Unmarked Dates are naive UTC, which is what most 25.10
 * datetimes are (`middlewared/utils/time_utils.py` `utc_now(naive=True)` for jobs and alerts); dataset `creation`
 * is aware (`plugins/pool_/dataset_query_utils.py`). Comparing naive with aware raises TypeError, as in Python.
 */
export function markAwareDatetime(date: Date): Date {
  AWARE_DATES.add(date);
  return date;
}

/** Build the Python exception the middleware would raise; it reaches the client as -32001 EINVAL, reason str(exc). */
export function pyError(pyClass: string, text: string): SimPythonError {
  return new SimPythonError(pyClass, text);
}

export type PyDict = Record<string, unknown>;

/** A Python dict: a plain JSON object (not an array, Date, Set or ejson wrapper class). */
export function isDict(v: unknown): v is PyDict {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Own, defined key of a dict (JS `undefined` values count as absent: they never reach the wire). */
export function dictHas(d: PyDict, key: string): boolean {
  return Object.hasOwn(d, key) && d[key] !== undefined;
}

/** Assign without tripping over `__proto__` (a legal TrueNAS key, a special one in JS). */
export function dictSet(d: PyDict, key: string, value: unknown): void {
  Object.defineProperty(d, key, { value, enumerable: true, writable: true, configurable: true });
}

export function asDatetime(v: unknown): PyDateTime | undefined {
  if (v instanceof PyDateTime) return v;
  if (v instanceof Date) return new PyDateTime(v.getTime(), 0, AWARE_DATES.has(v));
  return undefined;
}

/** `type(v).__name__` as CPython prints it in exception messages. */
export function typeName(v: unknown): string {
  if (v === null || v === undefined) return "NoneType";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (typeof v === "string") return "str";
  if (Array.isArray(v)) return "list";
  if (v instanceof Date || v instanceof PyDateTime) return "datetime.datetime";
  if (v instanceof Set) return "set";
  if (v instanceof EjsonDate) return "datetime.date";
  if (v instanceof EjsonTime) return "datetime.time";
  if (v instanceof EjsonIpInterface) return v.family === 4 ? "IPv4Interface" : "IPv6Interface";
  return isDict(v) ? "dict" : "object";
}

export function truthy(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v !== 0;
  if (typeof v === "string" || Array.isArray(v)) return v.length > 0;
  if (v instanceof Set) return v.size > 0;
  if (isDict(v)) return Object.keys(v).some((k) => v[k] !== undefined);
  return true;
}

function isNumeric(v: unknown): v is number | boolean {
  return typeof v === "number" || typeof v === "boolean";
}

function dictKeys(d: PyDict): string[] {
  return Object.keys(d).filter((k) => d[k] !== undefined);
}

/** Python `a == b` for the value kinds above (never raises). */
export function pyEq(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || b === null || b === undefined) {
    return (a === null || a === undefined) && (b === null || b === undefined);
  }
  const da = asDatetime(a);
  const db = asDatetime(b);
  if (da || db) return !!da && !!db && da.aware === db.aware && da.ms === db.ms && da.us === db.us;
  if (isNumeric(a) && isNumeric(b)) return Number(a) === Number(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => pyEq(x, b[i]));
  }
  if (a instanceof Set || b instanceof Set) {
    return a instanceof Set && b instanceof Set && a.size === b.size && [...a].every((x) => setHas(b, x));
  }
  if (isDict(a) && isDict(b)) {
    const ka = dictKeys(a);
    return ka.length === dictKeys(b).length && ka.every((k) => dictHas(b, k) && pyEq(a[k], b[k]));
  }
  if (a instanceof EjsonDate || a instanceof EjsonTime)
    return a.constructor === b.constructor && a.value === (b as EjsonDate).value;
  if (a instanceof EjsonIpInterface && b instanceof EjsonIpInterface)
    return a.family === b.family && a.value === b.value;
  return a === b;
}

function setHas(s: ReadonlySet<unknown>, x: unknown): boolean {
  for (const e of s) if (pyEq(e, x)) return true;
  return false;
}

/** Compare strings by code point, as Python does (JS `<` compares UTF-16 units, which differs above U+FFFF). */
function strCmp(a: string, b: string): number {
  if (!/[\uD800-\uDFFF]/.test(a + b)) return a < b ? -1 : a > b ? 1 : 0;
  const ca = Array.from(a, (c) => c.codePointAt(0) ?? 0);
  const cb = Array.from(b, (c) => c.codePointAt(0) ?? 0);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++)
    if (ca[i] !== cb[i]) return (ca[i] ?? 0) - (cb[i] ?? 0);
  return ca.length - cb.length;
}

export type PyCmpOp = "<" | "<=" | ">" | ">=";

function applyCmp(op: PyCmpOp, c: number): boolean {
  return op === "<" ? c < 0 : op === "<=" ? c <= 0 : op === ">" ? c > 0 : c >= 0;
}

/** Python `a <op> b`; raises TypeError exactly where CPython does (None, dicts, mixed types, naive vs aware). */
export function pyCompare(op: PyCmpOp, a: unknown, b: unknown): boolean {
  if (isNumeric(a) && isNumeric(b)) return applyCmp(op, Number(a) - Number(b));
  if (typeof a === "string" && typeof b === "string") return applyCmp(op, strCmp(a, b));
  if (Array.isArray(a) && Array.isArray(b)) {
    // list richcompare: first index whose items are not ==, then the same operator on that pair.
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (!pyEq(a[i], b[i])) return pyCompare(op, a[i], b[i]);
    return applyCmp(op, a.length - b.length);
  }
  const da = asDatetime(a);
  const db = asDatetime(b);
  if (da && db) {
    if (da.aware !== db.aware)
      throw pyError("TypeError", "can't compare offset-naive and offset-aware datetimes");
    return applyCmp(op, da.ms !== db.ms ? da.ms - db.ms : da.us - db.us);
  }
  if (
    (a instanceof EjsonDate && b instanceof EjsonDate) ||
    (a instanceof EjsonTime && b instanceof EjsonTime)
  ) {
    return applyCmp(op, strCmp(a.value, b.value));
  }
  throw pyError(
    "TypeError",
    `'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`,
  );
}

export function requireHashable(v: unknown): void {
  if (Array.isArray(v) || v instanceof Set || isDict(v))
    throw pyError("TypeError", `unhashable type: '${typeName(v)}'`);
}

/** Python `item in container` (operator.contains(container, item)). */
export function pyContains(container: unknown, item: unknown): boolean {
  if (typeof container === "string") {
    if (typeof item !== "string") {
      throw pyError("TypeError", `'in <string>' requires string as left operand, not ${typeName(item)}`);
    }
    return container.includes(item);
  }
  if (Array.isArray(container)) return container.some((e) => pyEq(e, item));
  if (container instanceof Set) {
    requireHashable(item);
    return setHas(container, item);
  }
  if (isDict(container)) {
    requireHashable(item);
    return typeof item === "string" && dictHas(container, item);
  }
  throw pyError("TypeError", `argument of type '${typeName(container)}' is not iterable`);
}

/** `len(v)`; strings count code points. */
export function pyLen(v: unknown): number {
  if (typeof v === "string") return Array.from(v).length;
  if (Array.isArray(v)) return v.length;
  if (v instanceof Set) return v.size;
  if (isDict(v)) return dictKeys(v).length;
  throw pyError("TypeError", `object of type '${typeName(v)}' has no len()`);
}

/** `iter(v)` materialised: code points of a str, items of a list/set, keys of a dict. */
export function pyIter(v: unknown): unknown[] {
  if (typeof v === "string") return Array.from(v);
  if (Array.isArray(v)) return v;
  if (v instanceof Set) return [...v];
  if (isDict(v)) return dictKeys(v);
  throw pyError("TypeError", `'${typeName(v)}' object is not iterable`);
}

/** `v[i]` for a non-negative int index. */
export function pyGetItem(v: unknown, i: number): unknown {
  if (typeof v === "string" || Array.isArray(v)) {
    const seq = typeof v === "string" ? Array.from(v) : v;
    if (i >= seq.length)
      throw pyError("IndexError", `${typeof v === "string" ? "string" : "list"} index out of range`);
    return seq[i];
  }
  // JSON dict keys are strings, so an int subscript is always a KeyError; str(KeyError(0)) is "0".
  if (isDict(v)) throw pyError("KeyError", String(i));
  throw pyError("TypeError", `'${typeName(v)}' object is not subscriptable`);
}

/**
 * `str.casefold()`. Folding each code point through upper→lower matches Python 3.11's full case folding for
 * every code point Unicode 14 assigns (checked over U+0080..U+1FFFF) once ı, Cherokee and ẞ are special-cased;
 * the remaining differences are letters newer than Python 3.11's Unicode, which it leaves alone.
 */
export function pyCasefold(s: string): string {
  if (!/[\u0080-\uffff]/.test(s)) return s.toLowerCase();
  const folded = s.replace(/[\u{80}-\u{10ffff}]/gu, (c) => {
    const cp = c.codePointAt(0) ?? 0;
    if (cp === 0x131) return c; // dotless ı has no folding
    if (cp >= 0xab70 && cp <= 0xabbf) return String.fromCodePoint(cp - 0xab70 + 0x13a0); // Cherokee folds upward
    if (cp >= 0x13f8 && cp <= 0x13fd) return String.fromCodePoint(cp - 8);
    if (cp >= 0x13a0 && cp <= 0x13f5) return c;
    return c.toUpperCase().toLowerCase().replace("ß", "ss"); // capital ẞ lowers to ß, which folds to ss
  });
  return folded.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** `casefold()` helper of `filter_list.py`: str, list of str or None; anything else is a ValueError. */
export function casefoldValue(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === "string") return pyCasefold(v);
  if (Array.isArray(v)) {
    return v.map((x) => {
      if (typeof x !== "string")
        throw pyError("AttributeError", `'${typeName(x)}' object has no attribute 'casefold'`);
      return pyCasefold(x);
    });
  }
  throw pyError(
    "ValueError",
    `<class '${typeName(v)}'>: support for casefolding object type not implemented.`,
  );
}
