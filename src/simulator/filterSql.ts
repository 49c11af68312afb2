/**
 * The SQL query path (`datastore.query`: `plugins/datastore/read.py`, `plugins/datastore/filter.py`), which
 * plain DB-backed queries use, e.g. `service.query` when no filter names `state`/`pids` (`plugins/service.py`).
 * It knows only `= != > >= < <= ~ in nin ^ $` and `OR`: `rin`, `rnin`, `!^`, `!$` and every `C` operator pass
 * the argument model and then fail with -32001 "Invalid operation: rin". Differences from the Python path kept:
 * SQL NULL logic (`!=` and comparisons are false on NULL; `= None` is IS NULL), `^`/`$` are LIKE (ASCII
 * case-insensitive, `%`/`_` wildcards), `~` is a case-insensitive `re.search` (`datastore/connection.py`
 * `regexp`, which fails the statement on a non-text value), `in []`/`nin []` follow SQLite, SQLAlchemy refuses
 * `> >= < <= ^ $` against None/True/False, ORDER BY has the first key primary with NULLs lowest, and `select` is
 * applied last.
 * Rows are the simulator's dicts; a dotted name reads a nested value (the real path joins a foreign key).
 */
import type { Selector } from "./filterOps.js";
import { getPath, selectFields } from "./filterPaths.js";
import { asDatetime, pyContains, pyError, pyIter, pyLen, typeName } from "./filterPython.js";
import { pyStr } from "./filterRepr.js";
import { compilePyRegex } from "./filterRegex.js";
import { checkQueryArgs, validateFilters } from "./filterValidation.js";
import { SimMatchNotFound } from "./rpcErrors.js";

type Predicate = (row: unknown) => boolean;

const CONSTANT_SHY = new Set([">", ">=", "<", "<=", "^", "$"]);
const NONE_OPERATORS =
  "Only '=', '!=', 'is_()', 'is_not()', 'is_distinct_from()', 'is_not_distinct_from()' operators can be used with None/True/False";

/** SQLite storage classes in sort order: NULL < numbers < text < the rest (JSON text here). */
function sqlValue(v: unknown): { rank: number; v: number | string } {
  if (v === null || v === undefined) return { rank: 0, v: 0 };
  if (typeof v === "boolean") return { rank: 1, v: v ? 1 : 0 };
  if (typeof v === "number") return { rank: 1, v };
  const dt = asDatetime(v);
  if (dt) return { rank: 2, v: new Date(dt.ms).toISOString().replace("T", " ").replace("Z", "") };
  if (typeof v === "string") return { rank: 2, v };
  return { rank: 3, v: JSON.stringify(v) };
}

/** Compare a column with a bound value; a numeric column converts numeric-looking text (NUMERIC affinity). */
function sqlCmp(col: unknown, value: unknown): number {
  const a = sqlValue(col);
  let b = sqlValue(value);
  if (
    a.rank === 1 &&
    b.rank === 2 &&
    typeof b.v === "string" &&
    b.v.trim() !== "" &&
    !Number.isNaN(Number(b.v))
  ) {
    b = { rank: 1, v: Number(b.v) };
  }
  if (a.rank !== b.rank) return a.rank - b.rank;
  return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
}

const isNull = (v: unknown): boolean => v === null || v === undefined;
const asciiLower = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

function like(col: unknown, pattern: string): boolean {
  const text = asciiLower(String(sqlValue(col).v));
  const re = Array.from(asciiLower(pattern), (c) =>
    c === "%" ? "[\\s\\S]*" : c === "_" ? "[\\s\\S]" : c.replace(/[\\^$.*+?()[\]{}|/]/, "\\$&"),
  ).join("");
  return new RegExp(`^${re}$`, "u").test(text);
}

/** `in_`/`nin` of filter.py: NULLs in the list become `OR col IS NULL` / `AND col IS NOT NULL`. */
function inList(col: unknown, value: unknown, negate: boolean): boolean {
  const hasNulls = pyContains(value, null);
  const values = pyIter(value).filter((v) => !isNull(v));
  // SQLite: `x IN ()` is false and `x NOT IN ()` true, even for a NULL x; otherwise NULL x gives NULL (false).
  const hit = values.length > 0 && !isNull(col) && values.some((v) => sqlCmp(col, v) === 0);
  const base = values.length === 0 ? negate : !isNull(col) && hit !== negate;
  return negate ? base && !(hasNulls && isNull(col)) : base || (hasNulls && isNull(col));
}

/** The `regexp` function registered on the connection; any exception inside it fails the whole statement. */
function sqlRegexp(col: unknown, pattern: unknown): boolean {
  if (isNull(col)) return false;
  try {
    if (typeof pattern !== "string" || typeof col !== "string") throw new Error("not a string");
    return compilePyRegex(pattern, "search", true).test(col);
  } catch {
    throw pyError("OperationalError", "(sqlite3.OperationalError) user-defined function raised exception");
  }
}

