/**
 * The method table of one world: only the methods its TrueNAS flavour has (truenas-api.md §3.1); the server
 * answers -32601 for the rest and owns auth.*, core.ping, core.subscribe/unsubscribe and core.set_options.
 */
import type { MethodHandler } from "../../types.js";
import type { TaskRunner } from "../control/tasks.js";
import type { WorldContext } from "../state.js";
import { jobMethods } from "./jobMethods.js";
import { reportingMethods } from "./reporting.js";
import { storageMethods } from "./storage.js";
import { systemMethods } from "./system.js";
import { taskMethods } from "./tasks.js";
import { temperatureMethods } from "./temperatures.js";
import { workloadMethods } from "./workloads.js";

export function buildMethods(ctx: WorldContext, tasks: TaskRunner): Map<string, MethodHandler> {
  return new Map([
    ...systemMethods(ctx),
    ...storageMethods(ctx),
    ...temperatureMethods(ctx),
    ...workloadMethods(ctx),
    ...taskMethods(ctx),
    ...reportingMethods(ctx),
    ...jobMethods(ctx, tasks),
  ]);
}
