/**
 * `order_by` of `middlewared/utils/filter_list.py` (`do_order`, `order_nulls`, `order_no_null`): each key is a
 * full `sorted()` of the list in turn, so the last key has the highest priority. `nulls_first:`/`nulls_last:`
 * split on the top-level key only (`entry.get(name)`); without them a null among the keys raises TypeError.
 *
 * `pySorted` follows CPython 3.11's `list.sort`: keys are computed first, `reverse` flips the list before and
 * after a stable ascending sort, and only `<` is used. Short lists use CPython's own run detection and binary
 * insertion, so the pair that raises TypeError (and hence its message) is the one Python hits; longer lists
 * use a stable merge sort with the same `<`.
 */
import { getPath } from "./filterPaths.js";
import { dictHas, isDict, pyCompare, pyError, typeName } from "./filterPython.js";

const NULLS_FIRST = "nulls_first:";
const NULLS_LAST = "nulls_last:";

interface Keyed<T> {
  key: unknown;
  item: T;
}

const lt = <T>(a: Keyed<T>, b: Keyed<T>): boolean => pyCompare("<", a.key, b.key);

/** CPython `count_run` + `binarysort` for a list shorter than 64 (its minrun). */
function smallSort<T>(v: Keyed<T>[]): void {
  let n = 2;
  if (lt(v[1] as Keyed<T>, v[0] as Keyed<T>)) {
    while (n < v.length && lt(v[n] as Keyed<T>, v[n - 1] as Keyed<T>)) n++;
    v.splice(0, n, ...v.slice(0, n).reverse());
  } else {
    while (n < v.length && !lt(v[n] as Keyed<T>, v[n - 1] as Keyed<T>)) n++;
  }
  for (let start = n; start < v.length; start++) {
    const pivot = v[start] as Keyed<T>;
    let l = 0;
    let r = start;
    while (l < r) {
      const p = l + ((r - l) >> 1);
      if (lt(pivot, v[p] as Keyed<T>)) r = p;
      else l = p + 1;
    }
    v.splice(start, 1);
    v.splice(l, 0, pivot);
  }
}

function mergeSort<T>(v: Keyed<T>[]): Keyed<T>[] {
  if (v.length < 2) return v;
  const mid = v.length >> 1;
  const a = mergeSort(v.slice(0, mid));
  const b = mergeSort(v.slice(mid));
  const out: Keyed<T>[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length)
    out.push(lt(b[j] as Keyed<T>, a[i] as Keyed<T>) ? (b[j++] as Keyed<T>) : (a[i++] as Keyed<T>));
  return out.concat(a.slice(i), b.slice(j));
}

/** Python `sorted(items, key=keyOf, reverse=reverse)`. */
export function pySorted<T>(items: readonly T[], keyOf: (item: T) => unknown, reverse: boolean): T[] {
  let v = items.map((item) => ({ key: keyOf(item), item }));
  if (reverse) v.reverse();
  if (v.length >= 2) {
    if (v.length < 64) smallSort(v);
    else v = mergeSort(v);
  }
  if (reverse) v.reverse();
  return v.map((k) => k.item);
}

function splitDirection(order: string): [string, boolean] {
  return order.startsWith("-") ? [order.slice(1), true] : [order, false];
}

/** `order_nulls`: entries whose top-level `name` is missing or None, and the others sorted by the full path. */
function orderNulls(list: readonly unknown[], order: string): [unknown[], unknown[]] {
  const [name, reverse] = splitDirection(order);
  const nulls: unknown[] = [];
  const rest: unknown[] = [];
  for (const entry of list) {
    if (!isDict(entry)) throw pyError("AttributeError", `'${typeName(entry)}' object has no attribute 'get'`);
    const v = dictHas(entry, name) ? entry[name] : null;
    (v === null ? nulls : rest).push(entry);
  }
  return [nulls, pySorted(rest, (x) => getPath(x, name), reverse)];
}

/** `do_order`. */
export function orderItems(list: readonly unknown[], orderBy: readonly string[]): unknown[] {
  let rv = [...list];
  for (const o of orderBy) {
    if (o.startsWith(NULLS_FIRST)) {
      const [nulls, rest] = orderNulls(rv, o.slice(NULLS_FIRST.length));
      rv = [...nulls, ...rest];
    } else if (o.startsWith(NULLS_LAST)) {
      const [nulls, rest] = orderNulls(rv, o.slice(NULLS_LAST.length));
      rv = [...rest, ...nulls];
    } else {
      const [name, reverse] = splitDirection(o);
      rv = pySorted(rv, (x) => getPath(x, name), reverse);
    }
  }
  return rv;
}
