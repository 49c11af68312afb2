/**
 * The simulated NAS's state and the context its methods, controls and drift share. Entries are kept in their
 * wire shape (model.ts) wherever TrueNAS returns them as stored; datasets are kept raw (datasets/records.ts).
 */
import type { CollectionEvent, SimVersion } from "../types.js";
import type { AlertBook } from "./alerts.js";
import type { DatasetRecord } from "./datasets/records.js";
import type { DatasetStore } from "./datasets/store.js";
import type { JobBook } from "./jobs.js";
import type { Metrics, MetricsInit } from "./metrics.js";
import type {
  AlertEntry,
  AppEntry,
  AppWorkloads,
  CloudSyncEntry,
  DiskEntry,
  InstanceEntry,
  InterfaceEntry,
  JobEntry,
  PoolEntry,
  ReplicationEntry,
  ServiceEntry,
  SnapshotTaskEntry,
  VmEntry,
  WireObject,
} from "./model.js";
import type { Rng } from "./random.js";

/** The static part of `system.info` (the rest is computed from the clock and the metrics). */
export interface SystemInfoStatic {
  buildtime: Date;
  hostname: string;
  physmem: number;
  model: string;
  cores: number;
  physical_cores: number;
  system_serial: string | null;
  system_product: string | null;
  system_product_version: string | null;
  license: WireObject | null;
  timezone: string;
  system_manufacturer: string | null;
  ecc_memory: boolean;
}

export interface SystemRecord {
  info: SystemInfoStatic;
  /** Boot time, ms since epoch (whole seconds, as psutil reports it). */
  bootMs: number;
  /**
   * Milliseconds the monotonic uptime runs ahead of `now - boottime`: `uptime_seconds` and `boottime` come from
   * different clocks in `system.info`, so they never agree exactly (the sample: .532118 s).
   */
  uptimeSkewMs: number;
  bootId: string;
  hostId: string;
  state: "BOOTING" | "READY" | "SHUTTING_DOWN";
}

export interface UpdateRecord {
  /** The version an update would bring, or null when up to date. */
  available: string | null;
  /** A failed update check (25.10 reports it inside `update.status`; 25.04 raises a CallError). */
  error: { errname: string; reason: string } | null;
  /** 25.10 `update_download_progress`. */
  download: { percent: number; description: string } | null;
  train: string;
  profile: string;
}

export interface PoolRecord {
  entry: PoolEntry;
  /** Scrub speed in bytes/s examined (drives `scan` progress). */
  scanRate: number;
  /** `extra.is_upgraded` answer. */
  isUpgraded: boolean;
}

/** 25.04's S.M.A.R.T. columns (dropped in 25.10: alembic 2025-03-20_11-52_drop_smart). */
export interface DiskSmart {
  togglesmart: boolean;
  smartoptions: string;
  critical: number | null;
  difference: number | null;
  informational: number | null;
}

export interface DiskRecord {
  entry: DiskEntry;
  smart: DiskSmart;
  /** Current temperature (°C) and its drift centre and critical threshold. */
  temp: number | null;
  baseTemp: number;
  critTemp: number;
  /** Typical throughput for history graphs, KiB/s. */
  readKiB: number;
  writeKiB: number;
}

export interface AppRecord {
  entry: AppEntry;
  /** The workloads the app has while running (restored on start; emptied on stop). */
  running: AppWorkloads;
  /** Portal URLs with the host part as the app declares it (`0.0.0.0` is replaced per connection). */
  portals: Record<string, string>;
}

/** Everything a profile produces; the world wraps it with its books and stores. */
export interface ProfileData {
  system: SystemRecord;
  update: UpdateRecord;
  /** The address `0.0.0.0` in app portals is replaced with (the connection's local IP on a real NAS). */
  hostIp: string;
  bootPool: string;
  pools: PoolRecord[];
  boot: PoolEntry;
  disks: DiskRecord[];
  datasets: DatasetRecord[];
  interfaces: InterfaceEntry[];
  /** Service rows of both releases (smartd and nvmet); the world keeps the ones of its version. */
  services: ServiceEntry[];
  apps: AppRecord[];
  vms: VmEntry[];
  /** Incus instances (containers and legacy Incus VMs); on 25.04.0 the VMs are added to these. */
  instances: InstanceEntry[];
  cloudsync: CloudSyncEntry[];
  replication: ReplicationEntry[];
  snapshottasks: SnapshotTaskEntry[];
  jobs: JobEntry[];
  alerts: AlertEntry[];
  metrics: MetricsInit;
}

export interface WorldState extends Omit<ProfileData, "datasets" | "jobs" | "alerts" | "metrics"> {
  datasets: DatasetStore;
  netdataDown: boolean;
}

/** What methods, controls and drift share. */
export interface WorldContext {
  readonly version: SimVersion;
  readonly state: WorldState;
  readonly jobs: JobBook;
  readonly alerts: AlertBook;
  readonly metrics: Metrics;
  readonly rng: Rng;
  now(): number;
  emit(event: CollectionEvent): void;
}

/** What a profile builder gets. */
export interface ProfileContext {
  readonly version: SimVersion;
  readonly rng: Rng;
  readonly now: number;
  /** Sample-time (ms) to world time: profiles written against the samples' instant move with the clock. */
  at(sampleMs: number): Date;
  readonly names: "normal" | "hostile";
}

export function is2504(version: SimVersion): boolean {
  return version !== "25.10";
}
