/**
 * TrueNAS query filters and options, evaluated the way the middleware does it for results built in Python
 * (`utils/filter_list.py` in 25.10; truenas-api.md §4): AND of conditions, `OR` with AND groups, every operator
 * with its null rules, the `C` (casefold) prefix, dotted paths with list indexes and `*`, `.$date` comparisons,
 * then select -> count -> order_by (each key a full stable sort, so the last key wins) -> get -> offset/limit.
 * Pure; errors are thrown as the wire errors TrueNAS answers with.
 */
import { validateFilters, validateOptions, type Filter, type QueryOptions } from "./filterValidation.js";
import { pyCasefold, pyCompare, pyContains, pyEq, pyReMatch, pyType } from "./pythonValues.js";
import { SimMatchNotFound, SimPythonError } from "./rpcErrors.js";

const MISSING = Symbol("missing");
type Resolved = { value: unknown; rest?: undefined } | { value: unknown[]; rest: string };

/** Split the first path segment off; `\.` escapes a literal dot. */
function splitPath(path: string): [string, string] {
  let head = "";
  let rest = path;
  for (;;) {
    const i = rest.indexOf(".");
    if (i === -1) return [head + rest, ""];
    if (i > 0 && rest[i - 1] === "\\") {
      head += `${rest.slice(0, i - 1)}.`;
      rest = rest.slice(i + 1);
      continue;
    }
    return [head + rest.slice(0, i), rest.slice(i + 1)];
  }
}

function isDict(v: unknown): v is Record<string, unknown> {
  return (
    typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof Set)
  );
}

/** Walk a dotted path. A `*` segment on a list returns the list and the rest of the path. */
function resolve(obj: unknown, path: string): Resolved {
  let cur: unknown = obj;
  let right = path;
  while (right !== "") {
    const [left, rest] = splitPath(right);
    right = rest;
    if (isDict(cur)) {
      cur = Object.prototype.hasOwnProperty.call(cur, left) ? cur[left] : MISSING;
    } else if (Array.isArray(cur)) {
      if (!/^\d+$/.test(left)) {
        if (left === "*") return { value: cur, rest: right };
        throw new SimPythonError("ValueError", `${left}: must be array index or wildcard character`);
      }
      const idx = Number(left);
      cur = idx < cur.length ? cur[idx] : null;
    }
    // Anything else (a scalar, a Date, a missing key) stays as it is, as in the middleware's get_impl.
  }
  return { value: cur };
}

/** `str.startswith`/`str.endswith`: the field must be a string, the argument a string (JSON has no tuples). */
function affix(x: unknown, y: unknown, method: "startswith" | "endswith", negate: boolean): boolean {
  if (x === null || x === undefined) return false;
  if (typeof x !== "string")
    throw new SimPythonError("AttributeError", `'${pyType(x)}' object has no attribute '${method}'`);
  if (typeof y !== "string") {
    throw new SimPythonError(
      "TypeError",
      `${method} first arg must be str or a tuple of str, not ${pyType(y)}`,
    );
  }
  const hit = method === "startswith" ? x.startsWith(y) : x.endsWith(y);
  return negate ? !hit : hit;
}

const OPS: Record<string, (x: unknown, y: unknown) => boolean> = {
  "=": (x, y) => pyEq(x, y),
  "!=": (x, y) => !pyEq(x, y),
  ">": (x, y) => pyCompare(x, y, ">") > 0,
  ">=": (x, y) => pyCompare(x, y, ">=") >= 0,
  "<": (x, y) => pyCompare(x, y, "<") < 0,
  "<=": (x, y) => pyCompare(x, y, "<=") <= 0,
  "~": (x, y) => pyReMatch(y, x === null || x === undefined || x === "" || x === false || x === 0 ? "" : x),
  in: (x, y) => pyContains(y, x),
  nin: (x, y) => (x === null || x === undefined ? false : !pyContains(y, x)),
  rin: (x, y) => (x === null || x === undefined ? false : pyContains(x, y)),
  rnin: (x, y) => (x === null || x === undefined ? false : !pyContains(x, y)),
  "^": (x, y) => affix(x, y, "startswith", false),
  "!^": (x, y) => affix(x, y, "startswith", true),
  $: (x, y) => affix(x, y, "endswith", false),
  "!$": (x, y) => affix(x, y, "endswith", true),
};

