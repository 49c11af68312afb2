/**
 * Periodic snapshot tasks: `pool.snapshottask.query` (truenas-api.md §3.14). Per task on the NAS device: the
 * last run's state (`state.state`), when it ended (`state.datetime` of a FINISHED/ERROR state), a problem
 * sensor for ERROR (e.g. "out of space"); dataset, enabled, retention, naming schema and schedule as
 * attributes. Events carry only `{state}` (§2.3), so the group re-polls on them. Two tasks on one dataset
 * (hourly + daily) are common: their entity names get the task id.
 */
import type { GroupSnapshot } from "../entities/model.js";
import { failed, scheduleText, taskSnapshot, taskTemplates } from "./cloudsync.js";
import type { GroupDefinition } from "./group.js";
import { bool, date, list, lower, num, obj, str, type Obj } from "./values.js";

/** Snapshot task states (plugins/snapshot.py, zettarepl). */
export const SNAPSHOT_TASK_STATES = ["pending", "running", "finished", "error"];

const FIELDS = [
  "id",
  "dataset",
  "recursive",
  "exclude",
  "lifetime_value",
  "lifetime_unit",
  "naming_schema",
  "allow_empty",
  "enabled",
  "schedule",
  "state",
];

const TEMPLATES = taskTemplates(SNAPSHOT_TASK_STATES, "mdi:camera-timer");

function snapshotTask(t: Obj) {
  const id = num(t.id);
  if (id === null) return null;
  const state = obj(t.state);
  const last = lower(state.state);
  const dataset = str(t.dataset);
  const [lifetime, unit] = [num(t.lifetime_value), lower(t.lifetime_unit)];
  return {
    ref: { kind: "snapshottask", id: String(id) },
    label: `Snapshots ${dataset ?? id}`,
    doc: {
      last_run: last,
      last_run_end: last === "finished" || last === "error" ? date(state.datetime) : null,
      problem: failed(last),
    },
    attributes: {
      dataset,
      enabled: bool(t.enabled),
      recursive: bool(t.recursive),
      exclude: list(t.exclude).flatMap((x) => str(x) ?? []),
      retention: lifetime !== null && unit !== null ? `${lifetime} ${unit}` : null,
      naming_schema: str(t.naming_schema),
      allow_empty: bool(t.allow_empty),
      schedule: scheduleText(t.schedule),
      state_since: date(state.datetime),
      last_snapshot: str(state.last_snapshot),
      error: str(state.error),
    },
  };
}

export const snapshotTasksGroup: GroupDefinition<unknown> = {
  name: "snapshot_tasks",
  events: ["pool.snapshottask.query"],
  fetch: ({ call }) => call("pool.snapshottask.query", [[], { select: FIELDS }]),
  normalise(raw): GroupSnapshot {
    const tasks = list(raw)
      .map((t) => snapshotTask(obj(t)))
      .filter((t) => t !== null);
    return taskSnapshot("snapshot_tasks", tasks, TEMPLATES);
  },
};
