/**
 * TrueNAS query filters and options, evaluated exactly as a 25.10 middleware does for results built in Python
 * (`middlewared/utils/filter_list.py` `filter_list`, behind the `QueryArgs` model of `api/v25_10_0/common.py`;
 * ../shared/docs/truenas-api.md §4). Agreement with TS-25.10.6 is checked case by case against the
 * middleware's own output in test/fixtures/filters.middleware.json.
 *
 * Pipeline (order matters, it decides which error wins and what `count` counts):
 * argument model → filter (select applied per match; `get` without `order_by` stops at the first match and
 * ignores `count`) → `count` → `order_by` (on the selected entries) → `get` → `offset` → `limit`.
 *
 * Pure: no I/O, no clock. Errors are the wire errors the middleware answers with (./rpcErrors.ts).
 */
import { filterItems, type ValueMaps } from "./filterOps.js";
import { orderItems } from "./filterOrder.js";
import { selectFields } from "./filterPaths.js";
import { truthy } from "./filterPython.js";
import { checkQueryArgs, validateFilters, validateOptions, type QueryOptions } from "./filterValidation.js";
import { SimMatchNotFound } from "./rpcErrors.js";

export { markAwareDatetime } from "./filterPython.js";
export { queryListSql } from "./filterSql.js";
export type { QueryOptions } from "./filterValidation.js";

function first(rv: readonly unknown[]): unknown {
  if (rv.length === 0) throw new SimMatchNotFound();
  return rv[0];
}

/** `filter_list(items, filters, options)` on already-validated arguments (options fully defaulted). */
export function filterList(
  items: readonly unknown[],
  filters: readonly unknown[],
  options: QueryOptions,
): unknown {
  validateOptions(options);
  const { select, order_by: orderBy } = options;
  const shortcircuit = options.get && orderBy.length === 0;
  let rv: unknown[];
  if (truthy(filters)) {
    const maps: ValueMaps = new Map();
    validateFilters(filters, 0, maps);
    rv = filterItems(items, filters, select, shortcircuit, maps);
    if (shortcircuit) return first(rv);
  } else if (select.length) {
    rv = items.map((item) => selectFields(item, select));
  } else {
    rv = [...items];
  }
  if (options.count) return rv.length;
  rv = orderItems(rv, orderBy);
  if (options.get) return first(rv);
  // Python slices: a negative offset/limit counts from the end, exactly like Array.prototype.slice.
  if (options.offset) rv = rv.slice(options.offset);
  if (options.limit) rv = rv.slice(0, options.limit);
  return rv;
}

/**
 * Evaluate `[filters, options]` of a TrueNAS query method over `items`, as the wire sends them.
 * Returns a list, one object (`get`) or an int (`count`).
 *
 * Datetimes in `items` are `Date`s, naive UTC by default (see `markAwareDatetime`); `.$date` filters compare
 * them with an ISO-8601 value parsed like Python 3.11 `datetime.fromisoformat`.
 */
export function queryList(items: readonly unknown[], filters: unknown = [], options: unknown = {}): unknown {
  const args = checkQueryArgs(filters, options);
  return filterList(items, args.filters, args.options);
}
