/**
 * Jobs as core.get_jobs shows them, and their events: `added` (WAITING), `changed` on RUNNING, on every percent
 * or description change, and a final `changed` after time_finished is set; the full job every time
 * (truenas-api.md §5, middleware job.py `send_job_event`). 25.10 adds `message_ids`.
 */
import type { CollectionEvent } from "../types.js";
import type { Row } from "./sampleData.js";
import { is2504, type NasState } from "./state.js";

export type JobEnd = "SUCCESS" | "FAILED" | "ABORTED";

export class JobBook {
  constructor(
    private readonly state: () => NasState,
    private readonly emit: (e: CollectionEvent) => void,
    private readonly now: () => number,
  ) {}

  #find(id: number): Row | undefined {
    return this.state().jobs.find((j) => j.id === id);
  }

  #changed(job: Row, msg: "added" | "changed" = "changed"): void {
    this.emit({ collection: "core.get_jobs", msg, id: job.id, fields: structuredClone(job) });
  }

  start(
    method: string,
    args: unknown[],
    description: string | null,
    messageId: unknown = null,
    username = "truenas_admin",
  ): number {
    const s = this.state();
    const id = s.nextJobId++;
    const job: Row = {
      id,
      method,
      arguments: args,
      transient: false,
      description,
      abortable: true,
      logs_path: null,
      logs_excerpt: null,
      progress: { percent: 0, description: "", extra: null },
      result: null,
      result_encoding_error: null,
      error: null,
      exception: null,
      exc_info: null,
      state: "WAITING",
      time_started: new Date(this.now()),
      time_finished: null,
      credentials: {
        type: "API_KEY",
        data: {
          username,
          login_id: "sim",
          login_at: new Date(this.now()),
          api_key: { id: 1, name: "simulator" },
        },
      },
    };
    if (!is2504(s.version)) job.message_ids = messageId === null ? [] : [messageId];
    s.jobs.push(job);
    if (s.jobs.length > 1000) s.jobs.splice(0, s.jobs.length - 1000);
    this.#changed(job, "added");
    job.state = "RUNNING";
    this.#changed(job);
    return id;
  }

  progress(id: number, percent: number, description?: string): Row | undefined {
    const job = this.#find(id);
    if (!job || job.state !== "RUNNING") return undefined;
    const p = Math.max(0, Math.min(100, Math.trunc(percent)));
    const progress = job.progress as Row;
    if (p === progress.percent && (description === undefined || description === progress.description))
      return job;
    job.progress = { ...progress, percent: p, ...(description !== undefined ? { description } : {}) };
    this.#changed(job);
    return job;
  }

  finish(id: number, end: JobEnd, resultOrError: unknown = null): Row | undefined {
    const job = this.#find(id);
    if (!job || (job.state !== "RUNNING" && job.state !== "WAITING")) return undefined;
    job.state = end;
    job.time_finished = new Date(this.now());
    if (end === "SUCCESS") {
      job.result = resultOrError;
      job.progress = { ...(job.progress as Row), percent: 100 };
    } else {
      const text = typeof resultOrError === "string" ? resultOrError : "[EFAULT] Job failed";
      job.error = text;
      job.exc_info = {
        repr: `CallError(${JSON.stringify(text)})`,
        type: "CallError",
        errno: 14,
        extra: null,
      };
    }
    this.#changed(job);
    return job;
  }

  running(): Row[] {
    return this.state().jobs.filter((j) => j.state === "RUNNING");
  }
}
