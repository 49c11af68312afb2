/**
 * Cloud sync tasks: `cloudsync.query` (truenas-api.md §3.14). Per task on the NAS device: the last run's job
 * state, when it ended, a problem sensor for a failed run, progress while it runs; enabled, direction,
 * schedule and the rest as attributes. The task's `job` is the live job while one is in memory
 * (utils/service/task_state.py), so one poll shows progress; cloudsync.query only has CRUD events, so the
 * group also re-polls on `core.get_jobs` (§2.3).
 *
 * The small task helpers here are shared with the replication and snapshot_tasks groups.
 */
import { NAS_DEVICE } from "../entities/ids.js";
import {
  bindEntities,
  type EntitySpec,
  type EntityTemplate,
  type GroupSnapshot,
  type ObjectRef,
  type ObjectState,
} from "../entities/model.js";
import type { GroupDefinition } from "./group.js";
import { bool, date, distinctLabels, list, lower, num, obj, str, type Obj } from "./values.js";

/** core.get_jobs job states (§3.16, §5). */
export const JOB_STATES = ["waiting", "running", "success", "failed", "aborted"];

const FIELDS = [
  "id",
  "description",
  "path",
  "direction",
  "transfer_mode",
  "enabled",
  "schedule",
  "credentials.name",
  "credentials.provider.type",
  "attributes.bucket",
  "attributes.folder",
  "job.id",
  "job.state",
  "job.error",
  "job.progress.percent",
  "job.progress.description",
  "job.time_started",
  "job.time_finished",
];

/** The entities every task kind has; `states` is its last-run vocabulary. */
export function taskTemplates(states: readonly string[], icon: `mdi:${string}`) {
  return [
    {
      component: "sensor",
      key: "last_run",
      name: "Last run",
      field: "last_run",
      deviceClass: "enum",
      options: states,
      icon,
      attributes: { from: "attributes" },
    },
    {
      component: "sensor",
      key: "last_run_end",
      name: "Last run end",
      field: "last_run_end",
      deviceClass: "timestamp",
    },
    { component: "binary_sensor", key: "problem", name: "Problem", field: "problem", deviceClass: "problem" },
  ] as const satisfies readonly EntityTemplate[];
}

export const PROGRESS_TEMPLATE = {
  component: "sensor",
  key: "progress",
  name: "Progress",
  field: "progress",
  numeric: true,
  unit: "%",
  stateClass: "measurement",
  icon: "mdi:progress-upload",
} as const satisfies EntityTemplate;

const TEMPLATES = [
  ...taskTemplates(JOB_STATES, "mdi:cloud-sync"),
  PROGRESS_TEMPLATE,
] satisfies readonly EntityTemplate[];

/** A failed last run: job FAILED (cloud sync), state ERROR (replication, snapshot tasks). */
export function failed(state: string | null): boolean {
  return state === "failed" || state === "error";
}

/** A TrueNAS cron schedule `{minute, hour, dom, month, dow[, begin, end]}` as one crontab line. */
export function scheduleText(v: unknown): string | null {
  const s = obj(v);
  const fields = [s.minute, s.hour, s.dom, s.month, s.dow].map(str);
  if (fields.some((f) => f === null)) return null;
  const line = fields.join(" ");
  const [begin, end] = [str(s.begin), str(s.end)];
  return begin !== null && end !== null && !(begin === "00:00" && end === "23:59")
    ? `${line} (${begin}-${end})`
    : line;
}

/** Task objects and entities on the NAS device, with names made unique where two tasks share a label. */
export function taskSnapshot(
  group: string,
  tasks: readonly {
    ref: ObjectRef;
    label: string;
    doc: ObjectState["doc"];
    attributes: ObjectState["attributes"];
  }[],
  templates: readonly EntityTemplate[],
): GroupSnapshot {
  const seen = new Set<string>();
  const unique = tasks.filter((t) => !seen.has(t.ref.id) && seen.add(t.ref.id));
  const prefixes = distinctLabels(unique.map((t) => ({ label: t.label, id: `task ${t.ref.id}` })));
  const objects: ObjectState[] = [];
  const entities: EntitySpec[] = [];
  for (const [i, t] of unique.entries()) {
    const prefix = prefixes[i] ?? t.label;
    objects.push({ ref: t.ref, device: NAS_DEVICE, doc: t.doc, attributes: t.attributes });
    entities.push(...bindEntities(templates, t.ref, { namePrefix: prefix }));
  }
  return { group, devices: [], objects, entities };
}

function cloudTask(t: Obj) {
  const id = num(t.id);
  if (id === null) return null;
  const job = obj(t.job);
  const progress = obj(job.progress);
  const state = lower(job.state);
  const credentials = obj(t.credentials);
  const attrs = obj(t.attributes);
  const description = str(t.description);
  return {
    ref: { kind: "cloudsync", id: String(id) },
    label: `Cloud sync ${description !== null && description.trim() !== "" ? description : id}`,
    doc: {
      last_run: state,
      last_run_end: date(job.time_finished),
      problem: failed(state),
      progress: state === "running" ? num(progress.percent) : null,
    },
    attributes: {
      description,
      enabled: bool(t.enabled),
      direction: lower(t.direction),
      transfer_mode: lower(t.transfer_mode),
      path: str(t.path),
      schedule: scheduleText(t.schedule),
      credential: str(credentials.name),
      provider: str(obj(credentials.provider).type),
      bucket: str(attrs.bucket),
      folder: str(attrs.folder),
      job_id: num(job.id),
      last_run_start: date(job.time_started),
      progress_description: str(progress.description),
      error: str(job.error),
    },
  };
}

export const cloudsyncGroup: GroupDefinition<unknown> = {
  name: "cloudsync",
  events: ["cloudsync.query", "core.get_jobs"],
  fetch: ({ call }) => call("cloudsync.query", [[], { select: FIELDS }]),
  normalise(raw): GroupSnapshot {
    const tasks = list(raw)
      .map((t) => cloudTask(obj(t)))
      .filter((t) => t !== null);
    return taskSnapshot("cloudsync", tasks, TEMPLATES);
  },
};
