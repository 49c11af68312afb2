/**
 * Cursor, error texts, escapes and character classes of the Python-regex translator (./filterRegex.ts),
 * following CPython 3.11 `sre_parse` (`_class_escape`, `_escape`, the `[` branch of `_parse`).
 */
import { pyError } from "./filterPython.js";
import type { SimPythonError } from "./rpcErrors.js";

export interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  x: boolean;
  a: boolean;
}

/** Python's Unicode `\\w` is `str.isalnum()` or `_`; its `\\s` is `str.isspace()`. JS's are ASCII-only. */
export const WORD_U = "\\p{L}\\p{N}_";
const SPACE_U =
  "\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
export const CATEGORY = {
  d: { u: "\\p{Nd}", a: "0-9" },
  s: { u: SPACE_U, a: "\\t\\n\\v\\f\\r " },
  w: { u: WORD_U, a: "A-Za-z0-9_" },
} as const;

/** One class member: a code point, a range, or a category body (`neg` for \\D \\S \\W). */
type ClassItem = { cp: number } | { lo: number; hi: number } | { cat: string; neg: boolean };

export function hexCp(cp: number): string {
  return `\\u{${cp.toString(16)}}`;
}

export class PatternCursor {
  pos = 0;
  readonly cps: string[];
  flags: Flags = { i: false, m: false, s: false, x: false, a: false };

  constructor(readonly pattern: string) {
    this.cps = Array.from(pattern);
  }

  /** `re.error` with Python's "at position N" suffix (plus line/column for multi-line patterns). */
  error(msg: string, at: number): SimPythonError {
    const before = this.cps.slice(0, at).join("");
    const nl = before.lastIndexOf("\n");
    const where = this.pattern.includes("\n")
      ? `at position ${at} (line ${before.split("\n").length}, column ${at - (nl + 1) + 1})`
      : `at position ${at}`;
    return pyError("error", `${msg} ${where}`);
  }

  unsupported(what: string): SimPythonError {
    return pyError("error", `${what} is not supported by the simulator's regular expressions`);
  }

  peek(off = 0): string | undefined {
    return this.cps[this.pos + off];
  }

  next(): string | undefined {
    return this.cps[this.pos++];
  }

  /** Escapes that stand for one character (shared by classes); returns its code point. */
  literalEscape(c: string, at: number, inClass: boolean): number {
    const simple: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11, "\\": 92 };
    if (inClass && c === "b") return 8;
    if (c in simple) return simple[c] ?? 0;
    if (c === "x" || c === "u" || c === "U") return this.hexEscape(c, at);
    if (c === "N") throw this.unsupported("\\N{...}");
    if (c === "0" || (inClass && /[1-7]/.test(c))) {
      let oct = c;
      while (oct.length < 3 && /[0-7]/.test(this.peek() ?? "")) oct += this.next() ?? "";
      const value = parseInt(oct, 8);
      if (value > 0o377) throw this.error(`octal escape value \\${oct} outside of range 0-0o377`, at);
      return value;
    }
    if (/[A-Za-z0-9]/.test(c)) throw this.error(`bad escape \\${c}`, at);
    return c.codePointAt(0) ?? 0;
  }

  hexEscape(c: string, at: number): number {
    const len = c === "x" ? 2 : c === "u" ? 4 : 8;
    let hex = "";
    while (hex.length < len && /[0-9a-fA-F]/.test(this.peek() ?? "")) hex += this.next() ?? "";
    if (hex.length < len) throw this.error(`incomplete escape \\${c}${hex}`, at);
    const cp = parseInt(hex, 16);
    if (cp > 0x10ffff) throw this.error(`bad escape \\${c}${hex}`, at);
    return cp;
  }

  charClass(at: number): string {
    const negate = this.peek() === "^" ? (this.pos++, true) : false;
    const start = this.pos;
    const items: ClassItem[] = [];
    for (;;) {
      const c = this.next();
      if (c === undefined) throw this.error("unterminated character set", at);
      if (c === "]" && this.pos - 1 !== start) break;
      const itemAt = this.pos - 1;
      const first = this.classAtom(c, itemAt);
      if (this.peek() === "-" && this.peek(1) !== undefined && this.peek(1) !== "]") {
        this.pos++;
        const thatAt = this.pos;
        const that = this.next() ?? "";
        const second = this.classAtom(that, thatAt);
        if (!("cp" in first) || !("cp" in second) || second.cp < first.cp) {
          const text = this.cps.slice(itemAt, this.pos).join("");
          throw this.error(`bad character range ${text}`, itemAt);
        }
        items.push({ lo: first.cp, hi: second.cp });
      } else items.push(first);
    }
    return this.emitClass(items, negate);
  }

  classAtom(c: string, at: number): ClassItem {
    if (c !== "\\") return { cp: c.codePointAt(0) ?? 0 };
    const e = this.next();
    if (e === undefined) throw this.error("unterminated character set", at);
    if ("dDsSwW".includes(e)) {
      const key = e.toLowerCase() as keyof typeof CATEGORY;
      return { cat: this.flags.a ? CATEGORY[key].a : CATEGORY[key].u, neg: e !== key };
    }
    if (/[89]/.test(e)) throw this.error(`bad escape \\${e}`, at);
    return { cp: this.literalEscape(e, at, true) };
  }

  /** JS classes can't nest a negated category, so those become alternatives around the positive class. */
  emitClass(items: ClassItem[], negate: boolean): string {
    let pos = "";
    const negs: string[] = [];
    for (const it of items) {
      if ("cat" in it) {
        if (it.neg) negs.push(`[^${it.cat}]`);
        else pos += it.cat;
      } else if ("lo" in it) pos += `${hexCp(it.lo)}-${hexCp(it.hi)}`;
      else pos += hexCp(it.cp);
    }
    if (!negs.length) return `[${negate ? "^" : ""}${pos}]`;
    const union = [...(pos ? [`[${pos}]`] : []), ...negs].join("|");
    return negate ? `(?:(?!${union})[\\s\\S])` : `(?:${union})`;
  }
}
