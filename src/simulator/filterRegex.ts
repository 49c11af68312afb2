/**
 * Python `re` patterns (CPython 3.11 `sre_parse`) rewritten as JavaScript `u`-mode RegExps, for the `~` filter
 * operator (`middlewared/utils/filter_list.py` `op_re` = `re.match(y, x or '')`).
 *
 * Differences handled: `(?P<n>…)`/`(?P=n)`, leading global flags `(?aimsx)`, scoped `(?ms-x:…)`, verbose mode,
 * `{,n}` and literal `{`, `]` first in a class, Unicode `\d \w \s \b` (JS's are ASCII), `.` excluding only `\n`,
 * `$` matching before a final newline, `\A \Z`, `\x \u \U` and octal escapes. Errors Python raises at compile
 * time ("nothing to repeat", "bad escape", "missing )"...) are raised with Python's text. Constructs JS cannot
 * express (conditionals, atomic groups, possessive repeats, `\N{…}`, a scoped `i` differing from the global one)
 * raise `error` with an "unsupported in the simulator" text.
 */
import { pyError } from "./filterPython.js";
import { CATEGORY, hexCp, PatternCursor, WORD_U } from "./filterRegexLex.js";

const SYNTAX = new Set([..."^$\\.*+?()[]{}|/"]);
const FLAG_CHARS = "aiLmsux";

/** An opened group: JS opener, whether it is already a whole atom, and its capture number (0 if none). */
interface GroupHead {
  src: string;
  done: boolean;
  kind: AtomKind;
  capture: number;
}

/** `anchor` can't be repeated (Python error), `assert` is a lookaround (JS can't repeat it), `comment` is `(?#…)`. */
type AtomKind = "plain" | "anchor" | "assert" | "comment" | "repeated";

interface Atom {
  src: string;
  kind: AtomKind;
}

class Translator extends PatternCursor {
  private groups = 0;
  private readonly names = new Map<string, number>();
  private readonly open = new Set<number>();
  private globalI = false;

  /** Whole pattern: leading global flags, then alternation to the end. */
  translate(): { source: string; ignoreCase: boolean } {
    while (this.peek() === "(" && this.peek(1) === "?" && FLAG_CHARS.includes(this.peek(2) ?? "")) {
      const save = this.pos;
      this.pos += 2;
      const flags = this.readFlagLetters();
      if (this.peek() !== ")") {
        this.pos = save;
        break;
      }
      for (const f of flags) this.setFlag(f, true, this.pos);
      this.pos++;
    }
    this.globalI = this.flags.i;
    const body = this.alternation();
    if (this.peek() === ")") throw this.error("unbalanced parenthesis", this.pos);
    return { source: body, ignoreCase: this.globalI };
  }

  readFlagLetters(): string {
    let out = "";
    while (FLAG_CHARS.includes(this.peek() ?? "")) out += this.next() ?? "";
    return out;
  }

  setFlag(f: string, on: boolean, at: number): void {
    if (f === "L") throw this.error("bad inline flags: cannot use 'L' flag with a str pattern", at);
    if (f === "u") return;
    this.flags = { ...this.flags, [f]: on };
  }

  alternation(): string {
    const parts = [this.sequence()];
    while (this.peek() === "|") {
      this.pos++;
      parts.push(this.sequence());
    }
    return parts.join("|");
  }

  skipVerbose(): void {
    if (!this.flags.x) return;
    for (;;) {
      const c = this.peek();
      if (c !== undefined && " \t\n\r\v\f".includes(c)) this.pos++;
      else if (c === "#") while (this.peek() !== undefined && this.next() !== "\n");
      else return;
    }
  }

  /** Items up to `|`/`)`; a repeat applies to the item before it, as in `sre_parse._parse`. */
  sequence(): string {
    const items: Atom[] = [];
    for (;;) {
      this.skipVerbose();
      const c = this.peek();
      if (c === undefined || c === "|" || c === ")") return items.map((it) => it.src).join("");
      const at = this.pos;
      const q = this.repeat();
      if (q === undefined) {
        const atom = this.atom();
        if (atom.kind !== "comment") items.push(atom);
        continue;
      }
      const last = items[items.length - 1];
      if (!last || last.kind === "anchor") throw this.error("nothing to repeat", at);
      if (last.kind === "repeated") throw this.error("multiple repeat", at);
      if (last.kind === "assert") throw this.unsupported("a repeated lookaround");
      let lazy = "";
      if (this.peek() === "?") lazy = this.next() ?? "";
      else if (this.peek() === "+") throw this.unsupported("a possessive repeat");
      items[items.length - 1] = { src: last.src + q + lazy, kind: "repeated" };
    }
  }

