/**
 * Cloud sync and replication runs, snapshot task state and free-form jobs. A run is a job that progresses on
 * every tick; its task mirrors the latest job in `job` (`utils/service/task_state.py`). Replication also sends
 * `replication.query` changed with a partial `{state}` (job inside) on every zettarepl state change
 * (`plugins/replication.py`); cloud sync sends nothing beyond `core.get_jobs` (truenas-api.md §2.3).
 */
import { SimCallError, SimInstanceNotFound } from "../../rpcErrors.js";
import { isFinished } from "../jobs.js";
import {
  wireText,
  type CloudSyncEntry,
  type JobEntry,
  type ReplicationEntry,
  type TaskState,
  type WireObject,
} from "../model.js";
import { embeddedSnapshotTask } from "../profiles/buildTasks.js";
import type { WorldContext } from "../state.js";
import { callerCredentials, type Caller } from "./pools.js";

interface Run {
  kind: "cloudsync" | "replication";
  taskId: number;
  jobId: number;
  total: number;
  done: number;
  /** bytes/s */
  rate: number;
}

const GIB = 2 ** 30;
const MIB = 2 ** 20;

export class TaskRunner {
  readonly #ctx: WorldContext;
  readonly #runs = new Map<number, Run>();

  constructor(ctx: WorldContext) {
    this.#ctx = ctx;
    ctx.jobs.onChange((job) => this.#mirror(job));
    this.#adoptRunning();
  }

  /** Replications already RUNNING in the profile keep going from their recorded progress. */
  #adoptRunning(): void {
    for (const task of this.#ctx.state.replication) {
      const job = task.job;
      const progress = task.state.progress;
      if (!job || job.id === null || job.state !== "RUNNING" || !progress) continue;
      this.#runs.set(job.id, {
        kind: "replication",
        taskId: task.id,
        jobId: job.id,
        total: Number(progress.bytes_total),
        done: Number(progress.bytes_sent),
        rate: 25 * MIB,
      });
    }
  }

  runCloudSync(id: number, caller?: Caller, dryRun = false): number {
    const task = this.#ctx.state.cloudsync.find((t) => t.id === id);
    if (!task) throw new SimInstanceNotFound(`Cloud Sync Task ${id} does not exist`);
    this.#ensureIdle("cloudsync", id);
    const job = this.#start("cloudsync.sync", [id, { dry_run: dryRun }], caller);
    const total = Math.round(this.#ctx.rng.range(0.8, 2.5) * GIB);
    this.#runs.set(job, { kind: "cloudsync", taskId: id, jobId: job, total, done: 0, rate: 18.3 * MIB });
    return job;
  }

  runReplication(id: number, caller?: Caller): number {
    const task = this.#ctx.state.replication.find((t) => t.id === id);
    if (!task) throw new SimInstanceNotFound(`Replication Task ${id} does not exist`);
    this.#ensureIdle("replication", id);
    const job = this.#start("replication.run", [id, true], caller);
    const total = Math.round(this.#ctx.rng.range(0.5, 4) * GIB);
    this.#runs.set(job, { kind: "replication", taskId: id, jobId: job, total, done: 0, rate: 25 * MIB });
    const source = task.source_datasets[0] ?? "";
    task.state = {
      state: "RUNNING",
      datetime: new Date(this.#ctx.now()),
      progress: this.#progress(source, snapshotName(this.#ctx.now()), 0, total),
      last_snapshot: task.state.last_snapshot ?? null,
    };
    this.#emitReplication(task);
    return job;
  }

  #ensureIdle(kind: Run["kind"], id: number): void {
    for (const run of this.#runs.values()) {
      if (run.kind === kind && run.taskId === id)
        throw new SimCallError("EBUSY", "This job is already being performed");
    }
  }

  #start(method: string, args: WireObject[keyof WireObject][], caller?: Caller): number {
    const job = this.#ctx.jobs.start({
      method,
      arguments: args,
      abortable: true,
      logs: true,
      credentials: callerCredentials(this.#ctx, caller),
      messageId: caller?.messageId,
    });
    return job.id as number;
  }

  #progress(dataset: string, snapshot: string, sent: number, total: number): WireObject {
    const snapshotsTotal = 3;
    const index = Math.min(
      snapshotsTotal,
      Math.max(1, Math.round((sent / Math.max(1, total)) * snapshotsTotal)),
    );
    return {
      dataset,
      snapshot,
      snapshots_sent: index,
      snapshots_total: snapshotsTotal,
      bytes_sent: sent,
      bytes_total: total,
      current: sent,
      total,
    };
  }

  /** Advance every run by `dt` seconds. */
  tick(dt: number): void {
    for (const run of [...this.#runs.values()]) {
      const job = this.#ctx.jobs.get(run.jobId);
      if (!job || isFinished(job.state)) {
        this.#runs.delete(run.jobId);
        continue;
      }
      run.done = Math.min(run.total, run.done + Math.round(run.rate * dt));
      if (run.kind === "cloudsync") this.#tickCloudSync(run);
      else this.#tickReplication(run);
    }
  }

  #tickCloudSync(run: Run): void {
    const pct = Math.floor((run.done / run.total) * 100);
    const eta = Math.ceil((run.total - run.done) / run.rate);
    const text = `Transferred: ${(run.done / GIB).toFixed(3)} GiB / ${(run.total / GIB).toFixed(3)} GiB, ${pct}%, ${(run.rate / MIB).toFixed(3)} MiB/s, ETA ${eta}s`;
    this.#ctx.jobs.progress(run.jobId, pct, text);
    if (run.done < run.total) return;
    this.#runs.delete(run.jobId);
    const excerpt = `${text}\nTransferred:          ${Math.round(run.total / MIB)} / ${Math.round(run.total / MIB)}, 100%\n`;
    this.#ctx.jobs.succeed(run.jobId, null, excerpt);
  }

  #tickReplication(run: Run): void {
    const task = this.#ctx.state.replication.find((t) => t.id === run.taskId);
    if (!task) return;
    const prev = task.state.progress ?? {};
    const progress = this.#progress(wireText(prev.dataset), wireText(prev.snapshot), run.done, run.total);
    task.state = { ...task.state, datetime: new Date(this.#ctx.now()), progress };
    const text = `Sending ${wireText(progress.dataset)}@${wireText(progress.snapshot)} (${wireText(progress.snapshots_sent)} of ${wireText(progress.snapshots_total)})`;
    this.#ctx.jobs.progress(run.jobId, (run.done / run.total) * 100, text);
    if (run.done < run.total) {
      this.#emitReplication(task);
      return;
    }
    this.#runs.delete(run.jobId);
    this.#ctx.jobs.succeed(run.jobId);
  }

  /** Mirror a job into its task; a finished replication job settles the task's state. */
  #mirror(job: JobEntry): void {
    if (job.id === null) return;
    const taskId = Number(job.arguments[0]);
    if (job.method === "cloudsync.sync") {
      const task: CloudSyncEntry | undefined = this.#ctx.state.cloudsync.find((t) => t.id === taskId);
      if (task) task.job = this.#ctx.jobs.render(job);
    } else if (job.method === "replication.run") {
      const task: ReplicationEntry | undefined = this.#ctx.state.replication.find((t) => t.id === taskId);
      if (!task) return;
      task.job = this.#ctx.jobs.render(job);
      if (isFinished(job.state)) this.#settleReplication(task, job);
    }
  }

  #settleReplication(task: ReplicationEntry, job: JobEntry): void {
    this.#runs.delete(job.id as number);
    const progress = task.state.progress;
    const now = new Date(this.#ctx.now());
    const state: TaskState =
      job.state === "SUCCESS"
        ? {
            state: "FINISHED",
            datetime: now,
            last_snapshot: progress
              ? `${task.source_datasets[0] ?? ""}@${wireText(progress.snapshot)}`
              : (task.state.last_snapshot ?? null),
          }
        : {
            state: "ERROR",
            datetime: now,
            error: job.error ?? "Aborted",
            last_snapshot: task.state.last_snapshot ?? null,
          };
    task.state = state;
    this.#emitReplication(task);
  }

  #emitReplication(task: ReplicationEntry): void {
    const job = task.job ? { job: structuredClone(task.job) } : {};
    this.#ctx.emit({
      collection: "replication.query",
      msg: "changed",
      id: task.id,
      fields: { state: { ...structuredClone(task.state), ...job } },
    });
  }
}

