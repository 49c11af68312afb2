/**
 * Jobs: `core.get_jobs` filtered server-side to WAITING/RUNNING (truenas-api.md §3.16, §5): the running and
 * waiting counts on the NAS device, the active jobs (method, description, percent) as attributes. Without
 * FULL_ADMIN the API key only sees its own jobs (§3.16), so the count can be lower than the UI's. Events:
 * `core.get_jobs` (added on WAITING, changed on RUNNING, progress and finish: §5).
 */
import { NAS_DEVICE } from "../entities/ids.js";
import { bindEntities, type EntityTemplate, type GroupSnapshot, type ObjectRef } from "../entities/model.js";
import type { GroupDefinition } from "./group.js";
import { date, list, lower, num, obj, str } from "./values.js";

export const JOBS_REF: ObjectRef = { kind: "jobs", id: "jobs" };

const FIELDS = [
  "id",
  "method",
  "description",
  "state",
  "progress.percent",
  "progress.description",
  "time_started",
];

const TEMPLATES = [
  {
    component: "sensor",
    key: "running",
    name: "Running jobs",
    field: "running",
    numeric: true,
    stateClass: "measurement",
    icon: "mdi:cog-sync",
    attributes: { from: "attributes" },
  },
  {
    component: "sensor",
    key: "waiting",
    name: "Waiting jobs",
    field: "waiting",
    numeric: true,
    stateClass: "measurement",
    icon: "mdi:cog-pause",
    entityCategory: "diagnostic",
  },
] as const satisfies readonly EntityTemplate[];

export const jobsGroup: GroupDefinition<unknown> = {
  name: "jobs",
  events: ["core.get_jobs"],
  fetch: ({ call }) => call("core.get_jobs", [[["state", "in", ["WAITING", "RUNNING"]]], { select: FIELDS }]),
  normalise(raw): GroupSnapshot {
    const jobs = list(raw)
      .map(obj)
      .map((j) => ({ j, state: lower(j.state) }))
      .filter(({ state }) => state === "running" || state === "waiting");
    return {
      group: "jobs",
      devices: [],
      objects: [
        {
          ref: JOBS_REF,
          device: NAS_DEVICE,
          doc: {
            running: jobs.filter((x) => x.state === "running").length,
            waiting: jobs.filter((x) => x.state === "waiting").length,
          },
          attributes: {
            jobs: jobs.map(({ j, state }) => ({
              id: num(j.id),
              method: str(j.method),
              description: str(j.description),
              state,
              percent: num(obj(j.progress).percent),
              progress: str(obj(j.progress).description),
              started: date(j.time_started),
            })),
          },
        },
      ],
      entities: bindEntities(TEMPLATES, JOBS_REF),
    };
  },
};
