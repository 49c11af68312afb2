/**
 * `world.control`: the typed mutation API tests and the demo drive the simulated NAS with. Each call changes the
 * state and emits exactly the events a real TrueNAS sends for that change (see each module for sources).
 */
import { ERRNO, type ErrName } from "../../rpcErrors.js";
import type { AlertSpec } from "../alerts.js";
import type { JobFailure } from "../jobs.js";
import type { DatasetSpace } from "../datasets/records.js";
import type { DiskEntry, InstanceStatus, PoolEntry, VdevStatus, WireValue } from "../model.js";
import type { DiskSpec } from "../profiles/buildStorage.js";
import type { WorldContext } from "../state.js";
import * as pools from "./pools.js";
import * as storage from "./storage.js";
import * as sys from "./system.js";
import type { TaskRunner } from "./tasks.js";
import { setSnapshotTaskState } from "./tasks.js";
import * as workloads from "./workloads.js";

export type JobOutcome = "SUCCESS" | "FAILED" | "ABORTED";

/** "[EBUSY] text" -> CallError EBUSY "text"; anything else is an EFAULT with the whole text. */
function parseError(error: string): JobFailure {
  const m = /^\[(\w+)\] (.*)$/s.exec(error);
  if (m && (m[1] as string) in ERRNO) return { errname: m[1] as ErrName, message: m[2] as string };
  return { message: error };
}

export class WorldControl {
  readonly #ctx: WorldContext;
  readonly #tasks: TaskRunner;

  constructor(ctx: WorldContext, tasks: TaskRunner) {
    this.#ctx = ctx;
    this.#tasks = tasks;
  }

  // Pools and scrubs