const SQL_OPS: ReadonlyMap<string, (col: unknown, value: unknown) => boolean> = new Map([
  ["=", (c, v) => (isNull(v) ? isNull(c) : !isNull(c) && sqlCmp(c, v) === 0)],
  ["!=", (c, v) => (isNull(v) ? !isNull(c) : !isNull(c) && sqlCmp(c, v) !== 0)],
  [">", (c, v) => !isNull(c) && !isNull(v) && sqlCmp(c, v) > 0],
  [">=", (c, v) => !isNull(c) && !isNull(v) && sqlCmp(c, v) >= 0],
  ["<", (c, v) => !isNull(c) && !isNull(v) && sqlCmp(c, v) < 0],
  ["<=", (c, v) => !isNull(c) && !isNull(v) && sqlCmp(c, v) <= 0],
  ["~", sqlRegexp],
  ["in", (c, v) => inList(c, v, false)],
  ["nin", (c, v) => inList(c, v, true)],
  ["^", (c, v) => !isNull(c) && like(c, `${String(v)}%`)],
  ["$", (c, v) => !isNull(c) && like(c, `%${String(v)}`)],
]);

/** `FilterMixin._filters_to_queryset`: OR branches are a flat filter list here (no AND groups). */
function compileFilters(filters: unknown): Predicate[] {
  return pyIter(filters).map((f): Predicate => {
    if (!Array.isArray(f)) throw pyError("ValueError", `Filter must be a list or tuple: ${pyStr(f)}`);
    if (pyLen(f) === 3) {
      const [name, op, value] = f as [unknown, unknown, unknown];
      if (typeof name !== "string")
        throw pyError("AttributeError", `'${typeName(name)}' object has no attribute 'startswith'`);
      const fn = typeof op === "string" ? SQL_OPS.get(op) : undefined;
      if (!fn) throw pyError("ValueError", `Invalid operation: ${pyStr(op)}`);
      // SQLAlchemy refuses to build `col > None`, `col LIKE None || '%'`... (bools are singletons too).
      if (CONSTANT_SHY.has(op as string) && (isNull(value) || typeof value === "boolean")) {
        throw pyError("ArgumentError", NONE_OPERATORS);
      }
      if (op === "in" || op === "nin") pyContains(value, null); // filter.py's `None in value`
      return (row) => fn(getPath(row, name), value);
    }
    if (pyLen(f) === 2) {
      const [op, value] = f as [unknown, unknown];
      if (op !== "OR") throw pyError("ValueError", `Invalid operation: ${pyStr(op)}`);
      const branches = compileFilters(value);
      return (row) => branches.some((b) => b(row));
    }
    throw pyError("ValueError", `Invalid filter ${pyStr(f)}`);
  });
}

/** ORDER BY: first key primary; NULLs lowest unless `nulls_first:`/`nulls_last:` say otherwise. */
function sqlOrder(rows: unknown[], orderBy: readonly string[]): unknown[] {
  const keys = orderBy.map((spec) => {
    let name = spec;
    let nulls: "first" | "last" | undefined;
    if (name.startsWith("nulls_first:")) [nulls, name] = ["first", name.slice(12)];
    else if (name.startsWith("nulls_last:")) [nulls, name] = ["last", name.slice(11)];
    const desc = name.startsWith("-");
    if (desc) name = name.slice(1);
    return { name, desc, nullsFirst: nulls ? nulls === "first" : !desc };
  });
  return [...rows].sort((ra, rb) => {
    for (const k of keys) {
      const a = getPath(ra, k.name);
      const b = getPath(rb, k.name);
      if (isNull(a) || isNull(b)) {
        if (isNull(a) && isNull(b)) continue;
        return isNull(a) === k.nullsFirst ? -1 : 1;
      }
      const c = sqlCmp(a, b);
      if (c !== 0) return k.desc ? -c : c;
    }
    return 0;
  });
}

/**
 * `[filters, options]` of a query answered by `datastore.query` (see the file comment). Same argument checks
 * and result kinds as `queryList`.
 */
export function queryListSql(
  items: readonly unknown[],
  filters: unknown = [],
  options: unknown = {},
): unknown {
  const { filters: f, options: o } = checkQueryArgs(filters, options);
  validateFilters(f);
  const predicates = compileFilters(f);
  let rows = items.filter((row) => predicates.every((p) => p(row)));
  if (o.count) return rows.length;
  rows = sqlOrder(rows, o.order_by);
  // SQLite: a negative OFFSET counts as 0 and a negative LIMIT means no limit.
  if (o.offset > 0) rows = rows.slice(o.offset);
  if (o.limit > 0) rows = rows.slice(0, o.limit);
  const select: readonly Selector[] = o.select;
  const out = select.length ? rows.map((row) => selectFields(row, select)) : rows;
  if (o.get) {
    if (out.length === 0) throw new SimMatchNotFound();
    return out[0];
  }
  return out;
}
