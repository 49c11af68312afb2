/**
 * Validation of query filters and options, as the middleware's argument models do before a query runs
 * (`utils/filter_list.py` validate_filters/validate_options, wrapped by pydantic in 25.10: the errors come back
 * as -32602 with `[attribute, "Value error, ...", 22]`; truenas-api.md §4).
 */
import { pyRepr } from "./pythonValues.js";
import { SimValidationError } from "./rpcErrors.js";

export const MAX_FILTER_DEPTH = 3;
export const DATE_SUFFIX = ".$date";
export const COMPARISONS = new Set(["=", "!=", ">", ">=", "<", "<="]);
export const OPERATORS = new Set([...COMPARISONS, "~", "in", "nin", "rin", "rnin", "^", "!^", "$", "!$"]);
/** 25.10.1+ caps `limit` (api/v25_10_0/common.py). */
export const MAX_LIMIT = 10_000;

export type Filter = unknown[];

export interface QueryOptions {
  select?: Array<string | [string, string]>;
  order_by?: string[];
  count?: boolean;
  get?: boolean;
  offset?: number;
  limit?: number;
  extra?: Record<string, unknown>;
  force_sql_filters?: boolean;
}

function invalid(attr: string, message: string): SimValidationError {
  return new SimValidationError([[attr, `Value error, ${message}`, 22]]);
}

/** Parse an ISO-8601 timestamp the way `datetime.fromisoformat` accepts it (approximately). */
export function parseIsoTimestamp(value: unknown): Date | null {
  if (
    typeof value !== "string" ||
    !/^\d{4}-\d{2}-\d{2}([T ]\d{2}(:\d{2}(:\d{2}(\.\d+)?)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(value)
  ) {
    return null;
  }
  const d = new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value.replace(" ", "T")}Z`);
  return Number.isNaN(d.getTime()) ? null : d;
}

function validateCondition(f: Filter, depth: number, dates: Map<string, Date>): void {
  if (f.length === 2) {
    const [op, branches] = f;
    if (op !== "OR") throw invalid("filters", `Invalid operation: ${String(op)}`);
    if (!Array.isArray(branches) || branches.length === 0)
      throw invalid("filters", "OR filter requires at least one branch.");
    for (const branch of branches) {
      if (!Array.isArray(branch)) throw invalid("filters", `Invalid filter ${pyRepr(branch)}`);
      validateFilters(Array.isArray(branch[0]) ? (branch as Filter[]) : [branch], depth + 1, dates);
    }
    return;
  }
  if (f.length !== 3) throw invalid("filters", `Invalid filter ${pyRepr(f)}`);
  const raw = f[1];
  if (typeof raw !== "string" || raw === "") throw invalid("filters", `Invalid operation: ${pyRepr(raw)}`);
  let op = raw;
  if (op.startsWith("C")) {
    op = op.slice(1);
    if (op === "~") throw invalid("filters", `Invalid case-insensitive operation: ${raw}`);
  }
  if (!OPERATORS.has(op)) throw invalid("filters", `Invalid operation: ${raw}`);
  for (const [i, operand] of [f[0], f[2]].entries()) {
    if (typeof operand !== "string" || !operand.endsWith(DATE_SUFFIX)) continue;
    if (!COMPARISONS.has(op)) throw invalid("filters", `${op}: invalid timestamp operation.`);
    const other = i === 0 ? f[2] : f[0];
    const ts = parseIsoTimestamp(other);
    if (!ts) throw invalid("filters", `${String(other)}: must be an ISO-8601 formatted timestamp string`);
    dates.set(other as string, ts);
  }
}

/** Check a filter list; collects `.$date` comparison values (ISO string -> Date) into `dates`. */
export function validateFilters(
  filters: unknown,
  depth = 0,
  dates = new Map<string, Date>(),
): Map<string, Date> {
  if (!Array.isArray(filters))
    throw new SimValidationError([["filters", "Input should be a valid list", 22]]);
  if (depth > MAX_FILTER_DEPTH) throw invalid("filters", "query-filters max recursion depth exceeded");
  for (const f of filters) {
    if (!Array.isArray(f)) throw new SimValidationError([["filters", "Input should be a valid list", 22]]);
    validateCondition(f, depth, dates);
  }
  return dates;
}

function validateSelect(select: unknown): void {
  if (!Array.isArray(select))
    throw new SimValidationError([["options.select", "Input should be a valid list", 22]]);
  for (const s of select) {
    if (typeof s === "string") continue;
    if (Array.isArray(s)) {
      if (s.length !== 2)
        throw invalid("options", `${pyRepr(s)}: A select as list may only contain two parameters.`);
      s.forEach((x, i) => {
        if (typeof x !== "string")
          throw invalid("options", `${pyRepr(s)}: ${i === 0 ? "first" : "second"} item must be a string.`);
      });
      continue;
    }
    throw invalid(
      "options",
      `${pyRepr(s)}: selectors must be either a parameter name as a string or a list of two items.`,
    );
  }
}

/** Check the options object and its combinations. */
export function validateOptions(options: unknown): QueryOptions {
  if (options === null || options === undefined) return {};
  if (typeof options !== "object" || Array.isArray(options)) {
    throw new SimValidationError([["options", "Input should be a valid dictionary", 22]]);
  }
  const o = options as QueryOptions;
  for (const key of ["offset", "limit"] as const) {
    const v = o[key];
    if (v !== undefined && (typeof v !== "number" || !Number.isInteger(v) || v < 0)) {
      throw new SimValidationError([[`options.${key}`, "Input should be a valid integer", 22]]);
    }
  }
  if ((o.limit ?? 0) > MAX_LIMIT) {
    throw new SimValidationError([
      ["options.limit", `Input should be less than or equal to ${MAX_LIMIT}`, 22],
    ]);
  }
  if (o.get && ((o.limit ?? 0) > 1 || o.offset)) {
    throw invalid("options", "Invalid options combination. `get` implies a single result.");
  }
  validateSelect(o.select ?? []);
  const orderBy = o.order_by ?? [];
  if (!Array.isArray(orderBy))
    throw new SimValidationError([["options.order_by", "Input should be a valid list", 22]]);
  orderBy.forEach((x, i) => {
    if (typeof x !== "string")
      throw invalid("options", `${pyRepr(orderBy)}: parameter at index ${i} [${pyRepr(x)}] is not a string.`);
  });
  return o;
}
