/**
 * One dataset as `pool.dataset.query` returns it: property objects `{parsed, rawvalue, value, source,
 * source_info}` resolved through inheritance, with `value` in each release's own text (25.04: ZFS "11.9T";
 * 25.10: `format_size` "11.92 TiB") and unset quotas/reservations parsed as null (truenas-api.md §3.6).
 */
import type { SimVersion } from "../../types.js";
import { formatSize, zfsCreationText, zfsNicenum } from "../format.js";
import type { WireObject, WireValue } from "../model.js";
import {
  PROPS,
  STAT_PROPS,
  TRUENAS_USER_PROPS,
  parentName,
  type DatasetRecord,
  type PropDef,
} from "./records.js";
import type { DatasetStore } from "./store.js";

export interface RenderOptions {
  version: SimVersion;
  timeZone: string;
  /** TrueNAS property names to include; null = the default set. */
  properties: ReadonlySet<string> | null;
  /** Include `encrypted`, `encryption_root`, `key_loaded`, `locked`. */
  crypto: boolean;
  userProps: boolean;
  snapshotCount: boolean;
  /** Top-level keys a `select` (plus filters/order_by) will read; null = all. Others may be skipped. */
  onlyKeys: ReadonlySet<string> | null;
}

type Source = "NONE" | "DEFAULT" | "LOCAL" | "INHERITED";

/** Raw value and source of one property on one dataset. */
function resolveRaw(store: DatasetStore, rec: DatasetRecord, def: PropDef): [string, Source, string | null] {
  const own = rec.local[def.name];
  if (own !== undefined) return [own, "LOCAL", null];
  if (def.inherit) {
    for (let n = parentName(rec.name); n !== null; n = parentName(n)) {
      const v = store.get(n)?.local[def.name];
      if (v !== undefined) return [v, "INHERITED", n];
    }
  }
  return [def.def ?? "", STAT_PROPS.has(def.name) ? "NONE" : "DEFAULT", null];
}

function statRaw(rec: DatasetRecord, def: PropDef): string | undefined {
  switch (def.name) {
    case "compressratio":
      return rec.compressratio;
    case "creation":
      return String(rec.creation);
    case "encryption_algorithm":
      return rec.crypto?.algorithm;
    case "key_format":
      return rec.crypto?.keyFormat;
    default:
      return def.name in rec.space ? String(rec.space[def.name as keyof DatasetRecord["space"]]) : undefined;
  }
}

function sizeText(n: number, version: SimVersion): string {
  return version === "25.10" ? formatSize(n) : zfsNicenum(n);
}

/** `{parsed, value}` for a raw value of a given kind. */
function parse(def: PropDef, raw: string, opts: RenderOptions): [WireValue, string | null] {
  const upper = raw.toUpperCase();
  switch (def.kind) {
    case "size":
      return [Number(raw), sizeText(Number(raw), opts.version)];
    case "quota":
      return raw === "0" || raw === "none"
        ? [null, null]
        : [Number(raw), sizeText(Number(raw), opts.version)];
    case "blocksize":
      return [Number(raw), zfsNicenum(Number(raw)).replace(/B$/, "")];
    case "onoff":
      return [raw === "on", upper];
    case "xattr":
      return [raw === "on" ? true : raw === "off" ? false : null, upper];
    case "ratio":
      return [raw, `${raw}x`];
    case "date":
      return [new Date(Number(raw) * 1000), zfsCreationText(Number(raw), opts.timeZone)];
    case "int":
      return [Number(raw), raw];
    case "crypto":
      return [raw, raw === "off" || raw === "none" ? null : upper];
    case "string":
      return [raw, raw];
    default:
      return [raw, upper];
  }
}

export function propertyObject(
  store: DatasetStore,
  rec: DatasetRecord,
  def: PropDef,
  opts: RenderOptions,
): WireObject {
  let [raw, source, sourceInfo] = resolveRaw(store, rec, def);
  const stat = statRaw(rec, def);
  if (stat !== undefined) [raw, source, sourceInfo] = [stat, "NONE", null];
  const [parsed, value] = parse(def, raw, opts);
  return { parsed, rawvalue: raw, value, source, source_info: sourceInfo };
}

function userPropObject(raw: string): WireObject {
  return { parsed: raw, rawvalue: raw, value: raw, source: "LOCAL", source_info: null };
}

function wants(opts: RenderOptions, key: string): boolean {
  return opts.onlyKeys === null || opts.onlyKeys.has(key);
}

function addCrypto(out: WireObject, rec: DatasetRecord): void {
  out.encrypted = rec.crypto !== null;
  out.encryption_root = rec.crypto?.root ?? null;
  out.key_loaded = rec.crypto?.keyLoaded ?? false;
  out.locked = rec.crypto !== null && !rec.crypto.keyLoaded;
}

function addUserProps(out: WireObject, rec: DatasetRecord, opts: RenderOptions): void {
  const props: WireObject = {};
  for (const [zfsName, raw] of Object.entries(rec.userProps)) {
    const apiName = TRUENAS_USER_PROPS.get(zfsName);
    // 25.04 lifts TrueNAS's own user properties to top-level property objects; 25.10 renames them inside
    // user_properties (truenas-api.md §3.6).
    if (apiName && opts.version !== "25.10") {
      if (wants(opts, apiName)) out[apiName] = userPropObject(raw);
      props[zfsName] = userPropObject(raw);
    } else {
      props[apiName ?? zfsName] = userPropObject(raw);
    }
  }
  if (opts.userProps && wants(opts, "user_properties")) out.user_properties = props;
}

/**
 * Render one dataset. `children` is the already-rendered subtree (omitted from the output when undefined,
 * which callers only do when the `select` does not read it).
 */
export function renderDataset(
  store: DatasetStore,
  rec: DatasetRecord,
  opts: RenderOptions,
  children: WireObject[] | undefined,
): WireObject {
  const out: WireObject = { id: rec.name, type: rec.type, name: rec.name, pool: rec.pool };
  if (opts.crypto) addCrypto(out, rec);
  const onType = rec.type === "FILESYSTEM" ? "fs" : "vol";
  for (const def of PROPS) {
    if (def.on !== "all" && def.on !== onType) continue;
    if (opts.properties !== null && !opts.properties.has(def.name)) continue;
    if (!wants(opts, def.name)) continue;
    out[def.name] = propertyObject(store, rec, def, opts);
  }
  out.mountpoint = rec.type === "FILESYSTEM" ? `/mnt/${rec.name}` : null;
  addUserProps(out, rec, opts);
  if (opts.snapshotCount) out.snapshot_count = rec.snapshotCount;
  if (children !== undefined) out.children = children;
  return out;
}
