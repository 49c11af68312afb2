/**
 * `repr()` / `str()` of Python values, for the exception texts that embed them: `filter_list.py`'s
 * "Invalid filter {f}" and select messages format lists with `str()`, which uses `repr()` of the items.
 * Value mapping as in ./filterPython.ts.
 */
import { EjsonDate, EjsonTime } from "../truenas/ejson.js";
import { asDatetime, isDict, typeName } from "./filterPython.js";

/** CPython's `repr(float)`: shortest round-trip digits, exponent form below 1e-4 with a 2-digit exponent. */
function floatRepr(n: number): string {
  if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
  const [mantissa = "", exp = "0"] = n.toExponential().split("e");
  const e = Number(exp);
  if (e >= -4) return String(n);
  return `${mantissa}e-${String(-e).padStart(2, "0")}`;
}

const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** CPython's `unicode_repr`: single quotes unless the text has ' and no ", escapes for non-printables. */
function strRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const c of s) {
    const cp = c.codePointAt(0) ?? 0;
    if (c === quote || c === "\\") out += `\\${c}`;
    else if (c === "\t") out += "\\t";
    else if (c === "\n") out += "\\n";
    else if (c === "\r") out += "\\r";
    else if (c !== " " && NON_PRINTABLE.test(c)) {
      const hex = cp.toString(16);
      out +=
        cp < 0x100
          ? `\\x${hex.padStart(2, "0")}`
          : cp < 0x10000
            ? `\\u${hex.padStart(4, "0")}`
            : `\\U${hex.padStart(8, "0")}`;
    } else out += c;
  }
  return out + quote;
}

function datetimeRepr(v: unknown): string {
  const dt = asDatetime(v);
  if (!dt) return "";
  const d = new Date(dt.ms);
  const micro = (d.getUTCMilliseconds() * 1000 + dt.us) | 0;
  const parts = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()];
  if (d.getUTCSeconds() || micro) parts.push(d.getUTCSeconds());
  if (micro) parts.push(micro);
  const tz = dt.aware ? ", tzinfo=datetime.timezone.utc" : "";
  return `datetime.datetime(${parts.join(", ")}${tz})`;
}

/** Python `repr(v)`. */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return floatRepr(v);
  if (typeof v === "string") return strRepr(v);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(", ")}]`;
  if (v instanceof Set) return v.size ? `{${[...v].map(pyRepr).join(", ")}}` : "set()";
  if (asDatetime(v)) return datetimeRepr(v);
  if (v instanceof EjsonDate || v instanceof EjsonTime) return `${typeName(v)}(${strRepr(v.value)})`;
  if (isDict(v)) {
    const items = Object.entries(v).filter(([, x]) => x !== undefined);
    return `{${items.map(([k, x]) => `${strRepr(k)}: ${pyRepr(x)}`).join(", ")}}`;
  }
  return `<${typeName(v)} object>`;
}

/** Python `str(v)` (what an f-string interpolates): the text itself for str, `repr` otherwise. */
export function pyStr(v: unknown): string {
  return typeof v === "string" ? v : pyRepr(v);
}
