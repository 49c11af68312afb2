/**
 * PLACEHOLDER (being replaced by the full filter engine): TrueNAS query filters and options
 * (../shared/docs/truenas-api.md §4). Signature is final.
 */

/** Evaluate `[filters, options]` of a TrueNAS query method over `items`. Returns list | object (get) | int (count). */
export function queryList(items: readonly unknown[], filters: unknown = [], options: unknown = {}): unknown {
  void filters;
  const opts = (options ?? {}) as { count?: boolean; get?: boolean };
  if (opts.count) return items.length;
  if (opts.get) return items[0];
  return [...items];
}
