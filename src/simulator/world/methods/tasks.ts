/**
 * Task, job and alert queries (truenas-api.md §3.14, §3.16, §3.17): the tasks' `job` in the release's job shape,
 * `has_encrypted_dataset_keys` always on 25.10 but only on request on 25.04, `core.get_jobs` with query args,
 * `alert.list` without any.
 */
import { boolArg, maxArgs, queryArgs, runQuery } from "../args.js";
import type { JobEntry } from "../model.js";
import type { WorldContext } from "../state.js";
import type { MethodTable } from "./system.js";

/** A task's embedded job in this release's shape (`message_ids` is 25.10 only). */
function taskJob(ctx: WorldContext, job: JobEntry | null): JobEntry | null {
  if (job === null) return null;
  const copy = structuredClone(job);
  if (ctx.version !== "25.10") delete copy.message_ids;
  return copy;
}

function cloudsyncQuery(ctx: WorldContext, params: unknown[]): unknown {
  const q = queryArgs(params);
  const rows = ctx.state.cloudsync.map((t) => ({ ...structuredClone(t), job: taskJob(ctx, t.job) }));
  return runQuery(rows, q);
}

function replicationQuery(ctx: WorldContext, params: unknown[]): unknown {
  const q = queryArgs(params);
  const keys =
    ctx.version === "25.10" ||
    boolArg(q.extra.check_dataset_encryption_keys, "options.extra.check_dataset_encryption_keys", false);
  const rows = ctx.state.replication.map((t) => {
    const row = { ...structuredClone(t), job: taskJob(ctx, t.job) };
    if (!keys) delete row.has_encrypted_dataset_keys;
    return row;
  });
  return runQuery(rows, q);
}

export function taskMethods(ctx: WorldContext): MethodTable {
  return [
    ["cloudsync.query", (params) => cloudsyncQuery(ctx, params)],
    ["replication.query", (params) => replicationQuery(ctx, params)],
    [
      "pool.snapshottask.query",
      (params) => runQuery(structuredClone(ctx.state.snapshottasks), queryArgs(params)),
    ],
    ["core.get_jobs", (params) => runQuery(ctx.jobs.list(), queryArgs(params))],
    [
      "alert.list",
      (params) => {
        maxArgs(params, 0);
        return ctx.alerts.list();
      },
    ],
  ];
}
