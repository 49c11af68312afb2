/**
 * Python value semantics the middleware's filter engine relies on (`operator.eq`, `<`, `in`, `str.casefold`),
 * for the JSON values (plus Dates) the simulator holds. Errors are raised as the Python exceptions would be,
 * so a filter that fails on a real NAS fails the same way here. Pure.
 */
import { SimPythonError } from "./rpcErrors.js";

/** Python's type name of a value, for error messages. */
export function pyType(v: unknown): string {
  if (v === null || v === undefined) return "NoneType";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (typeof v === "string") return "str";
  if (Array.isArray(v)) return "list";
  if (v instanceof Date) return "datetime.datetime";
  if (v instanceof Set) return "set";
  return "dict";
}

function isNumeric(v: unknown): v is number | boolean {
  return typeof v === "number" || typeof v === "boolean";
}

/** `a == b` in Python (True == 1, deep list/dict equality, no cross-type equality otherwise). */
export function pyEq(a: unknown, b: unknown): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (isNumeric(a) && isNumeric(b)) return Number(a) === Number(b);
  if (a === null || b === null) return a === b;
  if (typeof a === "string" || typeof b === "string") return a === b;
  if (a instanceof Date || b instanceof Date)
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => pyEq(x, b[i]));
  }
  if (typeof a === "object" && typeof b === "object") {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.length === kb.length &&
      ka.every((k) => k in b && pyEq((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
  }
  return false;
}

function unorderable(op: string, a: unknown, b: unknown): SimPythonError {
  return new SimPythonError(
    "TypeError",
    `'${op}' not supported between instances of '${pyType(a)}' and '${pyType(b)}'`,
  );
}

/** Three-way compare with Python's ordering rules; throws TypeError where Python's `<` would. */
export function pyCompare(a: unknown, b: unknown, op = "<"): number {
  if (isNumeric(a) && isNumeric(b)) return Number(a) - Number(b);
  if (typeof a === "string" && typeof b === "string") {
    // Python compares strings by code point; JS `<` compares UTF-16 units (same for the BMP).
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
      if (!pyEq(a[i], b[i])) return pyCompare(a[i], b[i], op);
    }
    return a.length - b.length;
  }
  throw unorderable(op, a, b);
}

/** `operator.contains(container, item)`: `item in container`. */
export function pyContains(container: unknown, item: unknown): boolean {
  if (Array.isArray(container)) return container.some((x) => pyEq(x, item));
  if (typeof container === "string") {
    if (typeof item !== "string") {
      throw new SimPythonError(
        "TypeError",
        `'in <string>' requires string as left operand, not ${pyType(item)}`,
      );
    }
    return container.includes(item);
  }
  if (container instanceof Set) return [...container].some((x) => pyEq(x, item));
  if (container !== null && typeof container === "object" && !(container instanceof Date)) {
    return typeof item === "string" && Object.prototype.hasOwnProperty.call(container, item);
  }
  throw new SimPythonError("TypeError", `argument of type '${pyType(container)}' is not iterable`);
}

/** `str.casefold` over a string or a list of strings (the `C` operator prefix). */
export function pyCasefold(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === "string") return v.toLowerCase();
  if (Array.isArray(v)) {
    return v.map((x) => {
      if (typeof x !== "string")
        throw new SimPythonError("AttributeError", `'${pyType(x)}' object has no attribute 'casefold'`);
      return x.toLowerCase();
    });
  }
  throw new SimPythonError(
    "ValueError",
    `<class '${pyType(v)}'>: support for casefolding object type not implemented.`,
  );
}

/** `re.match(pattern, text)`: anchored at the start only. Python-only syntax is translated where it differs. */
export function pyReMatch(pattern: unknown, text: unknown): boolean {
  if (typeof pattern !== "string")
    throw new SimPythonError("TypeError", "first argument must be string or compiled pattern");
  if (typeof text !== "string") throw new SimPythonError("TypeError", "expected string or bytes-like object");
  let re: RegExp;
  try {
    re = new RegExp(pattern.replace(/\(\?P<(\w+)>/g, "(?<$1>").replace(/\(\?P=(\w+)\)/g, "\\k<$1>"), "yu");
  } catch (err) {
    throw new SimPythonError("re.error", (err as Error).message);
  }
  return re.test(text);
}

/** Python's repr of a JSON value, for messages such as "Invalid filter ['a']". */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  if (typeof v === "string") return `'${v}'`;
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(", ")}]`;
  if (typeof v === "object") {
    return `{${Object.entries(v)
      .map(([k, x]) => `'${k}': ${pyRepr(x)}`)
      .join(", ")}}`;
  }
  return JSON.stringify(v) ?? "None";
}
