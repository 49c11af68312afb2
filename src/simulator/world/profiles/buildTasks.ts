/**
 * Builders for data-protection tasks (`plugins/cloud_sync.py`, `plugins/replication.py`, `plugins/snapshot.py`)
 * and for jobs as a profile's history shows them (`job.py` `__encode__`).
 */
import { pyJsonDumps } from "../format.js";
import type {
  CloudSyncEntry,
  CronSchedule,
  JobEntry,
  JobProgress,
  JobState,
  ReplicationEntry,
  SnapshotTaskEntry,
  TaskState,
  WireObject,
  WireValue,
} from "../model.js";

export interface JobHistorySpec {
  id: number;
  method: string;
  arguments: WireValue[];
  description?: string | null;
  abortable?: boolean;
  logs?: boolean;
  logsExcerpt?: string | null;
  progress: JobProgress;
  state: JobState;
  started: Date;
  finished: Date | null;
  error?: { message: string; errno: number; errname: string };
  credentials?: WireObject | null;
  messageIds?: WireValue[];
}

export function makeJob(spec: JobHistorySpec): JobEntry {
  const err = spec.error;
  return {
    id: spec.id,
    message_ids: spec.messageIds ?? [],
    method: spec.method,
    arguments: spec.arguments,
    transient: false,
    description: spec.description ?? null,
    abortable: spec.abortable ?? true,
    logs_path: spec.logs ? `/var/log/jobs/${spec.id}.log` : null,
    logs_excerpt: spec.logsExcerpt ?? null,
    progress: spec.progress,
    result: null,
    result_encoding_error: null,
    error: err ? `[${err.errname}] ${err.message}` : null,
    exception: err
      ? 'Traceback (most recent call last):\n  File "/usr/lib/python3/dist-packages/middlewared/job.py", line 515, ' +
        `in run\n    await self.future\n  ...\nmiddlewared.service_exception.CallError: [${err.errname}] ${err.message}\n`
      : null,
    exc_info: err
      ? { repr: `CallError('${err.message}')`, type: "CallError", errno: err.errno, extra: null }
      : null,
    state: spec.state,
    time_started: spec.started,
    time_finished: spec.finished,
    credentials: spec.credentials ?? null,
  };
}

export function cron(minute: string, hour: string, withWindow = false): CronSchedule {
  const base = { minute, hour, dom: "*", month: "*", dow: "*" };
  return withWindow ? { ...base, begin: "00:00", end: "23:59" } : base;
}

export interface CloudSyncSpec {
  id: number;
  description: string;
  path: string;
  credentials: { id: number; name: string; type: string };
  bucket: string;
  folder: string;
  schedule: CronSchedule;
  enabled?: boolean;
  job: JobEntry | null;
  direction?: "PUSH" | "PULL";
  transferMode?: "SYNC" | "COPY" | "MOVE";
}

export function makeCloudSync(spec: CloudSyncSpec): CloudSyncEntry {
  return {
    id: spec.id,
    description: spec.description,
    path: spec.path,
    // Provider secrets are redacted for a read-only key.
    credentials: {
      id: spec.credentials.id,
      name: spec.credentials.name,
      provider: { type: spec.credentials.type, account: "********", key: "********" },
    },
    attributes: { bucket: spec.bucket, folder: spec.folder, fast_list: false, chunk_size: 96 },
    schedule: spec.schedule,
    pre_script: "",
    post_script: "",
    snapshot: false,
    include: [],
    exclude: [],
    args: "",
    enabled: spec.enabled ?? true,
    job: spec.job,
    locked: false,
    bwlimit: [],
    transfers: 4,
    direction: spec.direction ?? "PUSH",
    transfer_mode: spec.transferMode ?? "SYNC",
    encryption: false,
    filename_encryption: false,
    encryption_password: "",
    encryption_salt: "",
    create_empty_src_dirs: false,
    follow_symlinks: false,
  };
}

