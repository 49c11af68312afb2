/**
 * `pool.dataset.query` (truenas-api.md §3.6): `extra.flat` (a flat list in which every dataset still carries its
 * whole subtree in `children`), `retrieve_children`, `properties`, `retrieve_user_props`, `snapshots_count`;
 * internal datasets hidden. Subtrees are rendered once and shared, and only when the query can see them: a
 * `select` without `children` builds no subtree at all, and renders only the keys it (or a filter) reads.
 */
import type { SimVersion } from "../../types.js";
import { boolArg, queryArgs, referencedKeys, runQuery, stringListArg, type QueryArgs } from "../args.js";
import type { WireObject } from "../model.js";
import { PROPS_BY_ZFS, type DatasetRecord } from "./records.js";
import { renderDataset, type RenderOptions } from "./render.js";
import type { DatasetStore } from "./store.js";

export interface DatasetQueryDeps {
  store: DatasetStore;
  version: SimVersion;
  timeZone: string;
}

/** ZFS names in `extra.properties` -> TrueNAS output names; crypto columns follow the crypto properties. */
function propertySelection(list: string[] | null): { properties: Set<string> | null; crypto: boolean } {
  if (list === null) return { properties: null, crypto: true };
  const properties = new Set<string>();
  for (const zfs of list) {
    const def = PROPS_BY_ZFS.get(zfs);
    if (def) properties.add(def.name);
  }
  const crypto = list.some((n) => n === "encryption" || n === "keystatus" || n === "encryptionroot");
  return { properties, crypto };
}

/** 25.04 with retrieve_children=false only looks up datasets named by one `id`/`name` `=`/`in` filter. */
function namedByFilter(filters: unknown[]): string[] | null {
  if (filters.length !== 1) return null;
  const [f] = filters;
  if (!Array.isArray(f) || f.length !== 3) return null;
  const [field, op, value] = f as [unknown, unknown, unknown];
  if (field !== "id" && field !== "name") return null;
  if (op === "=" && typeof value === "string") return [value];
  if (op === "in" && Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return null;
}

function candidates(deps: DatasetQueryDeps, q: QueryArgs, flat: boolean, children: boolean): DatasetRecord[] {
  const { store } = deps;
  if (!flat) return store.roots();
  if (children) return store.visible();
  if (q.filters.length === 0) return store.roots();
  if (deps.version === "25.10") return store.visible();
  const named = namedByFilter(q.filters);
  if (named === null) return store.roots();
  return named
    .map((n) => store.get(n))
    .filter((r): r is DatasetRecord => r !== undefined && !store.isHidden(r.name));
}

export function datasetQuery(deps: DatasetQueryDeps, params: unknown[]): unknown {
  const q = queryArgs(params);
  const flat = boolArg(q.extra.flat, "options.extra.flat", true);
  const retrieveChildren = boolArg(q.extra.retrieve_children, "options.extra.retrieve_children", true);
  const rawProps = q.extra.properties;
  const propList =
    rawProps === undefined || rawProps === null ? null : stringListArg(rawProps, "options.extra.properties");
  const { properties, crypto } = propertySelection(propList);
  const keys = referencedKeys(q);
  const base: RenderOptions = {
    version: deps.version,
    timeZone: deps.timeZone,
    properties,
    crypto,
    userProps: boolArg(q.extra.retrieve_user_props, "options.extra.retrieve_user_props", true),
    snapshotCount: boolArg(q.extra.snapshots_count, "options.extra.snapshots_count", false),
    onlyKeys: null,
  };
  const rows = candidates(deps, q, flat, retrieveChildren);
  // 25.10's generic_query counts every visited dataset before filtering (truenas-api.md §3.6, code reading).
  if (q.options.count === true && deps.version === "25.10" && q.filters.length > 0) return rows.length;

  const needChildren = retrieveChildren && (keys.select === null || keys.all.has("children"));
  const memo = new Map<string, WireObject>();
  const full = (rec: DatasetRecord): WireObject => {
    let done = memo.get(rec.name);
    if (!done) {
      done = renderDataset(deps.store, rec, base, deps.store.childrenOf(rec.name).map(full));
      memo.set(rec.name, done);
    }
    return done;
  };
  const top: RenderOptions = keys.select === null ? base : { ...base, onlyKeys: keys.all };
  const items = rows.map((rec) => {
    if (!retrieveChildren) return renderDataset(deps.store, rec, top, []);
    if (!needChildren) return renderDataset(deps.store, rec, top, undefined);
    return keys.select === null
      ? full(rec)
      : renderDataset(deps.store, rec, top, childrenOf(deps, rec, full));
  });
  return runQuery(items, q);
}

function childrenOf(
  deps: DatasetQueryDeps,
  rec: DatasetRecord,
  full: (r: DatasetRecord) => WireObject,
): WireObject[] {
  return deps.store.childrenOf(rec.name).map(full);
}

/** A dataset as `pool.dataset.query` returns it with default options (the `fields` of its events). */
export function renderDefault(deps: DatasetQueryDeps, rec: DatasetRecord): WireObject {
  const opts: RenderOptions = {
    version: deps.version,
    timeZone: deps.timeZone,
    properties: null,
    crypto: true,
    userProps: true,
    snapshotCount: false,
    onlyKeys: null,
  };
  const full = (r: DatasetRecord): WireObject =>
    renderDataset(deps.store, r, opts, deps.store.childrenOf(r.name).map(full));
  return full(rec);
}
