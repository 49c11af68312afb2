/**
 * Argument checks the middleware's models make before a method body runs (`api/base/handler/accept.py`); all
 * failures are -32602 `ValidationErrors`. Query methods take `[filters = [], options = {}]` (truenas-api.md §4).
 */
import { queryList } from "../filters.js";
import { SimValidationError } from "../rpcErrors.js";

export type Dict = Record<string, unknown>;

export function isDict(v: unknown): v is Dict {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function invalid(attr: string, message: string): SimValidationError {
  return new SimValidationError([[attr, message, 22]]);
}

/** "Too many arguments (expected N, found M)" with an empty attribute, as `accept.py` reports it. */
export function maxArgs(params: readonly unknown[], max: number): void {
  if (params.length > max) {
    throw invalid("", `Too many arguments (expected ${max}, found ${params.length})`);
  }
}

export interface QueryArgs {
  filters: unknown[];
  options: Dict;
  /** `options.extra`, method-specific (handled by the method before filtering). */
  extra: Dict;
}

export function queryArgs(params: readonly unknown[]): QueryArgs {
  maxArgs(params, 2);
  const filters = params[0] ?? [];
  if (!Array.isArray(filters)) throw invalid("filters", "Input should be a valid list");
  const options = params[1] ?? {};
  if (!isDict(options)) throw invalid("options", "Input should be a valid dictionary");
  const extra = options.extra ?? {};
  if (!isDict(extra)) throw invalid("options.extra", "Input should be a valid dictionary");
  return { filters: filters as unknown[], options, extra };
}

/** Filters, select, order_by, count, get, offset and limit over already-built rows. */
export function runQuery(items: readonly unknown[], q: QueryArgs): unknown {
  return queryList(items, q.filters, q.options);
}

export function boolArg(value: unknown, attr: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw invalid(attr, "Input should be a valid boolean");
  return value;
}

export function intArg(value: unknown, attr: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value))
    throw invalid(attr, "Input should be a valid integer");
  return value;
}

export function stringArg(value: unknown, attr: string): string {
  if (typeof value !== "string") throw invalid(attr, "Input should be a valid string");
  return value;
}

export function stringListArg(value: unknown, attr: string, fallback: string[] = []): string[] {
  if (value === undefined || value === null) return fallback;
  if (!Array.isArray(value)) throw invalid(attr, "Input should be a valid list");
  value.forEach((v, i) => {
    if (typeof v !== "string") throw invalid(`${attr}.${i}`, "Input should be a valid string");
  });
  return value as string[];
}

export function dictArg(value: unknown, attr: string): Dict {
  if (value === undefined || value === null) return {};
  if (!isDict(value)) throw invalid(attr, "Input should be a valid dictionary");
  return value;
}

/** The first path segment of every field a query's filters/select/order_by read (`\.` escapes a dot). */
export function referencedKeys(q: QueryArgs): { select: Set<string> | null; all: Set<string> } {
  const all = new Set<string>();
  const head = (path: unknown): string | undefined =>
    typeof path === "string" ? (path.split(/(?<!\\)\./)[0] ?? path).replace(/\\\./g, ".") : undefined;
  const visitFilter = (f: unknown): void => {
    if (!Array.isArray(f)) return;
    if (f.length === 2 && f[0] === "OR" && Array.isArray(f[1])) {
      for (const branch of f[1] as unknown[]) {
        if (Array.isArray(branch) && Array.isArray(branch[0])) (branch as unknown[]).forEach(visitFilter);
        else visitFilter(branch);
      }
      return;
    }
    const key = head(f[0]);
    if (key !== undefined) all.add(key);
  };
  q.filters.forEach(visitFilter);
  for (const o of Array.isArray(q.options.order_by) ? (q.options.order_by as unknown[]) : []) {
    const key = head(typeof o === "string" ? o.replace(/^nulls_(first|last):/, "").replace(/^-/, "") : o);
    if (key !== undefined) all.add(key);
  }
  const rawSelect = Array.isArray(q.options.select) ? (q.options.select as unknown[]) : [];
  if (rawSelect.length === 0) return { select: null, all };
  const select = new Set<string>();
  for (const s of rawSelect) {
    const key = head(Array.isArray(s) ? s[0] : s);
    if (key !== undefined) select.add(key);
  }
  for (const k of select) all.add(k);
  return { select, all };
}