function condition(item: unknown, name: string, op: string, value: unknown): boolean {
  const got = resolve(item, name);
  if (got.value === MISSING) return false;
  if (got.rest !== undefined) return got.value.some((entry) => condition(entry, got.rest, op, value));
  let source = got.value;
  let target = value;
  let fnName = op;
  if (op.startsWith("C")) {
    fnName = op.slice(1);
    source = pyCasefold(source);
    target = pyCasefold(target);
  }
  return (OPS[fnName] as (x: unknown, y: unknown) => boolean)(source, target);
}

function matches(item: unknown, f: Filter, dates: Map<string, Date>): boolean {
  if (f.length === 2) {
    for (const branch of f[1] as Filter[]) {
      const hit = Array.isArray(branch[0])
        ? (branch as Filter[]).every((c) => matches(item, c, dates))
        : matches(item, branch, dates);
      if (hit) return true;
    }
    return false;
  }
  const [a, op, b] = f as [unknown, string, unknown];
  const name = (typeof a === "string" && dates.get(a)) || a;
  const value = (typeof b === "string" && dates.get(b)) || b;
  return condition(item, String(name), op, value);
}

function selectOne(item: unknown, select: Array<string | [string, string]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of select) {
    const [target, alias] = Array.isArray(s) ? s : [s, undefined];
    const keys: string[] = [];
    let cur: unknown = item;
    let right = target;
    while (right !== "") {
      const [left, rest] = splitPath(right);
      right = rest;
      if (isDict(cur)) {
        cur = Object.prototype.hasOwnProperty.call(cur, left) ? cur[left] : MISSING;
        keys.push(left);
      } else if (Array.isArray(cur)) {
        throw new SimPythonError("ValueError", "Selecting by list index is not supported");
      }
    }
    if (cur === MISSING) continue;
    if (alias !== undefined) {
      out[alias] = cur;
      continue;
    }
    const last = keys.pop() as string;
    let node = out;
    for (const k of keys) node = (node[k] ??= {}) as Record<string, unknown>;
    node[last] = cur;
  }
  return out;
}

function sortKey(entry: unknown, path: string): unknown {
  const v = resolve(entry, path).value;
  return v === MISSING ? null : v;
}

/** One order_by key: a full stable sort (Python's sorted; reverse keeps equal items in order). */
function orderBy(rows: unknown[], spec: string): unknown[] {
  let key = spec;
  let nulls: "first" | "last" | undefined;
  if (key.startsWith("nulls_first:")) [nulls, key] = ["first", key.slice("nulls_first:".length)];
  else if (key.startsWith("nulls_last:")) [nulls, key] = ["last", key.slice("nulls_last:".length)];
  const reverse = key.startsWith("-");
  if (reverse) key = key.slice(1);
  const cmp = (a: unknown, b: unknown): number => {
    const c = pyCompare(sortKey(a, key), sortKey(b, key));
    return reverse ? -c : c;
  };
  if (!nulls) return [...rows].sort(cmp);
  // The null split looks at the top-level key only (filter_list.py order_nulls).
  const isNull = (r: unknown): boolean => !isDict(r) || r[key] === null || r[key] === undefined;
  const nullRows = rows.filter(isNull);
  const rest = rows.filter((r) => !isNull(r)).sort(cmp);
  return nulls === "first" ? [...nullRows, ...rest] : [...rest, ...nullRows];
}

/** Evaluate `[filters, options]` of a TrueNAS query method over `items`. Returns list | object (get) | int (count). */
export function queryList(items: readonly unknown[], filters: unknown = [], options: unknown = {}): unknown {
  const opts: QueryOptions = validateOptions(options);
  const dates = validateFilters(filters ?? []);
  const conditions = (filters ?? []) as Filter[];
  const select = opts.select ?? [];
  const order = opts.order_by ?? [];
  const shortcut = opts.get === true && order.length === 0;
  let rows: unknown[] = [];
  for (const item of items) {
    if (!conditions.every((f) => matches(item, f, dates))) continue;
    rows.push(select.length > 0 ? selectOne(item, select) : item);
    if (shortcut && conditions.length > 0) break;
  }
  if (shortcut && conditions.length > 0) {
    if (rows.length === 0) throw new SimMatchNotFound();
    return rows[0];
  }
  if (opts.count === true) return rows.length;
  for (const spec of order) rows = orderBy(rows, spec);
  if (opts.get === true) {
    if (rows.length === 0) throw new SimMatchNotFound();
    return rows[0];
  }
  if (opts.offset) rows = rows.slice(opts.offset);
  if (opts.limit) rows = rows.slice(0, opts.limit);
  return rows;
}
