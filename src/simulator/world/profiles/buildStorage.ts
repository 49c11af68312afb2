/**
 * Builders for disks, vdevs and pools in the shapes `disk.query`, `pool.query` and `boot.get_state` return
 * (`plugins/disk.py`, `plugins/pool_/pool.py` `pool_normalize_info`, py-libzfs `ZFSVdev.asdict`).
 */
import type {
  DiskEntry,
  PoolEntry,
  ScanEntry,
  Topology,
  VdevEntry,
  VdevStats,
  VdevStatus,
} from "../model.js";
import type { DiskRecord, PoolRecord } from "../state.js";

export interface DiskSpec {
  name: string;
  serial: string;
  lunid?: string | null;
  size: number;
  model: string;
  type: "HDD" | "SSD";
  rotationrate?: number | null;
  bus: "ATA" | "SCSI" | "NVME" | "USB";
  number: number;
  zfsGuid?: string | null;
  temp: number | null;
  critTemp?: number;
  readKiB?: number;
  writeKiB?: number;
}

export function makeDisk(spec: DiskSpec, pool: string | null): DiskRecord {
  const lunid = spec.lunid ?? null;
  const entry: DiskEntry = {
    identifier: lunid ? `{serial_lunid}${spec.serial}_${lunid}` : `{serial}${spec.serial}`,
    name: spec.name,
    subsystem: spec.bus === "NVME" ? "nvme" : "scsi",
    number: spec.number,
    serial: spec.serial,
    lunid,
    size: spec.size,
    description: "",
    transfermode: "Auto",
    hddstandby: "ALWAYS ON",
    advpowermgmt: "DISABLED",
    expiretime: null,
    model: spec.model,
    rotationrate: spec.rotationrate ?? null,
    type: spec.type,
    zfs_guid: spec.zfsGuid ?? null,
    bus: spec.bus,
    devname: spec.name,
    enclosure: null,
    pool,
  };
  return {
    entry,
    smart: { togglesmart: true, smartoptions: "", critical: null, difference: null, informational: null },
    temp: spec.temp,
    baseTemp: spec.temp ?? 35,
    critTemp: spec.critTemp ?? (spec.bus === "NVME" ? 84 : 60),
    readKiB: spec.readKiB ?? (spec.type === "HDD" ? 1300 : 2600),
    writeKiB: spec.writeKiB ?? (spec.type === "HDD" ? 1700 : 3400),
  };
}

/** The display name netdata graphs use for a disk (`reporting/netdata/utils.py`; truenas-api.md §3.15). */
export function diskGraphIdentifier(disk: DiskEntry, version: string): string {
  if (version === "25.10") {
    return `${disk.name} | Type: ${disk.type ?? "UNKNOWN"} | Model: ${disk.model ?? ""} | Serial: ${disk.serial}`;
  }
  const type = disk.bus === "NVME" ? "NVME" : (disk.type ?? "UNKNOWN");
  return `${type} | ${disk.model ?? ""} Model | ${disk.identifier}`;
}

/** I/O counters as a long-running NAS shows them (same for every vdev of the sample). */
export const SAMPLE_VDEV_IO = {
  timestamp: 1048447532118834,
  ops: [0, 1834821, 9281734, 0, 0, 112034, 0],
  bytes: [0, 129384756224, 512938475520, 0, 0, 0, 0],
};

export function vdevStats(
  size: number,
  allocated: number,
  fragmentation: number,
  checksumErrors = 0,
): VdevStats {
  return {
    timestamp: SAMPLE_VDEV_IO.timestamp,
    read_errors: 0,
    write_errors: 0,
    checksum_errors: checksumErrors,
    ops: [...SAMPLE_VDEV_IO.ops],
    bytes: [...SAMPLE_VDEV_IO.bytes],
    size,
    allocated,
    fragmentation,
    self_healed: 0,
    configured_ashift: 12,
    logical_ashift: 12,
    physical_ashift: 12,
  };
}

export interface LeafSpec {
  disk: DiskRecord;
  /** GPT partition uuid of the data partition (the vdev `name`). */
  partuuid: string;
  guid: string;
  checksumErrors?: number;
}

/** A leaf vdev on the disk's data partition (`sdb1`, `nvme0n1p1`). */
export function leafVdev(spec: LeafSpec): VdevEntry {
  const disk = spec.disk.entry.name;
  return {
    name: spec.partuuid,
    type: "DISK",
    path: `/dev/disk/by-partuuid/${spec.partuuid}`,
    guid: spec.guid,
    status: "ONLINE",
    stats: vdevStats(0, 0, 0, spec.checksumErrors ?? 0),
    children: [],
    device: disk.startsWith("nvme") ? `${disk}p1` : `${disk}1`,
    disk,
    unavail_disk: null,
  };
}

/** A boot-pool leaf: TrueNAS installs on partition 3 and ZFS names it by device (`sda3`). */
export function bootLeaf(disk: DiskRecord, guid: string, size: number, allocated: number): VdevEntry {
  const name = disk.entry.name;
  const part = name.startsWith("nvme") ? `${name}p3` : `${name}3`;
  return {
    name: part,
    type: "DISK",
    path: `/dev/${part}`,
    guid,
    status: "ONLINE",
    stats: vdevStats(size, allocated, 1),
    children: [],
    device: part,
    disk: name,
    unavail_disk: null,
  };
}

