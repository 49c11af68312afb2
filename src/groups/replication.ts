/**
 * Replication tasks: `replication.query` (truenas-api.md §3.14). Per task on the NAS device: the zettarepl
 * state (`state.state`), when the last run ended (`state.datetime` of a FINISHED/ERROR state: zettarepl stamps
 * every state change, so while a run is RUNNING the previous end is not known), a problem sensor for ERROR,
 * progress while running (bytes of `state.progress`, else the `replication.run` job's percent); enabled,
 * direction, transport, datasets and schedule as attributes. `replication.query` events carry only `{state}`
 * (§2.3), so the group re-polls on them. `periodic_snapshot_tasks` is not selected: large and not shown.
 */
import type { EntityTemplate, GroupSnapshot } from "../entities/model.js";
import { failed, PROGRESS_TEMPLATE, scheduleText, taskSnapshot, taskTemplates } from "./cloudsync.js";
import type { GroupDefinition } from "./group.js";
import { bool, date, list, lower, num, obj, percent, str, type Obj } from "./values.js";

/** zettarepl task states (plugins/zettarepl_/state.py). */
export const REPLICATION_STATES = ["pending", "waiting", "running", "finished", "error", "hold"];

const FIELDS = [
  "id",
  "name",
  "direction",
  "transport",
  "source_datasets",
  "target_dataset",
  "recursive",
  "auto",
  "schedule",
  "retention_policy",
  "enabled",
  "state",
  "job.id",
  "job.state",
  "job.progress.percent",
  "job.progress.description",
  "job.time_started",
];

const TEMPLATES = [
  ...taskTemplates(REPLICATION_STATES, "mdi:database-sync"),
  PROGRESS_TEMPLATE,
] satisfies readonly EntityTemplate[];

const strings = (v: unknown): string[] => list(v).flatMap((x) => str(x) ?? []);

function runProgress(state: Obj, job: Obj): number | null {
  const p = obj(state.progress);
  const bytes = percent(num(p.bytes_sent), num(p.bytes_total)) ?? percent(num(p.current), num(p.total));
  if (bytes !== null) return Math.min(100, bytes);
  return lower(job.state) === "running" ? num(obj(job.progress).percent) : null;
}

function replicationTask(t: Obj) {
  const id = num(t.id);
  if (id === null) return null;
  const state = obj(t.state);
  const job = obj(t.job);
  const progress = obj(state.progress);
  const last = lower(state.state);
  const name = str(t.name);
  return {
    ref: { kind: "replication", id: String(id) },
    label: `Replication ${name !== null && name.trim() !== "" ? name : id}`,
    doc: {
      last_run: last,
      last_run_end: last === "finished" || last === "error" ? date(state.datetime) : null,
      problem: failed(last),
      progress: last === "running" ? runProgress(state, job) : null,
    },
    attributes: {
      name,
      enabled: bool(t.enabled),
      direction: lower(t.direction),
      transport: lower(t.transport),
      auto: bool(t.auto),
      source_datasets: strings(t.source_datasets),
      target_dataset: str(t.target_dataset),
      recursive: bool(t.recursive),
      retention_policy: lower(t.retention_policy),
      schedule: scheduleText(t.schedule),
      state_since: date(state.datetime),
      last_snapshot: str(state.last_snapshot),
      error: str(state.error),
      warnings: strings(state.warnings),
      current_dataset: last === "running" ? str(progress.dataset) : null,
      snapshots_sent: last === "running" ? num(progress.snapshots_sent) : null,
      snapshots_total: last === "running" ? num(progress.snapshots_total) : null,
      job_id: num(job.id),
      job_state: lower(job.state),
      job_started: date(job.time_started),
      progress_description: str(obj(job.progress).description),
    },
  };
}

export const replicationGroup: GroupDefinition<unknown> = {
  name: "replication",
  events: ["replication.query"],
  fetch: ({ call }) => call("replication.query", [[], { select: FIELDS }]),
  normalise(raw): GroupSnapshot {
    const tasks = list(raw)
      .map((t) => replicationTask(obj(t)))
      .filter((t) => t !== null);
    return taskSnapshot("replication", tasks, TEMPLATES);
  },
};
