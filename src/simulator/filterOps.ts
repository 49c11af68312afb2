/**
 * Condition evaluation of `middlewared/utils/filter_list.py` (`filters.opmap`, `filterop`, `eval_filter`,
 * `do_filters`): the operator table with its null rules, the `C` casefold prefix, `*` paths, OR branches with
 * AND groups, and the `.$date` value map (which, as in the middleware, applies to every condition's operands).
 */
import { ABSENT, selectFields, walkPath } from "./filterPaths.js";
import {
  casefoldValue,
  isDict,
  pyCompare,
  pyContains,
  pyEq,
  pyError,
  pyGetItem,
  pyIter,
  pyLen,
  requireHashable,
  truthy,
  typeName,
  type PyDateTime,
} from "./filterPython.js";
import { pyReMatch } from "./filterRegex.js";

type OpFn = (x: unknown, y: unknown) => boolean;

/** ISO strings of `.$date` conditions mapped to datetimes (`value_maps`). */
export type ValueMaps = Map<string, PyDateTime>;
export type Selector = string | readonly [string, string];

/** `op_re`: `re.match(y, x or '')`; the pattern is compiled (and checked) before the subject. */
function opRe(x: unknown, y: unknown): boolean {
  requireHashable(y); // re's compile cache is a dict keyed by the pattern
  if (typeof y !== "string") throw pyError("TypeError", "first argument must be string or compiled pattern");
  const subject = truthy(x) ? x : "";
  if (typeof subject !== "string") {
    pyReMatch(y, "");
    throw pyError("TypeError", `expected string or bytes-like object, got '${typeName(subject)}'`);
  }
  return pyReMatch(y, subject);
}

/** `x.startswith(y)` / `x.endswith(y)` (None was already turned into False by the caller). */
function affix(method: "startswith" | "endswith"): OpFn {
  return (x, y) => {
    if (typeof x !== "string")
      throw pyError("AttributeError", `'${typeName(x)}' object has no attribute '${method}'`);
    if (typeof y !== "string") {
      throw pyError("TypeError", `${method} first arg must be str or a tuple of str, not ${typeName(y)}`);
    }
    return method === "startswith" ? x.startsWith(y) : x.endsWith(y);
  };
}

/** Wrap an op so a null field value is simply false (`nin rin rnin ^ !^ $ !$`). */
function nullFalse(fn: OpFn): OpFn {
  return (x, y) => (x === null || x === undefined ? false : fn(x, y));
}

const startsWith = affix("startswith");
const endsWith = affix("endswith");

export const OPMAP: ReadonlyMap<string, OpFn> = new Map<string, OpFn>([
  ["=", pyEq],
  ["!=", (x, y) => !pyEq(x, y)],
  [">", (x, y) => pyCompare(">", x, y)],
  [">=", (x, y) => pyCompare(">=", x, y)],
  ["<", (x, y) => pyCompare("<", x, y)],
  ["<=", (x, y) => pyCompare("<=", x, y)],
  ["~", opRe],
  ["in", (x, y) => pyContains(y, x)],
  ["nin", nullFalse((x, y) => !pyContains(y, x))],
  ["rin", nullFalse((x, y) => pyContains(x, y))],
  ["rnin", nullFalse((x, y) => !pyContains(x, y))],
  ["^", nullFalse(startsWith)],
  ["!^", nullFalse((x, y) => !startsWith(x, y))],
  ["$", nullFalse(endsWith)],
  ["!$", nullFalse((x, y) => !endsWith(x, y))],
]);

/** How a condition reads a field: paths into dicts, or attributes of other objects (`getter_fn`). */
export type Getter = (item: unknown, name: unknown) => { value: unknown; rest?: string };

export function getterFor(first: unknown): Getter {
  if (isDict(first)) return walkPath;
  return (item, name) => {
    if (typeof name !== "string")
      throw pyError("TypeError", `attribute name must be string, not '${typeName(name)}'`);
    throw pyError("AttributeError", `'${typeName(item)}' object has no attribute '${name}'`);
  };
}

/** `filterop`: a missing key is false; `*` is true if any element matches the rest of the path. */
function filterOp(item: unknown, name: unknown, op: string, value: unknown, getter: Getter): boolean {
  const data = getter(item, name);
  if (data.value === ABSENT) return false;
  if (data.rest !== undefined) {
    return (data.value as unknown[]).some((entry) => filterOp(entry, data.rest, op, value, getter));
  }
  if (op.startsWith("C")) {
    const fn = OPMAP.get(op.slice(1)) as OpFn;
    const source = casefoldValue(data.value);
    return truthy(fn(source, casefoldValue(value)));
  }
  return truthy((OPMAP.get(op) as OpFn)(data.value, value));
}

function mapped(maps: ValueMaps, operand: unknown): unknown {
  requireHashable(operand);
  return (typeof operand === "string" && maps.get(operand)) || operand;
}

/** `eval_filter`: one condition or an `["OR", branches]`. The filter was validated first. */
export function evalFilter(item: unknown, f: unknown, getter: Getter, maps: ValueMaps): boolean {
  if (pyLen(f) === 2) {
    const [, branches] = pyIter(f);
    for (const branch of pyIter(branches)) {
      const hit = Array.isArray(pyGetItem(branch, 0))
        ? pyIter(branch).every((c) => evalFilter(item, c, getter, maps))
        : evalFilter(item, branch, getter, maps);
      if (hit) return true;
    }
    return false;
  }
  const [name, op, value] = pyIter(f);
  if (maps.size === 0) return filterOp(item, name, op as string, value, getter);
  return filterOp(item, mapped(maps, name), op as string, mapped(maps, value), getter);
}

/** `do_filters`: items passing every condition, selected as they match; `first` stops at the first match. */
export function filterItems(
  items: readonly unknown[],
  filters: readonly unknown[],
  select: readonly Selector[],
  first: boolean,
  maps: ValueMaps,
): unknown[] {
  const out: unknown[] = [];
  let getter: Getter | undefined;
  for (const item of items) {
    getter ??= getterFor(item);
    const g = getter;
    if (!filters.every((f) => evalFilter(item, f, g, maps))) continue;
    out.push(select.length ? selectFields(item, select) : item);
    if (first) break;
  }
  return out;
}