export type VdevKind = "RAIDZ1" | "RAIDZ2" | "RAIDZ3" | "MIRROR";

export function groupVdev(
  kind: VdevKind,
  index: number,
  guid: string,
  members: VdevEntry[],
  size: number,
  allocated: number,
  fragmentation: number,
): VdevEntry {
  return {
    name: `${kind.toLowerCase()}-${index}`,
    type: kind,
    path: null,
    guid,
    status: "ONLINE",
    stats: vdevStats(size, allocated, fragmentation),
    children: members,
    unavail_disk: null,
  };
}

export function emptyTopology(): Topology {
  return { data: [], log: [], cache: [], spare: [], special: [], dedup: [] };
}

/** A scan dict of a never-scrubbed pool: every member null. */
export function nullScan(): ScanEntry {
  return {
    function: null,
    state: null,
    start_time: null,
    end_time: null,
    percentage: null,
    bytes_to_process: null,
    bytes_processed: null,
    bytes_issued: null,
    pause: null,
    errors: null,
    total_secs_left: null,
  };
}

/** A completed scrub of `allocated` bytes that ran from `start` to `end`. */
export function finishedScan(start: Date, end: Date, allocated: number): ScanEntry {
  return {
    function: "SCRUB",
    state: "FINISHED",
    start_time: start,
    end_time: end,
    percentage: 99.99,
    bytes_to_process: allocated,
    bytes_processed: allocated,
    bytes_issued: allocated,
    pause: null,
    errors: 0,
    total_secs_left: null,
  };
}

/** libzfs status texts (py-libzfs `ZFSPool.status_detail`). */
export const STATUS_DETAIL: Readonly<Record<string, string>> = {
  FEAT_DISABLED:
    "Some supported features are not enabled on the pool. The pool can still be used, but some features are unavailable.",
  CORRUPT_DATA:
    "One or more devices has experienced an error resulting in data corruption. Applications may be affected.",
  FAULTED_DEV_R:
    "One or more devices are faulted in response to persistent errors. Sufficient replicas exist for the pool to continue functioning in a degraded state.",
  REMOVED_DEV:
    "One or more devices has been removed by the administrator. Sufficient replicas exist for the pool to continue functioning in a degraded state.",
  MISSING_DEV_R:
    "One or more devices could not be opened. Sufficient replicas exist for the pool to continue functioning in a degraded state.",
  RESILVERING:
    "One or more devices is currently being resilvered. The pool will continue to function, possibly in a degraded state.",
};

/** `healthy`/`warning` from the status code (py-libzfs: OK plus the warning codes are healthy). */
const WARNING_CODES = new Set(["RESILVERING", "VERSION_OLDER", "FEAT_DISABLED", "NON_NATIVE_ASHIFT"]);

export function applyStatusCode(
  pool: PoolEntry,
  code: string,
  status: VdevStatus | "ONLINE" = "ONLINE",
): void {
  pool.status_code = code;
  pool.status_detail = code === "OK" ? null : (STATUS_DETAIL[code] ?? null);
  pool.healthy = code === "OK" || WARNING_CODES.has(code);
  pool.warning = WARNING_CODES.has(code);
  pool.status = status;
}

export interface PoolSpec {
  id: number;
  name: string;
  guid: string;
  topology: Topology;
  size: number;
  allocated: number;
  fragmentation: number;
  statusCode: string;
  scan: ScanEntry | null;
  scanRate?: number;
  isUpgraded?: boolean;
}

export function makePool(spec: PoolSpec): PoolRecord {
  const free = spec.size - spec.allocated;
  const entry: PoolEntry = {
    id: spec.id,
    name: spec.name,
    guid: spec.guid,
    status: "ONLINE",
    path: `/mnt/${spec.name}`,
    scan: spec.scan,
    expand: null,
    healthy: true,
    warning: false,
    status_code: "OK",
    status_detail: null,
    size: spec.size,
    allocated: spec.allocated,
    free,
    freeing: 0,
    dedup_table_size: 0,
    dedup_table_quota: "auto",
    fragmentation: String(spec.fragmentation),
    size_str: String(spec.size),
    allocated_str: String(spec.allocated),
    free_str: String(free),
    freeing_str: "0",
    autotrim: { parsed: "off", rawvalue: "off", source: "DEFAULT", value: "off" },
    topology: spec.topology,
  };
  applyStatusCode(entry, spec.statusCode);
  return {
    entry,
    scanRate: spec.scanRate ?? 500 * 2 ** 20,
    isUpgraded: spec.isUpgraded ?? spec.statusCode !== "FEAT_DISABLED",
  };
}

/** Every vdev of a topology, depth-first (`pool.flatten_topology`). */
export function flattenTopology(topology: Topology | null): VdevEntry[] {
  if (!topology) return [];
  const out: VdevEntry[] = [];
  const walk = (v: VdevEntry): void => {
    out.push(v);
    v.children.forEach(walk);
  };
  for (const group of Object.values(topology)) group.forEach(walk);
  return out;
}