  /** `{m}`, `{m,}`, `{,n}`, `{m,n}` (anything else after `{` is literal text in Python). */
  repeatAhead(): boolean {
    return /^\{(\d*)(,\d*)?\}/.test(this.cps.slice(this.pos, this.pos + 40).join("")) && this.peek(1) !== "}";
  }

  repeat(): string | undefined {
    const c = this.peek();
    if (c === "*" || c === "+" || c === "?") return this.next();
    if (c !== "{" || !this.repeatAhead()) return undefined;
    const at = this.pos;
    const m = /^\{(\d*)(?:(,)(\d*))?\}/.exec(this.cps.slice(this.pos, this.pos + 40).join(""));
    if (!m) return undefined;
    this.pos += Array.from(m[0]).length;
    const lo = m[1] ?? "";
    const hi = m[2] ? (m[3] ?? "") : lo;
    if (lo && hi && Number(hi) < Number(lo)) throw this.error("min repeat greater than max repeat", at + 1);
    return `{${lo || "0"}${m[2] ? `,${hi}` : ""}}`;
  }

  atom(): Atom {
    const at = this.pos;
    const c = this.next() ?? "";
    if (c === "(") return this.group(at);
    if (c === "[") return { src: this.charClass(at), kind: "plain" };
    if (c === ".") return { src: this.flags.s ? "[\\s\\S]" : "[^\\n]", kind: "plain" };
    if (c === "^") return { src: this.flags.m ? "(?<![^\\n])" : "(?<![\\s\\S])", kind: "anchor" };
    if (c === "$")
      return { src: this.flags.m ? "(?=\\n|(?![\\s\\S]))" : "(?=\\n?(?![\\s\\S]))", kind: "anchor" };
    if (c === "\\") return this.escape(at);
    return { src: SYNTAX.has(c) ? `\\${c}` : c, kind: "plain" };
  }

  group(at: number): Atom {
    const saved = this.flags;
    let ext: GroupHead = { src: "(", done: false, kind: "plain", capture: 0 };
    if (this.peek() === "?") {
      this.pos++;
      ext = this.groupExtension(at);
      if (ext.done) return ext;
    } else {
      ext.capture = ++this.groups;
      this.open.add(ext.capture);
    }
    const body = this.alternation();
    if (this.next() !== ")") throw this.error("missing ), unterminated subpattern", at);
    this.open.delete(ext.capture);
    this.flags = saved;
    return { src: `${ext.src}${body})`, kind: ext.kind };
  }

  /** After `(?`: the JS group opener, or a complete atom (`done`) for backrefs and comments. */
  groupExtension(at: number): GroupHead {
    const c = this.next();
    const head = (src: string, kind: AtomKind = "plain"): GroupHead => ({
      src,
      done: false,
      kind,
      capture: 0,
    });
    if (c === ":") return head("(?:");
    // Python can repeat a lookaround; JS u-mode cannot (see `sequence`).
    if (c === "=" || c === "!") return head(`(?${c}`, "assert");
    if (c === "<" && (this.peek() === "=" || this.peek() === "!"))
      return head(`(?<${this.next() ?? ""}`, "assert");
    if (c === "#") {
      while (this.peek() !== undefined && this.peek() !== ")") this.pos++;
      if (this.next() !== ")") throw this.error("missing ), unterminated comment", at);
      return { src: "", done: true, kind: "comment", capture: 0 };
    }
    if (c === "P") return this.namedGroup(at);
    if (c === "(") throw this.unsupported("a conditional group");
    if (c === ">") throw this.unsupported("an atomic group");
    if (c !== undefined && (FLAG_CHARS.includes(c) || c === "-")) return this.scopedFlags(at);
    if (c === undefined) throw this.error("unexpected end of pattern", this.pos);
    throw this.error(`unknown extension ?${c}${c === "<" ? (this.peek() ?? "") : ""}`, at + 1);
  }

  namedGroup(at: number): GroupHead {
    const kind = this.next();
    const close = kind === "<" ? ">" : ")";
    if (kind === undefined) throw this.error("unexpected end of pattern", this.pos);
    if (kind !== "<" && kind !== "=") throw this.error(`unknown extension ?P${kind}`, at + 1);
    let name = "";
    while (this.peek() !== undefined && this.peek() !== close) name += this.next() ?? "";
    if (this.next() !== close) throw this.error(`missing ${close}, unterminated name`, at + 4);
    if (!name) throw this.error("missing group name", at + 4);
    if (!/^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u.test(name)) {
      throw this.error(`bad character in group name '${name}'`, at + 4);
    }
    if (kind === "=") {
      const n = this.names.get(name);
      if (n === undefined) throw this.error(`unknown group name '${name}'`, at + 4);
      if (this.open.has(n)) throw this.error("cannot refer to an open group", at);
      return { src: `(?:\\k<${name}>)`, done: true, kind: "plain", capture: 0 };
    }
    this.groups++;
    const prev = this.names.get(name);
    if (prev !== undefined)
      throw this.error(
        `redefinition of group name '${name}' as group ${this.groups}; was group ${prev}`,
        at + 4,
      );
    this.names.set(name, this.groups);
    this.open.add(this.groups);
    return { src: `(?<${name}>`, done: false, kind: "plain", capture: this.groups };
  }

