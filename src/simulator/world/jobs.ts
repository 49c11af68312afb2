/**
 * The job queue as `core.get_jobs` shows it, with the events `job.py` sends: `added` when a job is queued
 * (WAITING), `changed` when it starts RUNNING, when its integer percent or description changes, and a final
 * `changed` after `time_finished` is set. Every event carries the full job (truenas-api.md §2.3, §5).
 */
import { ERRNO, type ErrName } from "../rpcErrors.js";
import type { CollectionEvent, SimVersion } from "../types.js";
import type { JobEntry, JobState, WireObject, WireValue } from "./model.js";

/** Middleware keeps about 1000 jobs in memory and evicts the oldest finished ones (`job.py` JobsDeque). */
const MAX_JOBS = 1000;

export interface JobSpec {
  method: string;
  arguments?: WireValue[];
  description?: string | null;
  abortable?: boolean;
  /** Jobs declared with `logs=True` get `/var/log/jobs/<id>.log`. */
  logs?: boolean;
  /** null for internal jobs (scheduled scrubs, tasks started by cron). */
  credentials?: WireObject | null;
  /** JSON-RPC id of the call that created the job (25.10 `message_ids`). */
  messageId?: unknown;
}

export interface JobFailure {
  errname?: ErrName;
  message: string;
}

export interface JobBookDeps {
  version: SimVersion;
  now: () => number;
  emit: (event: CollectionEvent) => void;
}

export class JobBook {
  readonly #jobs = new Map<number, JobEntry>();
  readonly #listeners = new Set<(job: JobEntry) => void>();
  readonly #deps: JobBookDeps;
  #nextId: number;

  constructor(deps: JobBookDeps, initial: readonly JobEntry[]) {
    this.#deps = deps;
    let max = 0;
    for (const job of initial) {
      if (job.id === null) continue;
      this.#jobs.set(job.id, structuredClone(job));
      max = Math.max(max, job.id);
    }
    this.#nextId = max + 1;
  }

