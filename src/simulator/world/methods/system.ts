/**
 * System and update methods: `system.info` (`plugins/system/info.py`), `system.ready`/`system.state`
 * (`plugins/system/lifecycle.py`), `system.version*`, `system.host_id`, `system.boot_id`, and the update check of
 * each release (truenas-api.md §3.2-3.4).
 */
import { SimCallError } from "../../rpcErrors.js";
import type { MethodHandler } from "../../types.js";
import { maxArgs, dictArg } from "../args.js";
import { pyTimedelta } from "../format.js";
import type { WorldContext } from "../state.js";
import { VERSION_STRINGS, checkAvailable, fullVersion, updateStatus } from "../updates.js";

export type MethodTable = Array<[string, MethodHandler]>;

function noArgs(fn: () => unknown): MethodHandler {
  return (params) => {
    maxArgs(params, 0);
    return fn();
  };
}

function systemInfo(ctx: WorldContext): Record<string, unknown> {
  const { info, bootMs } = ctx.state.system;
  const now = ctx.now();
  const uptime = Math.max(0, now - bootMs + ctx.state.system.uptimeSkewMs) / 1000;
  return {
    version: VERSION_STRINGS[ctx.version],
    buildtime: new Date(info.buildtime),
    hostname: info.hostname,
    physmem: info.physmem,
    model: info.model,
    cores: info.cores,
    physical_cores: info.physical_cores,
    loadavg: [...ctx.metrics.current.load],
    uptime: pyTimedelta(uptime),
    uptime_seconds: uptime,
    system_serial: info.system_serial,
    system_product: info.system_product,
    system_product_version: info.system_product_version,
    license: structuredClone(info.license),
    boottime: new Date(bootMs),
    datetime: new Date(now),
    timezone: info.timezone,
    system_manufacturer: info.system_manufacturer,
    ecc_memory: info.ecc_memory,
  };
}

export function systemMethods(ctx: WorldContext): MethodTable {
  const sys = ctx.state.system;
  const table: MethodTable = [
    ["system.info", noArgs(() => systemInfo(ctx))],
    ["system.ready", noArgs(() => sys.state !== "BOOTING")],
    ["system.state", noArgs(() => sys.state)],
    ["system.version", noArgs(() => fullVersion(ctx.version))],
    ["system.version_short", noArgs(() => VERSION_STRINGS[ctx.version])],
    ["system.host_id", noArgs(() => sys.hostId)],
    ["system.boot_id", noArgs(() => sys.bootId)],
  ];
  if (ctx.version === "25.10") {
    table.push(["update.status", noArgs(() => updateStatus(ctx.state.update))]);
  } else {
    table.push([
      "update.check_available",
      (params) => {
        maxArgs(params, 1);
        const train = dictArg(params[0], "attrs").train;
        // An unknown train is ENOENT (plugins/update_/trains.py).
        if (train !== undefined && train !== ctx.state.update.train) {
          throw new SimCallError("ENOENT", "Invalid train name.");
        }
        return checkAvailable(ctx.state.update, ctx.version);
      },
    ]);
  }
  return table;
}
