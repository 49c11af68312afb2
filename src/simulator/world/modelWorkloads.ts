/**
 * Wire shapes of apps, VMs, Incus instances and data-protection tasks (truenas-api.md §3.12-3.14), split from
 * model.ts (which re-exports them).
 */
import type { JobEntry, WireObject } from "./model.js";

export type AppState = "CRASHED" | "DEPLOYING" | "RUNNING" | "STOPPED" | "STOPPING";

export type AppWorkloads = {
  containers: number;
  used_ports: WireObject[];
  used_host_ips: string[];
  container_details: Array<WireObject & { state: string }>;
  volumes: WireObject[];
  images: string[];
  networks: WireObject[];
};

/** `app.query` entry (`plugins/apps/ix_apps/query.py`). */
export type AppEntry = {
  name: string;
  id: string;
  active_workloads: AppWorkloads;
  state: AppState;
  upgrade_available: boolean;
  latest_version: string | null;
  image_updates_available: boolean;
  custom_app: boolean;
  human_version: string;
  metadata: WireObject;
  migrated: boolean;
  notes: string | null;
  portals: Record<string, string>;
  version: string;
};

export type VmStatus = {
  /** RUNNING | STOPPED | SUSPENDED | ERROR in queries; libvirt names in events. */
  state: string;
  pid: number | null;
  domain_state: string;
};

/** `vm.query` entry (libvirt VMs; 25.04.2+ and 25.10). Memory in MiB. */
export type VmEntry = WireObject & {
  name: string;
  description: string;
  vcpus: number;
  cores: number;
  threads: number;
  memory: number;
  autostart: boolean;
  uuid: string;
  devices: WireObject[];
  id: number;
  status: VmStatus;
};

export type InstanceStatus =
  | "RUNNING"
  | "STOPPED"
  | "UNKNOWN"
  | "ERROR"
  | "FROZEN"
  | "STARTING"
  | "STOPPING"
  | "FREEZING"
  | "THAWED"
  | "ABORTING";

/** `virt.instance.query` entry (Incus). Memory in bytes. */
export type InstanceEntry = {
  id: string;
  name: string;
  type: "CONTAINER" | "VM";
  status: InstanceStatus;
  cpu: string | null;
  memory: number | null;
  autostart: boolean;
  environment: Record<string, string>;
  aliases: WireObject[];
  image: WireObject;
  userns_idmap: WireObject | null;
  raw: WireObject | null;
  vnc_enabled: boolean;
  vnc_port: number | null;
  vnc_password: string | null;
  secure_boot: boolean | null;
  privileged_mode?: boolean | null;
  root_disk_size: number | null;
  root_disk_io_bus: string | null;
  storage_pool: string;
};

export type CronSchedule = {
  minute: string;
  hour: string;
  dom: string;
  month: string;
  dow: string;
  begin?: string;
  end?: string;
};

/** `cloudsync.query` entry; `job` is the latest sync job (live, or a persisted copy with `id: null`). */
export type CloudSyncEntry = WireObject & {
  id: number;
  description: string;
  path: string;
  enabled: boolean;
  job: JobEntry | null;
};

export type TaskState = {
  state: string;
  datetime?: Date;
  error?: string;
  warnings?: string[];
  reason?: string;
  progress?: WireObject;
  last_snapshot?: string | null;
};

/** `replication.query` entry (`plugins/replication.py`, `plugins/zettarepl_/state.py`). */
export type ReplicationEntry = WireObject & {
  id: number;
  name: string;
  source_datasets: string[];
  target_dataset: string;
  periodic_snapshot_tasks: WireObject[];
  enabled: boolean;
  state: TaskState;
  job: JobEntry | null;
  has_encrypted_dataset_keys?: boolean;
};

/** `pool.snapshottask.query` entry (`plugins/snapshot.py`). */
export type SnapshotTaskEntry = {
  id: number;
  dataset: string;
  recursive: boolean;
  lifetime_value: number;
  lifetime_unit: string;
  enabled: boolean;
  exclude: string[];
  naming_schema: string;
  allow_empty: boolean;
  schedule: CronSchedule;
  vmware_sync: boolean;
  state: TaskState;
};