/** The periodic snapshot name a run would send (`auto-%Y-%m-%d_%H-%M`). */
function snapshotName(nowMs: number): string {
  const d = new Date(nowMs);
  const p = (n: number): string => String(n).padStart(2, "0");
  return `auto-${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}_${p(d.getUTCHours())}-00`;
}

/** A snapshot task's state changes: `pool.snapshottask.query` changed with a partial `{state}`. */
export function setSnapshotTaskState(
  ctx: WorldContext,
  id: number,
  state: "PENDING" | "RUNNING" | "FINISHED" | "ERROR",
  error?: string,
): void {
  const task = ctx.state.snapshottasks.find((t) => t.id === id);
  if (!task) throw new Error(`no snapshot task ${id}`);
  const now = new Date(ctx.now());
  const last =
    state === "FINISHED"
      ? `${task.dataset}@${snapshotName(ctx.now()).replace(/^auto-/, `${task.naming_schema.split("-")[0] ?? "auto"}-`)}`
      : (task.state.last_snapshot ?? null);
  task.state =
    state === "ERROR"
      ? { state, datetime: now, error: error ?? "Snapshot failed", last_snapshot: last }
      : { state, datetime: now, last_snapshot: last };
  ctx.emit({
    collection: "pool.snapshottask.query",
    msg: "changed",
    id,
    fields: { state: structuredClone(task.state) },
  });
  for (const rep of ctx.state.replication) {
    rep.periodic_snapshot_tasks = rep.periodic_snapshot_tasks.map((row) =>
      row.id === id ? embeddedSnapshotTask(task) : row,
    );
  }
}
