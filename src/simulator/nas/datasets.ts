/**
 * Datasets as `pool.dataset.query` returns them (truenas-api.md §3.6): ZFS property objects
 * `{parsed, rawvalue, value, source, source_info}`, the `extra` options (flat, retrieve_children, properties,
 * retrieve_user_props) and the real quirk that a flat list still nests every dataset's children.
 * Children are built only when they will be returned, so `select` without `children` stays cheap on 5,000
 * datasets; the output is identical either way.
 */
import type { SimVersion } from "../types.js";
import type { Row } from "./sampleData.js";
import { is2504 } from "./state.js";

/** Fields that are not ZFS properties. */
const IDENTITY = new Set([
  "id",
  "name",
  "type",
  "pool",
  "encrypted",
  "encryption_root",
  "key_loaded",
  "locked",
  "mountpoint",
  "user_properties",
  "children",
]);
const CRYPTO = ["encrypted", "encryption_root", "key_loaded", "locked"] as const;
const SIZE_PROPS = new Set([
  "used",
  "available",
  "usedbychildren",
  "usedbydataset",
  "usedbyrefreservation",
  "usedbysnapshots",
  "quota",
  "refquota",
  "reservation",
  "refreservation",
  "volsize",
]);
const FILESYSTEM_ONLY = [
  "aclmode",
  "acltype",
  "atime",
  "casesensitivity",
  "exec",
  "recordsize",
  "snapdir",
  "special_small_block_size",
  "xattr",
  "quota",
  "refquota",
];
const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
const ZFS_UNITS = ["B", "K", "M", "G", "T", "P"];

/** 25.10 `format_size`: binary units with two decimals ("11.92 TiB", "0 bytes"). */
export function formatSize(bytes: number): string {
  if (bytes === 0) return "0 bytes";
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i += 1;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(2)} ${UNITS[i]}`;
}

/** 25.04 ZFS human form: three significant digits, one-letter units ("11.9T", "488G", "128K"). */
export function zfsHuman(bytes: number): string {
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < ZFS_UNITS.length - 1) {
    v /= 1024;
    i += 1;
  }
  if (i === 0) return String(v);
  const digits = v >= 100 ? 0 : v >= 10 ? 1 : 2;
  return `${v.toFixed(digits).replace(/\.?0+$/, "")}${ZFS_UNITS[i]}`;
}

/** A size property object as TrueNAS builds it; unset quotas/reservations parse to null. */
export function sizeProperty(bytes: number, source = "NONE", unsetIsNull = false): Row {
  if (unsetIsNull && bytes === 0)
    return { parsed: null, rawvalue: "0", value: null, source: "DEFAULT", source_info: null };
  return { parsed: bytes, rawvalue: String(bytes), value: formatSize(bytes), source, source_info: null };
}

/** Merge the sample's full-shape template with one dataset's known fields. */
export function fullDataset(template: Row, known: Row): Row {
  const { children: _c, ...base } = structuredClone(template);
  const out: Row = { ...base, ...structuredClone(known) };
  out.name = known.id;
  out.id = known.id;
  out.encryption_root = known.encrypted ? (known.encryption_root ?? known.id) : null;
  out.key_loaded = known.encrypted ? !known.locked : false;
  if (known.type === "VOLUME") {
    // Filesystem-only properties do not exist on zvols (truenas-api.md §3.6).
    for (const key of FILESYSTEM_ONLY) delete out[key];
    out.mountpoint = null;
    out.volsize = sizeProperty(Number(known.used?.parsed ?? 0));
    out.volblocksize = {
      parsed: "16K",
      rawvalue: "16384",
      value: "16K",
      source: "DEFAULT",
      source_info: null,
    };
  }
  return out;
}

export interface DatasetQueryOptions {
  flat: boolean;
  retrieveChildren: boolean;
  /** null = the default set. */
  properties: readonly string[] | null;
  userProps: boolean;
  withChildren: boolean;
}

function parentOf(name: string): string | null {
  const i = name.lastIndexOf("/");
  return i === -1 ? null : name.slice(0, i);
}

/** An index of direct children, built once per query. */
export function childIndex(datasets: readonly Row[]): Map<string, Row[]> {
  const index = new Map<string, Row[]>();
  for (const d of datasets) {
    const parent = parentOf(String(d.id));
    if (parent === null) continue;
    const list = index.get(parent) ?? [];
    list.push(d);
    index.set(parent, list);
  }
  return index;
}

function propertyFor(key: string, value: Row, version: SimVersion): Row {
  if (!is2504(version) || !SIZE_PROPS.has(key) || typeof value.parsed !== "number") return value;
  return { ...value, value: zfsHuman(value.parsed) };
}

/** One dataset as returned under the given options (children nested when asked). */
export function renderDataset(
  d: Row,
  opts: DatasetQueryOptions,
  index: Map<string, Row[]>,
  version: SimVersion,
  nested = true,
): Row {
  const out: Row = { id: d.id, type: d.type, name: d.name, pool: d.pool };
  const props = opts.properties;
  const wantCrypto = props === null || props.includes("encryption") || props.includes("keystatus");
  if (wantCrypto) for (const k of CRYPTO) out[k] = d[k];
  for (const [key, value] of Object.entries(d)) {
    if (IDENTITY.has(key)) continue;
    if (props !== null && !props.includes(key)) continue;
    out[key] =
      value && typeof value === "object" && "rawvalue" in value
        ? propertyFor(key, value as Row, version)
        : value;
  }
  if (d.type === "FILESYSTEM" || props === null || props.includes("mountpoint"))
    out.mountpoint = d.mountpoint ?? null;
  if (opts.userProps) out.user_properties = d.user_properties ?? {};
  if (opts.withChildren) {
    out.children = nested
      ? (index.get(String(d.id)) ?? []).map((c) => renderDataset(c, opts, index, version))
      : [];
  }
  return out;
}

/** Read `options.extra` of a pool.dataset.query call (defaults: flat, retrieve_children, default properties). */
export function datasetQueryOptions(
  options: Row,
  hasFilters: boolean,
): DatasetQueryOptions & { hasFilters: boolean } {
  const extra = (options.extra ?? {}) as Row;
  const select = options.select as unknown[] | undefined;
  const selectsChildren =
    !select || select.some((s) => (Array.isArray(s) ? String(s[0]) : String(s)).split(".")[0] === "children");
  return {
    flat: extra.flat !== false,
    retrieveChildren: extra.retrieve_children !== false,
    properties: Array.isArray(extra.properties) ? (extra.properties as string[]) : null,
    userProps: extra.retrieve_user_props !== false,
    withChildren: selectsChildren,
    hasFilters,
  };
}

/** The entries a query runs its filters over, before filters and options (truenas-api.md §3.6). */
export function datasetRows(
  all: readonly Row[],
  opts: DatasetQueryOptions & { hasFilters: boolean },
  version: SimVersion,
): Row[] {
  const index = childIndex(all);
  const roots = all.filter((d) => parentOf(String(d.id)) === null);
  if (!opts.retrieveChildren) {
    // 25.10 searches every dataset when filtering; 25.04 only the pool roots (a simplification of its
    // name-filter special case). Either way each result has no children.
    const pool = opts.hasFilters && !is2504(version) ? all : roots;
    return pool.map((d) => renderDataset(d, opts, index, version, false));
  }
  const base = opts.flat ? all : roots;
  return base.map((d) => renderDataset(d, opts, index, version));
}