  /** A member (default: the first disk) FAULTED with errors, pool DEGRADED, `pool.query` changed, VolumeStatus alert. */
  degradePool(name: string, opts?: { disk?: string; status?: VdevStatus }): PoolEntry {
    return structuredClone(pools.degradePool(this.#ctx, name, opts));
  }
  /** Every vdev ONLINE without errors, status OK, `pool.query` changed, VolumeStatus alert removed. */
  restorePool(name: string): PoolEntry {
    return structuredClone(pools.restorePool(this.#ctx, name));
  }
  /** Start (or resume) a scrub with its `pool.scrub.scrub` job; `zfs.pool.scan` changed. Returns the job id. */
  startScrub(pool: string): number {
    return pools.startScrub(this.#ctx, pool);
  }
  /** Complete a running scrub now (final `zfs.pool.scan`, job SUCCESS). */
  finishScrub(pool: string, errors = 0): void {
    pools.finishScrub(this.#ctx, pool, errors);
  }
  stopScrub(pool: string): void {
    pools.stopScrub(this.#ctx, pool, "STOP");
  }
  pauseScrub(pool: string): void {
    pools.stopScrub(this.#ctx, pool, "PAUSE");
  }

  // Disks and datasets

  /** Unplug: `disk.query` removed (id = identifier); a pool member goes REMOVED and the pool DEGRADED. */
  removeDisk(name: string): void {
    storage.removeDisk(this.#ctx, name);
  }
  /** Hot-plug an unused disk: `disk.query` added with the full entry. */
  addDisk(partial?: Partial<DiskSpec>): DiskEntry {
    return storage.addDisk(this.#ctx, partial);
  }
  setDiskTemperature(name: string, celsius: number | null): void {
    storage.setDiskTemperature(this.#ctx, name, celsius);
  }
  /** Same as `setDiskTemperature`. */
  setTemperature(name: string, celsius: number | null): void {
    storage.setDiskTemperature(this.#ctx, name, celsius);
  }
  /** Past the critical threshold, with the release's temperature alert. Returns the alert uuid. */
  overheatDisk(name: string, celsius?: number): string {
    return sys.overheatDisk(this.#ctx, name, celsius);
  }
  /** `pool.dataset.query` added (id = name, full entry). */
  createDataset(name: string, opts?: storage.CreateDatasetOptions): void {
    storage.createDataset(this.#ctx, name, opts);
  }
  /** Recursive destroy: one `pool.dataset.query` removed per dataset. Returns the removed names. */
  destroyDataset(name: string): string[] {
    return storage.destroyDataset(this.#ctx, name);
  }
  setDatasetSpace(name: string, space: Partial<DatasetSpace>): void {
    storage.setDatasetSpace(this.#ctx, name, space);
  }

  // Apps, VMs, instances, services, NICs

  /** `app.query` changed STOPPING, then STOPPED. */
  stopApp(name: string): void {
    workloads.stopApp(this.#ctx, name);
  }
  /** `app.query` changed DEPLOYING, then RUNNING. */
  startApp(name: string): void {
    workloads.startApp(this.#ctx, name);
  }
  /** `app.query` removed (id = name). */
  deleteApp(name: string): void {
    workloads.deleteApp(this.#ctx, name);
  }
  crashApp(name: string): void {
    workloads.crashApp(this.#ctx, name);
  }
  setAppUpgradeAvailable(name: string, available: boolean, latestVersion?: string): void {
    workloads.setAppUpgradeAvailable(this.#ctx, name, available, latestVersion);
  }
  /** `vm.query` changed (libvirt names, no devices); on 25.04.0 `virt.instance.query` `{status}`. */
  startVm(idOrName: number | string): void {
    workloads.startVm(this.#ctx, idOrName);
  }
  stopVm(idOrName: number | string): void {
    workloads.stopVm(this.#ctx, idOrName);
  }
  setVmRunning(idOrName: number | string, running: boolean): void {
    if (running) this.startVm(idOrName);
    else this.stopVm(idOrName);
  }
  /** An Incus instance: `virt.instance.query` changed `{status}`. */
  setInstanceRunning(name: string, running: boolean): void {
    workloads.setInstanceStatus(this.#ctx, name, running ? "RUNNING" : "STOPPED");
  }
  /** Any Incus status (25.04.2+ also has ERROR, FROZEN, STARTING...): `virt.instance.query` `{status}`. */
  setInstanceStatus(name: string, status: InstanceStatus): void {
    workloads.setInstanceStatus(this.#ctx, name, status);
  }
  /** `service.query` changed, full entry, no id. */
  setServiceRunning(service: string, running: boolean): void {
    workloads.setServiceRunning(this.#ctx, service, running);
  }
  /** Link up/down (runtime state and realtime only; no event). */
  setInterfaceLink(name: string, up: boolean): void {
    workloads.setInterfaceLink(this.#ctx, name, up);
  }

  // Alerts

  /** `alert.list` added (id = uuid string). Returns the uuid. */
  raiseAlert(spec: AlertSpec): string {
    return this.#ctx.alerts.raise(spec);
  }
  /** `alert.list` removed. False if no such alert. */
  clearAlert(uuid: string): boolean {
    return this.#ctx.alerts.clear(uuid);
  }
  /** `alert.dismiss`/`alert.restore`: changed (a dismissed one-shot alert is removed). */
  dismissAlert(uuid: string, dismissed = true): boolean {
    return this.#ctx.alerts.setDismissed(uuid, dismissed);
  }

  // Jobs and tasks

  /** Queue and start a job: `core.get_jobs` added (WAITING) then changed (RUNNING). Returns its id. */
  startJob(method: string, args: WireValue[] = [], description: string | null = null): number {
    return this.#ctx.jobs.start({ method, arguments: args, description, abortable: true }).id as number;
  }
  /** `core.get_jobs` changed when the integer percent or the description changes. */
  progressJob(id: number, percent: number, description?: string): void {
    this.#ctx.jobs.progress(id, percent, description);
  }
  /** Final `changed` with `time_finished`; FAILED takes the error message (a CallError EFAULT). */
  finishJob(id: number, state: JobOutcome, resultOrError: WireValue = null): void {
    if (state === "SUCCESS") this.#ctx.jobs.succeed(id, resultOrError);
    else if (state === "ABORTED") this.#ctx.jobs.abort(id);
    else
      this.#ctx.jobs.fail(id, { message: typeof resultOrError === "string" ? resultOrError : "Job failed" });
  }
  /** A `cloudsync.sync` run that progresses on `advance`; only `core.get_jobs` events. Returns the job id. */
  runCloudSync(id: number): number {
    return this.#tasks.runCloudSync(id);
  }
  /** A `replication.run` run; `replication.query` changed `{state}` on each step. Returns the job id. */
  runReplication(id: number): number {
    return this.#tasks.runReplication(id);
  }
  /**
   * End a task's running job now: SUCCESS, or FAILED with `error` ("[ERRNAME] text" or plain text). The task
   * mirrors it (a replication also settles FINISHED/ERROR with its `replication.query` event).
   */
  finishTask(
    kind: "cloudsync" | "replication",
    id: number,
    ok: boolean,
    error = "[EFAULT] Transfer failed",
  ): void {
    const tasks = kind === "cloudsync" ? this.#ctx.state.cloudsync : this.#ctx.state.replication;
    const job = tasks.find((t) => t.id === id)?.job;
    if (!job || job.id === null || job.state !== "RUNNING") throw new Error(`no running ${kind} task ${id}`);
    if (ok) this.#ctx.jobs.succeed(job.id);
    else this.#ctx.jobs.fail(job.id, parseError(error));
  }
  /** `pool.snapshottask.query` changed `{state}`. */
  setSnapshotTaskState(
    id: number,
    state: "PENDING" | "RUNNING" | "FINISHED" | "ERROR",
    error?: string,
  ): void {
    setSnapshotTaskState(this.#ctx, id, state, error);
  }

  // System

  /** READY emits `system.ready` added; false puts the system back to BOOTING. */
  setReady(ready: boolean): void {
    sys.setReady(this.#ctx, ready);
  }
  /** `system.reboot` added `{reason}`, new boot id and boottime, empty job queue, then (default) READY. */
  reboot(reason?: string, ready = true): void {
    sys.reboot(this.#ctx, reason, ready);
  }
  /** 25.04 realtime becomes `{failed_to_connect: true}`; 25.10 sends nothing; history graphs come back empty. */
  setNetdataDown(down: boolean): void {
    this.#ctx.state.netdataDown = down;
  }
  setUpdateAvailable(version: string | null): void {
    sys.setUpdateAvailable(this.#ctx, version);
  }
  setUpdateError(error: { errname: string; reason: string } | null): void {
    sys.setUpdateError(this.#ctx, error);
  }
  setUpdateDownload(percent: number | null): void {
    sys.setUpdateDownload(this.#ctx, percent);
  }
}
