/**
 * Wire shapes of the objects the simulated NAS returns, field for field as TrueNAS sends them (truenas-api.md §3;
 * ../shared/docs/truenas-samples). Key order in the builders follows the samples, so JSON output reads the same.
 * Datetimes are `Date` (the server encodes `{"$date": ms}`).
 */

/** A nested JSON-ish value the middleware sends (Dates and Sets are encoded by the server). */
export type WireValue =
  null | boolean | number | string | Date | readonly WireValue[] | { readonly [key: string]: WireValue };

export type WireObject = { [key: string]: WireValue };

/** `pool.query` `scan` (py-libzfs `ZPoolScrub.asdict`). */
export type ScanEntry = {
  function: "SCRUB" | "RESILVER" | null;
  state: "SCANNING" | "FINISHED" | "CANCELED" | null;
  start_time: Date | null;
  end_time: Date | null;
  percentage: number | null;
  /** libzfs naming: *examined* bytes. */
  bytes_to_process: number | null;
  /** libzfs naming: bytes *to examine*. */
  bytes_processed: number | null;
  bytes_issued: number | null;
  pause: Date | null;
  errors: number | null;
  total_secs_left: number | null;
};

export type VdevStats = {
  timestamp: number;
  read_errors: number;
  write_errors: number;
  checksum_errors: number;
  ops: number[];
  bytes: number[];
  size: number;
  allocated: number;
  fragmentation: number;
  self_healed: number;
  configured_ashift: number;
  logical_ashift: number;
  physical_ashift: number;
};

export type VdevStatus = "ONLINE" | "DEGRADED" | "FAULTED" | "OFFLINE" | "UNAVAIL" | "REMOVED";

export type VdevEntry = {
  name: string;
  type: string;
  path: string | null;
  guid: string;
  status: VdevStatus;
  stats: VdevStats;
  children: VdevEntry[];
  device?: string;
  disk?: string;
  unavail_disk: DiskEntry | null;
};

export type Topology = {
  data: VdevEntry[];
  log: VdevEntry[];
  cache: VdevEntry[];
  spare: VdevEntry[];
  special: VdevEntry[];
  dedup: VdevEntry[];
};

export type PropertySummary = {
  parsed: string;
  rawvalue: string;
  source: string;
  value: string;
};

/** `pool.query` entry (`plugins/pool_/pool.py` `pool_normalize_info`). */
export type PoolEntry = {
  id: number;
  name: string;
  guid: string;
  status: string;
  path: string;
  scan: ScanEntry | null;
  expand: WireObject | null;
  healthy: boolean;
  warning: boolean;
  status_code: string | null;
  status_detail: string | null;
  size: number | null;
  allocated: number | null;
  free: number | null;
  freeing: number | null;
  dedup_table_size: number;
  dedup_table_quota: string;
  fragmentation: string;
  size_str: string | null;
  allocated_str: string | null;
  free_str: string | null;
  freeing_str: string | null;
  autotrim: PropertySummary;
  topology: Topology | null;
  is_upgraded?: boolean;
};

/** `disk.query` entry in its 25.10 shape; 25.04's S.M.A.R.T. columns are added when rendered. */
export type DiskEntry = {
  identifier: string;
  name: string;
  subsystem: string;
  number: number;
  serial: string;
  lunid: string | null;
  size: number | null;
  description: string;
  transfermode: string;
  hddstandby: string;
  advpowermgmt: string;
  expiretime: Date | null;
  model: string | null;
  rotationrate: number | null;
  type: string | null;
  zfs_guid: string | null;
  bus: string;
  devname: string;
  enclosure: WireObject | null;
  pool: string | null;
};

export type JobProgress = {
  percent: number;
  description: string;
  extra: WireValue;
};

export type JobExcInfo = {
  repr: string;
  type: string;
  errno: number | null;
  extra: WireValue;
};

export type JobState = "WAITING" | "RUNNING" | "SUCCESS" | "FAILED" | "ABORTED";

/** `core.get_jobs` item (`job.py` `__encode__`); `message_ids` exists on 25.10 only. */
export type JobEntry = {
  id: number | null;
  message_ids?: WireValue[];
  method: string;
  arguments: WireValue[];
  transient: boolean;
  description: string | null;
  abortable: boolean;
  logs_path: string | null;
  logs_excerpt: string | null;
  progress: JobProgress;
  result: WireValue;
  result_encoding_error: WireValue;
  error: string | null;
  exception: string | null;
  exc_info: JobExcInfo | null;
  state: JobState;
  time_started: Date;
  time_finished: Date | null;
  credentials: WireObject | null;
};

export type AlertLevel = "INFO" | "NOTICE" | "WARNING" | "ERROR" | "CRITICAL" | "ALERT" | "EMERGENCY";

/** `alert.list` entry (`plugins/alert.py`); `id` repeats `uuid` (a string, whatever the model says). */
export type AlertEntry = {
  uuid: string;
  source: string;
  klass: string;
  args: WireValue;
  node: string;
  key: string;
  datetime: Date;
  last_occurrence: Date;
  dismissed: boolean;
  mail: WireObject | null;
  text: string;
  id: string;
  level: AlertLevel;
  formatted: string | null;
  one_shot: boolean;
};

export type ServiceEntry = {
  id: number;
  service: string;
  enable: boolean;
  state: "RUNNING" | "STOPPED" | "UNKNOWN";
  pids: number[];
};

/** `interface.query` entry; `state` is the runtime view (`plugins/interface/netif_linux/interface.py`). */
export type InterfaceEntry = {
  id: string;
  name: string;
  fake: boolean;
  type: string;
  state: WireObject & { link_state: string; active_media_subtype: string; aliases: WireObject[] };
  aliases: WireObject[];
  ipv4_dhcp: boolean;
  ipv6_auto: boolean;
  description: string;
  mtu: number | null;
  lag_ports: string[];
  bridge_members: string[];
};

export * from "./modelWorkloads.js";

/** A wire scalar as text (objects and null give ""). */
export function wireText(v: WireValue | undefined): string {
  return typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : "";
}
