/**
 * Dotted-path lookups of `middlewared/utils/filter_list.py` (`partition`, `get_impl`, `get`, `select_path`,
 * `do_select`), quirks included: an empty path is the item itself, a path running into a scalar or null stops
 * there (`"name.x"` reads `name`), a numeric segment past the end of a list is null, `*` hands the rest of
 * the path to each element, and any other segment on a list is a ValueError.
 */
import { dictHas, dictSet, isDict, pyError, truthy, typeName, type PyDict } from "./filterPython.js";

/** The middleware's `undefined` sentinel: a dict key that is absent (the condition is then false). */
export const ABSENT: unique symbol = Symbol("absent");

/** Result of a path walk: `rest` is set when a `*` stopped the walk at the list `value`. */
export interface PathValue {
  value: unknown;
  rest?: string;
}

/** Split off the first segment; `\.` is a literal dot. An empty segment is an IndexError in the middleware. */
export function partitionPath(path: string): [string, string] {
  let head = "";
  let s = path;
  for (;;) {
    const i = s.indexOf(".");
    if (i < 0) return [head + s, ""];
    const left = s.slice(0, i);
    if (left === "") throw pyError("IndexError", "string index out of range");
    if (!left.endsWith("\\")) return [head + left, s.slice(i + 1)];
    head += `${left.slice(0, -1)}.`;
    s = s.slice(i + 1);
  }
}

function requirePathString(path: unknown): string {
  if (typeof path !== "string")
    throw pyError("AttributeError", `'${typeName(path)}' object has no attribute 'partition'`);
  return path;
}

/** `get_impl(obj, path)`. */
export function walkPath(obj: unknown, path: unknown): PathValue {
  if (!truthy(path)) return { value: obj };
  let rest = requirePathString(path);
  let cur: unknown = obj;
  while (rest) {
    const [seg, right] = partitionPath(rest);
    rest = right;
    if (isDict(cur)) cur = dictHas(cur, seg) ? cur[seg] : ABSENT;
    else if (Array.isArray(cur)) {
      if (!/^[0-9]+$/.test(seg)) {
        if (seg === "*") return { value: cur, rest };
        throw pyError("ValueError", `${seg}: must be array index or wildcard character`);
      }
      const idx = Number(seg);
      cur = idx < cur.length ? cur[idx] : null;
    }
  }
  return { value: cur };
}

/** `get(obj, path)`: the walked value, absent keys read as None (used for order_by keys). */
export function getPath(obj: unknown, path: string): unknown {
  const { value } = walkPath(obj, path);
  return value === ABSENT ? null : value;
}

/** `select_path`: the dict keys walked and the value (ABSENT if missing); a list on the way is a ValueError. */
function selectPath(obj: unknown, path: string): { keys: string[]; value: unknown } {
  const keys: string[] = [];
  let rest = path;
  let cur = obj;
  while (rest) {
    const [seg, right] = partitionPath(rest);
    rest = right;
    if (isDict(cur)) {
      cur = dictHas(cur, seg) ? cur[seg] : ABSENT;
      keys.push(seg);
    } else if (Array.isArray(cur)) throw pyError("ValueError", "Selecting by list index is not supported");
  }
  return { keys, value: cur };
}

/** `dict.setdefault(key, {})` on the entry being built; existing dicts are copied so the source stays untouched. */
function descend(obj: unknown, key: string): unknown {
  if (!isDict(obj))
    throw pyError("AttributeError", `'${typeName(obj)}' object has no attribute 'setdefault'`);
  if (!dictHas(obj, key)) dictSet(obj, key, {});
  else if (isDict(obj[key])) dictSet(obj, key, { ...obj[key] });
  return obj[key];
}

function assign(obj: unknown, key: string, value: unknown): void {
  if (isDict(obj)) return dictSet(obj, key, value);
  if (Array.isArray(obj)) throw pyError("TypeError", "list indices must be integers or slices, not str");
  throw pyError("TypeError", `'${typeName(obj)}' object does not support item assignment`);
}

/** `do_select` for one item: names or `[source, alias]`; dotted names build nested output; missing keys skipped. */
export function selectFields(
  item: unknown,
  select: ReadonlyArray<string | readonly [string, string]>,
): PyDict {
  const entry: PyDict = {};
  for (const s of select) {
    const [target, alias] = typeof s === "string" ? [s, undefined] : s;
    const { keys, value } = selectPath(item, target);
    if (value === ABSENT) continue;
    if (alias !== undefined) {
      dictSet(entry, alias, value);
      continue;
    }
    const last = keys.pop();
    if (last === undefined) throw pyError("IndexError", "pop from empty list");
    let obj: unknown = entry;
    for (const k of keys) obj = descend(obj, k);
    assign(obj, last, value);
  }
  return entry;
}
