/**
 * Apps, VMs, Incus instances, services and NICs (truenas-api.md §3.10-3.13). `vm.query` exists on 25.04.2+ and
 * 25.10 only; on 25.04.0 the VMs are Incus instances in `virt.instance.query` with that release's smaller status
 * vocabulary. `privileged_mode` is a 25.10 field.
 */
import { boolArg, queryArgs, runQuery, stringArg } from "../args.js";
import type { InstanceEntry, WireObject } from "../model.js";
import { vmAsInstance } from "../profiles/buildWorkloads.js";
import type { WorldContext } from "../state.js";
import { renderApp, servicesFor } from "../control/workloads.js";
import type { MethodTable } from "./system.js";

function appQuery(ctx: WorldContext, params: unknown[]): unknown {
  const q = queryArgs(params);
  const hostIp =
    q.extra.host_ip === undefined ? ctx.state.hostIp : stringArg(q.extra.host_ip, "options.extra.host_ip");
  const withConfig = boolArg(q.extra.retrieve_config, "options.extra.retrieve_config", false);
  const withSchema = boolArg(q.extra.include_app_schema, "options.extra.include_app_schema", false);
  const rows = ctx.state.apps.map((app) => {
    const entry: WireObject = renderApp(app, hostIp);
    if (withSchema) {
      entry.version_details = {
        name: app.entry.name,
        version: app.entry.version,
        app_metadata: structuredClone(app.entry.metadata),
        schema: { groups: [], questions: [] },
      };
    }
    if (withConfig) entry.config = { TZ: ctx.state.system.info.timezone, run_as: { user: 568, group: 568 } };
    return entry;
  });
  return runQuery(rows, q);
}

const STATUS_25040 = new Set(["RUNNING", "STOPPED", "UNKNOWN"]);

function instanceQuery(ctx: WorldContext, params: unknown[]): unknown {
  const q = queryArgs(params);
  let rows: InstanceEntry[] = structuredClone(ctx.state.instances);
  if (ctx.version === "25.04.0") {
    rows = [...rows, ...ctx.state.vms.map(vmAsInstance)].map((i) => ({
      ...i,
      status: STATUS_25040.has(i.status) ? i.status : "UNKNOWN",
    }));
  }
  if (ctx.version !== "25.10") {
    for (const r of rows) delete r.privileged_mode;
  }
  return runQuery(rows, q);
}

function serviceQuery(ctx: WorldContext, params: unknown[]): unknown {
  const q = queryArgs(params);
  const probe = boolArg(q.extra.include_state, "options.extra.include_state", true);
  const rows = servicesFor(ctx).map((s) =>
    probe ? structuredClone(s) : { ...structuredClone(s), state: "UNKNOWN", pids: [] },
  );
  return runQuery(rows, q);
}

function interfaceQuery(ctx: WorldContext, params: unknown[]): unknown {
  const q = queryArgs(params);
  if (boolArg(q.extra.retrieve_names_only, "options.extra.retrieve_names_only", false)) {
    return runQuery(
      ctx.state.interfaces.map((i) => ({ name: i.name })),
      q,
    );
  }
  return runQuery(structuredClone(ctx.state.interfaces), q);
}

export function workloadMethods(ctx: WorldContext): MethodTable {
  const table: MethodTable = [
    ["app.query", (params) => appQuery(ctx, params)],
    ["virt.instance.query", (params) => instanceQuery(ctx, params)],
    ["service.query", (params) => serviceQuery(ctx, params)],
    ["interface.query", (params) => interfaceQuery(ctx, params)],
  ];
  if (ctx.version !== "25.04.0") {
    table.push(["vm.query", (params) => runQuery(structuredClone(ctx.state.vms), queryArgs(params))]);
  }
  return table;
}