  /** Every job as `core.get_jobs` returns it (a copy; `message_ids` only on 25.10). */
  list(): JobEntry[] {
    return [...this.#jobs.values()].map((j) => this.render(j));
  }

  get size(): number {
    return this.#jobs.size;
  }

  /** The live job object (do not hand it out; use `render`). */
  get(id: number): JobEntry | undefined {
    return this.#jobs.get(id);
  }

  /** The newest job matching `predicate` (the live object: read it, do not change it). */
  findLatest(predicate: (job: JobEntry) => boolean): JobEntry | undefined {
    const all = [...this.#jobs.values()];
    for (let i = all.length - 1; i >= 0; i--) {
      const job = all[i] as JobEntry;
      if (predicate(job)) return job;
    }
    return undefined;
  }

  render(job: JobEntry): JobEntry {
    const copy = structuredClone(job);
    if (this.#deps.version !== "25.10") delete copy.message_ids;
    return copy;
  }

  /** Called after every change to a job (tasks mirror their latest job). */
  onChange(listener: (job: JobEntry) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Queue a job (`added`, WAITING) and, unless `waiting`, start it (`changed`, RUNNING). */
  start(spec: JobSpec, waiting = false): JobEntry {
    const id = this.#nextId++;
    const job: JobEntry = {
      id,
      message_ids:
        spec.messageId === undefined || spec.messageId === null ? [] : [spec.messageId as WireValue],
      method: spec.method,
      arguments: spec.arguments ?? [],
      transient: false,
      description: spec.description ?? null,
      abortable: spec.abortable ?? false,
      logs_path: null,
      logs_excerpt: null,
      progress: { percent: 0, description: "", extra: null },
      result: null,
      result_encoding_error: null,
      error: null,
      exception: null,
      exc_info: null,
      state: "WAITING",
      time_started: new Date(this.#deps.now()),
      time_finished: null,
      credentials: spec.credentials ?? null,
    };
    this.#jobs.set(id, job);
    this.#evict();
    this.#send("added", job);
    if (spec.logs) job.logs_path = `/var/log/jobs/${id}.log`;
    if (!waiting) this.run(id);
    return job;
  }

  /** WAITING -> RUNNING. */
  run(id: number): void {
    const job = this.#require(id);
    if (job.state !== "WAITING") return;
    job.state = "RUNNING";
    this.#send("changed", job);
  }

  /** `job.set_progress`: percent is truncated to an int; an event only when something changed. */
  progress(id: number, percent: number | null, description?: string, extra?: WireValue): void {
    const job = this.#require(id);
    if (isFinished(job.state)) return;
    let changed = false;
    if (percent !== null) {
      const p = Math.trunc(Math.min(100, Math.max(0, percent)));
      if (p !== job.progress.percent) [job.progress.percent, changed] = [p, true];
    }
    if (description && description !== job.progress.description) {
      [job.progress.description, changed] = [description, true];
    }
    if (extra !== undefined && extra !== null) [job.progress.extra, changed] = [extra, true];
    if (changed) this.#send("changed", job);
  }

  /** SUCCESS; a job below 100 % is pushed to 100 with its own event first, as `Job.__run_body` does. */
  succeed(id: number, result: WireValue = null, logsExcerpt?: string): void {
    const job = this.#require(id);
    if (isFinished(job.state)) return;
    this.#finishState(job, "SUCCESS");
    job.result = result;
    if (logsExcerpt !== undefined) job.logs_excerpt = logsExcerpt;
    if (job.progress.percent !== 100) {
      job.progress.percent = 100;
      this.#send("changed", job);
    }
    this.#send("changed", job);
  }

  /** FAILED with a CallError: `error` is `"[ERRNAME] message"`, `exc_info.type` "CallError". */
  fail(id: number, failure: JobFailure): void {
    const job = this.#require(id);
    if (isFinished(job.state)) return;
    const errname = failure.errname ?? "EFAULT";
    const text = `[${errname}] ${failure.message}`;
    this.#finishState(job, "FAILED");
    job.error = text;
    job.exception =
      'Traceback (most recent call last):\n  File "/usr/lib/python3/dist-packages/middlewared/job.py", ' +
      `line 515, in run\n    await self.future\n  ...\nmiddlewared.service_exception.CallError: ${text}\n`;
    job.exc_info = {
      repr: `CallError(${JSON.stringify(failure.message)})`,
      type: "CallError",
      errno: ERRNO[errname],
      extra: null,
    };
    this.#send("changed", job);
  }

  /** ABORTED (`core.job_abort`, or a WAITING job cancelled): no error text, as in `Job.run`. */
  abort(id: number): void {
    const job = this.#require(id);
    if (isFinished(job.state)) return;
    this.#finishState(job, "ABORTED");
    this.#send("changed", job);
  }

  /** Forget every job (middlewared restarted: the queue lives in memory). */
  clear(): void {
    this.#jobs.clear();
  }

  #finishState(job: JobEntry, state: JobState): void {
    job.state = state;
    job.time_finished = new Date(this.#deps.now());
  }

  #require(id: number): JobEntry {
    const job = this.#jobs.get(id);
    if (!job) throw new Error(`no job ${id}`);
    return job;
  }

  #send(msg: "added" | "changed", job: JobEntry): void {
    this.#deps.emit({ collection: "core.get_jobs", msg, id: job.id, fields: this.render(job) });
    for (const l of [...this.#listeners]) l(job);
  }

  #evict(): void {
    if (this.#jobs.size <= MAX_JOBS) return;
    for (const [id, job] of this.#jobs) {
      if (this.#jobs.size <= MAX_JOBS) break;
      if (isFinished(job.state)) this.#jobs.delete(id);
    }
  }
}

export function isFinished(state: JobState): boolean {
  return state === "SUCCESS" || state === "FAILED" || state === "ABORTED";
}

/** The `credentials` of a job started over the API with an API key (`job.py` `__encode__`). */
export function apiKeyCredentials(username: string, loginId: string, loginAt: Date): WireObject {
  return {
    type: "API_KEY",
    data: { username, login_id: loginId, login_at: loginAt, api_key: { id: 1, name: "truenas2mqtt" } },
  };
}