export interface SnapshotTaskSpec {
  id: number;
  dataset: string;
  lifetimeValue: number;
  lifetimeUnit: "HOUR" | "DAY" | "WEEK" | "MONTH" | "YEAR";
  exclude?: string[];
  namingSchema: string;
  allowEmpty: boolean;
  schedule: CronSchedule;
  state: TaskState;
  enabled?: boolean;
}

export function makeSnapshotTask(spec: SnapshotTaskSpec): SnapshotTaskEntry {
  return {
    id: spec.id,
    dataset: spec.dataset,
    recursive: true,
    lifetime_value: spec.lifetimeValue,
    lifetime_unit: spec.lifetimeUnit,
    enabled: spec.enabled ?? true,
    exclude: spec.exclude ?? [],
    naming_schema: spec.namingSchema,
    allow_empty: spec.allowEmpty,
    schedule: spec.schedule,
    vmware_sync: false,
    state: spec.state,
  };
}

/**
 * A snapshot task as `replication.query` embeds it: the raw DB row, whose `state` column is a JSON *string*
 * of `{"state": {...}, "last_snapshot": ...}` (truenas-api.md §3.14).
 */
export function embeddedSnapshotTask(task: SnapshotTaskEntry): WireObject {
  const { last_snapshot: last, ...state } = task.state;
  return {
    id: task.id,
    dataset: task.dataset,
    recursive: task.recursive,
    lifetime_value: task.lifetime_value,
    lifetime_unit: task.lifetime_unit,
    enabled: task.enabled,
    exclude: task.exclude,
    naming_schema: task.naming_schema,
    allow_empty: task.allow_empty,
    schedule: task.schedule,
    state: pyJsonDumps({ state, last_snapshot: last ?? null }),
  };
}

export interface ReplicationSpec {
  id: number;
  name: string;
  sourceDatasets: string[];
  targetDataset: string;
  ssh: { id: number; name: string; host: string; username: string };
  snapshotTasks: SnapshotTaskEntry[];
  state: TaskState;
  job: JobEntry | null;
  enabled?: boolean;
}

export function makeReplication(spec: ReplicationSpec): ReplicationEntry {
  const naming = [...new Set(spec.snapshotTasks.map((t) => t.naming_schema))];
  return {
    id: spec.id,
    name: spec.name,
    direction: "PUSH",
    transport: "SSH",
    ssh_credentials: {
      id: spec.ssh.id,
      name: spec.ssh.name,
      type: "SSH_CREDENTIALS",
      attributes: {
        host: spec.ssh.host,
        port: 22,
        username: spec.ssh.username,
        private_key: 2,
        remote_host_key: "********",
        connect_timeout: 10,
      },
    },
    netcat_active_side: null,
    netcat_active_side_listen_address: null,
    netcat_active_side_port_min: null,
    netcat_active_side_port_max: null,
    netcat_passive_side_connect_address: null,
    sudo: false,
    source_datasets: spec.sourceDatasets,
    target_dataset: spec.targetDataset,
    recursive: true,
    exclude: [],
    properties: true,
    properties_exclude: [],
    properties_override: {},
    replicate: false,
    encryption: false,
    encryption_inherit: null,
    encryption_key: null,
    encryption_key_format: null,
    encryption_key_location: null,
    periodic_snapshot_tasks: spec.snapshotTasks.map(embeddedSnapshotTask),
    naming_schema: [],
    also_include_naming_schema: naming,
    name_regex: null,
    auto: true,
    schedule: null,
    restrict_schedule: null,
    only_matching_schedule: false,
    allow_from_scratch: false,
    readonly: "SET",
    hold_pending_snapshots: false,
    retention_policy: "SOURCE",
    lifetime_value: null,
    lifetime_unit: null,
    lifetimes: [],
    compression: null,
    speed_limit: null,
    large_block: true,
    embed: false,
    compressed: true,
    retries: 5,
    logging_level: null,
    enabled: spec.enabled ?? true,
    state: spec.state,
    job: spec.job,
    has_encrypted_dataset_keys: false,
  };
}