  scopedFlags(at: number): GroupHead {
    this.pos--;
    const on = this.readFlagLetters();
    const off = this.peek() === "-" ? (this.pos++, this.readFlagLetters()) : "";
    if (this.peek() === ")") throw this.error("global flags not at the start of the expression", at);
    if (this.peek() !== ":") throw this.error("missing -, : or )", this.pos);
    if ([...on].some((f) => off.includes(f)))
      throw this.error("bad inline flags: flag turned on and off", this.pos);
    for (const f of on) this.setFlag(f, true, this.pos);
    for (const f of off) this.setFlag(f, false, this.pos);
    this.pos++;
    if (this.flags.i !== this.globalI) throw this.unsupported("a scoped (?i) flag");
    return { src: "(?:", done: false, kind: "plain", capture: 0 };
  }

  category(letter: string): Atom {
    const key = letter.toLowerCase() as keyof typeof CATEGORY;
    const body = this.flags.a ? CATEGORY[key].a : CATEGORY[key].u;
    return { src: letter === key ? `[${body}]` : `[^${body}]`, kind: "plain" };
  }

  wordBoundary(negated: boolean): string {
    const w = `[${this.flags.a ? CATEGORY.w.a : WORD_U}]`;
    if (!negated) return `(?:(?<=${w})(?!${w})|(?<!${w})(?=${w}))`;
    // Python 3.11's \B never matches an empty string (changed only in 3.14).
    return `(?:(?<=${w})(?=${w})|(?<!${w})(?!${w})(?:(?<=[\\s\\S])|(?=[\\s\\S])))`;
  }

  escape(at: number): Atom {
    const c = this.next();
    if (c === undefined) throw this.error("bad escape (end of pattern)", at);
    if (c === "A") return { src: "(?<![\\s\\S])", kind: "anchor" };
    if (c === "Z") return { src: "(?![\\s\\S])", kind: "anchor" };
    if (c === "b" || c === "B") return { src: this.wordBoundary(c === "B"), kind: "anchor" };
    if ("dDsSwW".includes(c)) return this.category(c);
    if (/[1-9]/.test(c)) return this.numericEscape(c, at);
    const cp = this.literalEscape(c, at, false);
    return { src: hexCp(cp), kind: "plain" };
  }

  /** `\1`..`\99` group references, or a 3-digit octal escape. */
  numericEscape(first: string, at: number): Atom {
    let digits = first;
    if (/[0-9]/.test(this.peek() ?? "")) digits += this.next() ?? "";
    if (digits.length === 2 && /^[0-7]{2}$/.test(digits) && /[0-7]/.test(this.peek() ?? "")) {
      const value = parseInt(digits + (this.next() ?? ""), 8);
      if (value > 0o377)
        throw this.error(
          `octal escape value \\${digits}${this.cps[this.pos - 1] ?? ""} outside of range 0-0o377`,
          at,
        );
      return { src: hexCp(value), kind: "plain" };
    }
    const group = Number(digits);
    if (group > this.groups) throw this.error(`invalid group reference ${group}`, at + 1);
    if (this.open.has(group)) throw this.error("cannot refer to an open group", at);
    return { src: `(?:\\${group})`, kind: "plain" };
  }
}

const CACHE = new Map<string, RegExp>();

/** Compile a Python pattern; `mode` "match" anchors at the start (`re.match`), "search" scans (`re.search`). */
export function compilePyRegex(
  pattern: string,
  mode: "match" | "search" = "match",
  forceIgnoreCase = false,
): RegExp {
  const cacheKey = `${mode}${forceIgnoreCase ? "i" : "-"}${pattern}`;
  const hit = CACHE.get(cacheKey);
  if (hit) return hit;
  const { source, ignoreCase } = new Translator(pattern).translate();
  let re: RegExp;
  try {
    re = new RegExp(source, `u${mode === "match" ? "y" : ""}${ignoreCase || forceIgnoreCase ? "i" : ""}`);
  } catch (err) {
    throw pyError("error", `pattern is not supported by the simulator's regular expressions: ${String(err)}`);
  }
  if (CACHE.size > 500) CACHE.clear();
  CACHE.set(cacheKey, re);
  return re;
}

/** `re.match(pattern, text) is not None`. */
export function pyReMatch(pattern: string, text: string): boolean {
  const re = compilePyRegex(pattern);
  re.lastIndex = 0;
  return re.test(text);
}
