/**
 * Job methods a bridge may call. Each answers with the job id at once (legacy_jobs, truenas-api.md §5); the job
 * then runs in the world: a scrub job follows the scan (`plugins/pool_/scrub.py`), task runs progress on
 * `advance`, app start/stop complete with their `app.query` events.
 */
import { SimCallError, SimInstanceNotFound, SimValidationError } from "../../rpcErrors.js";
import type { CallContext } from "../../types.js";
import { intArg, maxArgs, stringArg, dictArg } from "../args.js";
import { callerCredentials, startScrub, stopScrub, type Caller } from "../control/pools.js";
import type { TaskRunner } from "../control/tasks.js";
import { startApp, stopApp } from "../control/workloads.js";
import type { WorldContext } from "../state.js";
import type { MethodTable } from "./system.js";

const caller = (call: CallContext): Caller => ({ username: call.username, messageId: call.messageId });

function scrub(ctx: WorldContext, params: unknown[], call: CallContext): number {
  maxArgs(params, 2);
  const name = stringArg(params[0], "name");
  const action = params[1] === undefined ? "START" : stringArg(params[1], "action");
  if (!["START", "STOP", "PAUSE"].includes(action)) {
    throw new SimValidationError([["action", "Input should be 'START', 'STOP' or 'PAUSE'", 22]]);
  }
  if (!ctx.state.pools.some((p) => p.entry.name === name)) {
    throw new SimCallError("ENOENT", `Pool ${name} not found`);
  }
  if (action === "START") return startScrub(ctx, name, caller(call));
  const job = ctx.jobs.start({
    method: "pool.scrub.scrub",
    arguments: [name, action],
    description: `${action === "STOP" ? "Stop" : "Pause"} scrubbing pool '${name}'`,
    abortable: true,
    credentials: callerCredentials(ctx, caller(call)),
    messageId: call.messageId,
  });
  stopScrub(ctx, name, action as "STOP" | "PAUSE");
  ctx.jobs.succeed(job.id as number);
  return job.id as number;
}

function appJob(
  ctx: WorldContext,
  method: "app.start" | "app.stop",
  params: unknown[],
  call: CallContext,
): number {
  maxArgs(params, 1);
  const name = stringArg(params[0], "app_name");
  if (!ctx.state.apps.some((a) => a.entry.name === name))
    throw new SimInstanceNotFound(`App ${name} does not exist`);
  const job = ctx.jobs.start({
    method,
    arguments: [name],
    description: `${method === "app.start" ? "Starting" : "Stopping"} ${name} app`,
    abortable: false,
    credentials: callerCredentials(ctx, caller(call)),
    messageId: call.messageId,
  });
  const id = job.id as number;
  ctx.jobs.progress(id, 50, `${method === "app.start" ? "Starting" : "Stopping"} ${name}`);
  if (method === "app.start") startApp(ctx, name);
  else stopApp(ctx, name);
  ctx.jobs.succeed(id);
  return id;
}

export function jobMethods(ctx: WorldContext, tasks: TaskRunner): MethodTable {
  return [
    ["pool.scrub.scrub", (params, call) => scrub(ctx, params, call)],
    ["app.start", (params, call) => appJob(ctx, "app.start", params, call)],
    ["app.stop", (params, call) => appJob(ctx, "app.stop", params, call)],
    [
      "cloudsync.sync",
      (params, call) => {
        maxArgs(params, 2);
        const opts = dictArg(params[1], "cloud_sync_sync_options");
        return tasks.runCloudSync(intArg(params[0], "id", 0), caller(call), opts.dry_run === true);
      },
    ],
    [
      "replication.run",
      (params, call) => {
        maxArgs(params, 2);
        return tasks.runReplication(intArg(params[0], "id", 0), caller(call));
      },
    ],
    [
      "core.job_abort",
      (params) => {
        maxArgs(params, 1);
        const id = intArg(params[0], "id", -1);
        if (!ctx.jobs.get(id)) throw new SimCallError("ENOENT", `Job ${id} does not exist`);
        ctx.jobs.abort(id);
        return null;
      },
    ],
  ];
}
