/**
 * Datasets as the simulator stores them: raw ZFS values per dataset, with inheritance resolved when rendered
 * (`plugins/pool_/dataset_query_utils.py` in 25.10, py-libzfs `datasets_serialized` in 25.04). Keeping raw values
 * makes a 5,000-dataset world cheap to build and lets each release format `value` its own way.
 */

export type DatasetType = "FILESYSTEM" | "VOLUME";

/** How a property is parsed and displayed (truenas-api.md §3.6 "Property object"). */
export type PropKind =
  | "size"
  | "quota"
  | "blocksize"
  | "onoff"
  | "xattr"
  | "ratio"
  | "date"
  | "int"
  | "string"
  | "enum"
  | "crypto";

export interface PropDef {
  /** TrueNAS output name. */
  name: string;
  /** ZFS property name (what `extra.properties` lists). */
  zfs: string;
  kind: PropKind;
  /** Which dataset types carry it. */
  on: "all" | "fs" | "vol";
  /** Inherited from the nearest ancestor that sets it locally (ZFS inheritable property). */
  inherit: boolean;
  /** ZFS default raw value (source DEFAULT). */
  def?: string;
}

function p(
  name: string,
  kind: PropKind,
  on: PropDef["on"],
  inherit: boolean,
  def?: string,
  zfs?: string,
): PropDef {
  return { name, zfs: zfs ?? name, kind, on, inherit, ...(def === undefined ? {} : { def }) };
}

/** The default property set in output order (matches the sample entry: common, then filesystem/volume-only). */
export const PROPS: readonly PropDef[] = [
  p("available", "size", "all", false),
  p("checksum", "onoff", "all", true, "on"),
  p("compression", "enum", "all", true, "on"),
  p("compressratio", "ratio", "all", false),
  p("copies", "int", "all", true, "1"),
  p("creation", "date", "all", false),
  p("deduplication", "enum", "all", true, "off", "dedup"),
  p("encryption_algorithm", "crypto", "all", false, "off", "encryption"),
  p("key_format", "crypto", "all", false, "none", "keyformat"),
  p("origin", "string", "all", false, ""),
  p("pbkdf2iters", "string", "all", false, "0"),
  p("readonly", "onoff", "all", true, "off"),
  p("refreservation", "quota", "all", false, "0"),
  p("reservation", "quota", "all", false, "0"),
  p("snapdev", "enum", "all", true, "hidden"),
  p("sync", "enum", "all", true, "standard"),
  p("used", "size", "all", false),
  p("usedbychildren", "size", "all", false),
  p("usedbydataset", "size", "all", false),
  p("usedbyrefreservation", "size", "all", false),
  p("usedbysnapshots", "size", "all", false),
  p("aclmode", "enum", "fs", true, "discard"),
  p("acltype", "enum", "fs", true, "off"),
  p("atime", "onoff", "fs", true, "on"),
  p("casesensitivity", "enum", "fs", false, "sensitive"),
  p("exec", "onoff", "fs", true, "on"),
  p("quota", "quota", "fs", false, "0"),
  p("recordsize", "blocksize", "fs", true, "131072"),
  p("refquota", "quota", "fs", false, "0"),
  p("snapdir", "enum", "fs", true, "hidden"),
  p("special_small_block_size", "string", "fs", true, "0", "special_small_blocks"),
  p("xattr", "xattr", "fs", true, "sa"),
  p("volblocksize", "blocksize", "vol", false, "16384"),
  p("volsize", "size", "vol", false),
];

export const PROPS_BY_ZFS: ReadonlyMap<string, PropDef> = new Map(PROPS.map((d) => [d.zfs, d]));

/** Properties reported with source NONE when not set locally (statistics and create-time-only values). */
export const STAT_PROPS: ReadonlySet<string> = new Set([
  "casesensitivity",
  "available",
  "compressratio",
  "creation",
  "used",
  "usedbychildren",
  "usedbydataset",
  "usedbyrefreservation",
  "usedbysnapshots",
  "origin",
]);

/** The TrueNAS-owned user properties and the names the API gives them (truenas-api.md §3.6). */
export const TRUENAS_USER_PROPS: ReadonlyMap<string, string> = new Map([
  ["org.freenas:description", "comments"],
  ["org.freenas:quota_warning", "quota_warning"],
  ["org.freenas:quota_critical", "quota_critical"],
  ["org.freenas:refquota_warning", "refquota_warning"],
  ["org.freenas:refquota_critical", "refquota_critical"],
  ["org.truenas:managedby", "managedby"],
]);

/** Raw values TrueNAS sets locally on every dataset it creates through the UI/API (`pool.dataset.create`). */
export const TRUENAS_CREATE_LOCALS: Readonly<Record<string, string>> = {
  checksum: "on",
  compression: "lz4",
  copies: "1",
  deduplication: "off",
  readonly: "off",
  snapdev: "hidden",
  sync: "standard",
  aclmode: "discard",
  acltype: "posix",
  atime: "off",
  exec: "on",
  recordsize: "131072",
  snapdir: "hidden",
  special_small_block_size: "0",
  xattr: "sa",
};

export interface DatasetSpace {
  used: number;
  available: number;
  usedbychildren: number;
  usedbydataset: number;
  usedbyrefreservation: number;
  usedbysnapshots: number;
}

/** One dataset's raw state. Property values are ZFS raw strings keyed by TrueNAS output name. */
export interface DatasetRecord {
  name: string;
  type: DatasetType;
  pool: string;
  space: DatasetSpace;
  /** `compressratio` raw, e.g. "1.41". */
  compressratio: string;
  /** Creation time, epoch seconds. */
  creation: number;
  /** Locally set raw values (source LOCAL): inheritable props, quotas, reservations, volsize, recordsize... */
  local: Record<string, string>;
  /** null = not encrypted; otherwise the encryption root and key state. */
  crypto: { algorithm: string; keyFormat: string; root: string; keyLoaded: boolean } | null;
  /** ZFS user properties (`org.freenas:description` ...), raw values. */
  userProps: Record<string, string>;
  snapshotCount: number;
}

/** Internal datasets the middleware always hides (boot pool, `.system`, `ix-applications`, `ix-apps`, `.ix-virt`). */
export function isInternalDataset(name: string, bootPool: string): boolean {
  const parts = name.split("/");
  if (parts[0] === bootPool) return true;
  return parts
    .slice(1)
    .some((c) => c.startsWith(".system") || c === "ix-applications" || c === "ix-apps" || c === ".ix-virt");
}

export function parentName(name: string): string | null {
  const i = name.lastIndexOf("/");
  return i === -1 ? null : name.slice(0, i);
}
