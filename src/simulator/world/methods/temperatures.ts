/**
 * Disk temperature methods in both releases' signatures (truenas-api.md §3.8, §6.4): 25.04
 * `disk.temperatures(names, {cache, only_cached, powermode})` with smartctl ints and `disk.temperature`; 25.10
 * `disk.temperatures(names, include_thresholds)` with floats or `[temp, crit]`; `disk.temperature_agg` (25.04
 * matches graph identifiers, so plain names give `{}`); `disk.temperature_alerts` filtering `alert.list`.
 */
import { SimValidationError } from "../../rpcErrors.js";
import { boolArg, dictArg, intArg, maxArgs, stringArg, stringListArg } from "../args.js";
import { wireText, type WireObject, type WireValue } from "../model.js";
import { diskGraphIdentifier } from "../profiles/buildStorage.js";
import { diskTempAt } from "../reportingData.js";
import type { DiskRecord, WorldContext } from "../state.js";
import type { MethodTable } from "./system.js";

function attached(ctx: WorldContext): DiskRecord[] {
  return ctx.state.disks.filter((d) => d.entry.expiretime === null);
}

function selectDisks(
  ctx: WorldContext,
  names: string[],
  emptyMeans: (d: DiskRecord) => boolean,
): DiskRecord[] {
  const disks = attached(ctx);
  if (names.length === 0) return disks.filter(emptyMeans);
  return names
    .map((n) => disks.find((d) => d.entry.name === n))
    .filter((d): d is DiskRecord => d !== undefined);
}

const current = (d: DiskRecord): number | null => (d.temp === null ? null : Math.round(d.temp));

function temperatures(ctx: WorldContext, params: unknown[]): WireObject {
  maxArgs(params, 2);
  const names = stringListArg(params[0], "names");
  const out: WireObject = {};
  if (ctx.version === "25.10") {
    const thresholds = boolArg(params[1], "include_thresholds", false);
    for (const d of selectDisks(ctx, names, () => true)) {
      const t = current(d);
      out[d.entry.name] = thresholds ? [t, d.critTemp] : t;
    }
    return out;
  }
  const opts = dictArg(params[1], "options");
  if (
    opts.powermode !== undefined &&
    !["NEVER", "SLEEP", "STANDBY", "IDLE"].includes(wireText(opts.powermode as WireValue))
  ) {
    throw new SimValidationError([["options.powermode", "Invalid choice", 22]]);
  }
  for (const d of selectDisks(ctx, names, (x) => x.smart.togglesmart)) out[d.entry.name] = current(d);
  return out;
}

function aggregate(disk: DiskRecord, days: number, nowSec: number): WireObject {
  let [min, max, sum, n] = [Infinity, -Infinity, 0, 0];
  for (let t = nowSec - days * 86400; t <= nowSec; t += 300) {
    const v = diskTempAt(disk, t);
    [min, max, sum, n] = [Math.min(min, v), Math.max(max, v), sum + v, n + 1];
  }
  return n === 0 ? { min: null, max: null, avg: null } : { min, max, avg: Math.round((sum / n) * 100) / 100 };
}

function temperatureAgg(ctx: WorldContext, params: unknown[]): WireObject {
  maxArgs(params, 2);
  const names = stringListArg(params[0], "names");
  const days = intArg(params[1], "days", 7);
  const nowSec = Math.floor(ctx.now() / 1000);
  const out: WireObject = {};
  for (const d of attached(ctx)) {
    // 25.04 compares the names with netdata's graph identifiers, not disk names (code reading).
    const key = ctx.version === "25.10" ? d.entry.name : diskGraphIdentifier(d.entry, ctx.version);
    if (names.includes(key)) out[key] = aggregate(d, Math.min(days, 7), nowSec);
  }
  return out;
}

function temperatureAlerts(ctx: WorldContext, params: unknown[]): WireValue[] {
  maxArgs(params, 1);
  const devices = new Set(stringListArg(params[0], "names").map((n) => `/dev/${n}`));
  return ctx.alerts.list().filter((a) => {
    const args = (a.args ?? {}) as Record<string, unknown>;
    if (!devices.has(wireText(args.device as WireValue))) return false;
    if (ctx.version === "25.10") return a.klass === "DiskTemperatureTooHot";
    return (
      a.klass === "SMART" &&
      wireText(args.message as WireValue)
        .toLowerCase()
        .includes("temperature")
    );
  });
}

export function temperatureMethods(ctx: WorldContext): MethodTable {
  const table: MethodTable = [
    ["disk.temperatures", (params) => temperatures(ctx, params)],
    ["disk.temperature_agg", (params) => temperatureAgg(ctx, params)],
    ["disk.temperature_alerts", (params) => temperatureAlerts(ctx, params)],
  ];
  if (ctx.version !== "25.10") {
    table.push([
      "disk.temperature",
      (params) => {
        maxArgs(params, 2);
        const name = stringArg(params[0], "name");
        dictArg(params[1], "options");
        const disk = attached(ctx).find((d) => d.entry.name === name);
        return disk ? current(disk) : null;
      },
    ]);
  }
  return table;
}
