/**
 * Netdata history: `reporting.netdata_get_data` (alias `reporting.get_data`) and `reporting.netdata_graphs`
 * (alias `reporting.graphs`) (`plugins/reporting/graphs.py`, `netdata/graph_base.py`; truenas-api.md §3.15).
 * Rows at 2 s resolution (coarser beyond 2999 points), invalid identifiers dropped silently, plugin-less graphs
 * failing with a KeyError, `aggregations` null on 25.10 and `{}` on 25.04 when not aggregated.
 */
import { SimPythonError, SimValidationError } from "../../rpcErrors.js";
import { isDict, maxArgs, queryArgs, runQuery } from "../args.js";
import type { WireObject } from "../model.js";
import { diskGraphIdentifier } from "../profiles/buildStorage.js";
import * as series from "../reportingData.js";
import type { WorldContext } from "../state.js";
import type { MethodTable } from "./system.js";

/** The model's Literal of graph names (api/v25_10_0/reporting.py). */
const GRAPH_NAMES = [
  "cpu",
  "cputemp",
  "disk",
  "interface",
  "load",
  "processes",
  "memory",
  "uptime",
  "arcactualrate",
  "arcrate",
  "arcsize",
  "arcresult",
  "disktemp",
  "upscharge",
  "upsruntime",
  "upsvoltage",
  "upscurrent",
  "upsfrequency",
  "upsload",
  "upstemperature",
];
const NO_PLUGIN = new Set(["processes", "arcactualrate", "arcrate", "arcresult"]);
const UNIT_SECONDS: Readonly<Record<string, number>> = {
  HOUR: 3600,
  DAY: 86400,
  WEEK: 604800,
  MONTH: 2592000,
  YEAR: 31536000,
};

interface GraphDef {
  name: string;
  title: string;
  label: string;
  identifiers: ((ctx: WorldContext) => string[]) | null;
  legend: (ctx: WorldContext) => string[];
  /** null: the identifier is not valid (the graph is dropped). */
  rows: (ctx: WorldContext, id: string | null) => ((t: number) => number[]) | null;
  skipZeros?: boolean;
}

const cores = (ctx: WorldContext): string[] => ctx.metrics.current.cpu.cores.map((_, i) => `cpu${i}`);
const diskIds = (ctx: WorldContext): string[] =>
  ctx.state.disks
    .filter((d) => d.entry.expiretime === null)
    .map((d) => diskGraphIdentifier(d.entry, ctx.version));
const diskById = (ctx: WorldContext, id: string | null) =>
  ctx.state.disks.find(
    (d) => d.entry.expiretime === null && diskGraphIdentifier(d.entry, ctx.version) === id,
  );

const GRAPHS: readonly GraphDef[] = [
  {
    name: "cpu",
    title: "CPU Usage",
    label: "%CPU",
    identifiers: null,
    legend: (c) => ["cpu", ...cores(c)],
    rows: (c) => (t) => series.cpuRow(c, t),
  },
  {
    name: "cputemp",
    title: "CPU Temperature",
    label: "Celsius",
    identifiers: null,
    legend: (c) => [...cores(c), "cpu"],
    rows: (c) => (t) => series.cpuTempRow(c, t),
    skipZeros: true,
  },
  {
    name: "memory",
    title: "Physical memory available",
    label: "Bytes",
    identifiers: null,
    legend: () => ["available"],
    rows: (c) => (t) => series.memoryRow(c, t),
  },
  {
    name: "disk",
    title: "Disk I/O ({identifier})",
    label: "Kibibytes/s",
    identifiers: diskIds,
    legend: () => ["reads", "writes"],
    rows: (c, id) => {
      const disk = diskById(c, id);
      return disk ? (t) => series.diskRow(disk, t) : null;
    },
  },
  {
    name: "interface",
    title: "Interface Traffic ({identifier})",
    label: "Kilobits/s",
    identifiers: (c) => c.state.interfaces.map((i) => i.name),
    legend: () => ["received", "sent"],
    rows: (c, id) => {
      const iface = c.state.interfaces.find((i) => i.name === id);
      const up = iface?.state.link_state === "LINK_STATE_UP";
      return iface ? (t) => series.interfaceRow(c, iface.name, up, t) : null;
    },
  },
  {
    name: "load",
    title: "System Load Average",
    label: "Load",
    identifiers: null,
    legend: () => ["shortterm", "midterm", "longterm"],
    rows: (c) => (t) => series.loadRow(c, t),
  },
  {
    name: "uptime",
    title: "System Uptime",
    label: "Seconds",
    identifiers: null,
    legend: () => ["uptime"],
    rows: (c) => (t) => series.uptimeRow(c, t),
  },
  {
    name: "arcsize",
    title: "ARC Size",
    label: "bytes",
    identifiers: null,
    legend: () => ["size"],
    rows: (c) => (t) => series.arcRow(c, t),
  },
  {
    name: "disktemp",
    title: "Disk Temperature {identifier}",
    label: "Celsius",
    identifiers: diskIds,
    legend: () => ["temperature_value"],
    rows: (c, id) => {
      const disk = diskById(c, id);
      return disk ? (t) => [series.diskTempAt(disk, t)] : null;
    },
    skipZeros: true,
  },
];

function invalid(attr: string, message: string): SimValidationError {
  return new SimValidationError([[attr, message, 22]]);
}

interface Window {
  start: number;
  end: number;
  aggregate: boolean;
}

function parseWindow(raw: unknown, nowSec: number): Window {
  if (raw === undefined || raw === null) return { start: nowSec - 3600, end: nowSec, aggregate: true };
  if (!isDict(raw)) throw invalid("query", "Input should be a valid dictionary");
  const { unit, page = 1, aggregate = true, start, end } = raw;
  if (typeof aggregate !== "boolean") throw invalid("query.aggregate", "Input should be a valid boolean");
  for (const [k, v] of [
    ["start", start],
    ["end", end],
  ] as const) {
    if (v !== undefined && v !== null && (typeof v !== "number" || !Number.isInteger(v) || v <= 0)) {
      throw invalid(`query.${k}`, "Input should be greater than 0");
    }
  }
  if (typeof page !== "number" || !Number.isInteger(page) || page < 1)
    throw invalid("query.page", "Input should be greater than or equal to 1");
  if (unit !== undefined && unit !== null) {
    if (typeof unit !== "string" || !(unit in UNIT_SECONDS)) {
      throw invalid("query.unit", "Input should be 'HOUR', 'DAY', 'WEEK', 'MONTH' or 'YEAR'");
    }
    if (start !== undefined || end !== undefined)
      throw invalid("query", "Value error, unit and start/end cannot be used together");
    return { start: nowSec - (UNIT_SECONDS[unit] as number) * page, end: nowSec, aggregate };
  }
  const e = typeof end === "number" ? end : nowSec;
  return { start: typeof start === "number" ? start : e - 3600, end: e, aggregate };
}

function parseGraphs(raw: unknown): Array<{ name: string; identifier: string | null }> {
  if (!Array.isArray(raw)) throw invalid("graphs", "Input should be a valid list");
  if (raw.length === 0) throw invalid("graphs", "List should have at least 1 item after validation, not 0");
  return raw.map((g, i) => {
    if (!isDict(g)) throw invalid(`graphs.${i}`, "Input should be a valid dictionary");
    if (typeof g.name !== "string" || !GRAPH_NAMES.includes(g.name)) {
      throw invalid(`graphs.${i}.name`, `Input should be ${GRAPH_NAMES.map((n) => `'${n}'`).join(", ")}`);
    }
    const id = g.identifier ?? null;
    if (id !== null && typeof id !== "string")
      throw invalid(`graphs.${i}.identifier`, "Input should be a valid string");
    return { name: g.name, identifier: id };
  });
}

function aggregations(legend: string[], data: number[][], skipZeros: boolean): WireObject {
  const out: Record<string, Record<string, number | null>> = { min: {}, mean: {}, max: {} };
  legend.forEach((name, i) => {
    const values = data.map((row) => row[i + 1] as number).filter((v) => !skipZeros || v !== 0);
    const r = (x: number): number => Math.round(x * 100) / 100;
    (out.min as Record<string, number | null>)[name] = values.length ? r(Math.min(...values)) : null;
    (out.mean as Record<string, number | null>)[name] = values.length
      ? r(values.reduce((s, v) => s + v, 0) / values.length)
      : null;
    (out.max as Record<string, number | null>)[name] = values.length ? r(Math.max(...values)) : null;
  });
  return out;
}

function getData(ctx: WorldContext, params: unknown[]): WireObject[] {
  maxArgs(params, 2);
  const graphs = parseGraphs(params[0]);
  const win = parseWindow(params[1], Math.floor(ctx.now() / 1000));
  if (ctx.state.netdataDown) return [];
  const step = Math.max(2, Math.ceil((win.end - win.start) / 2999));
  const out: WireObject[] = [];
  for (const g of graphs) {
    if (NO_PLUGIN.has(g.name)) throw new SimPythonError("KeyError", `'${g.name}'`);
    const def = GRAPHS.find((d) => d.name === g.name);
    const rowAt = def?.rows(ctx, g.identifier);
    if (!def || !rowAt) continue;
    const data: number[][] = [];
    for (let t = win.start; t < win.end; t += step) data.push([t, ...rowAt(t)]);
    if (data.length > 0 && (data[data.length - 1] as number[]).slice(1).every((v) => v === 0)) data.pop();
    const legend = def.legend(ctx);
    const aggs = win.aggregate
      ? aggregations(legend, data, def.skipZeros ?? false)
      : ctx.version === "25.10"
        ? null
        : {};
    out.push({
      name: def.name,
      identifier: def.identifiers ? g.identifier : def.name,
      data,
      aggregations: aggs,
      start: win.start,
      end: win.end,
      legend: ["time", ...legend],
    });
  }
  return out;
}

function graphList(ctx: WorldContext, params: unknown[]): unknown {
  const rows = GRAPHS.map((g) => ({
    name: g.name,
    title: g.title,
    vertical_label: g.label,
    identifiers: g.identifiers ? g.identifiers(ctx) : null,
  }));
  return runQuery(rows, queryArgs(params));
}

export function reportingMethods(ctx: WorldContext): MethodTable {
  const data = (params: unknown[]): unknown => getData(ctx, params);
  const graphs = (params: unknown[]): unknown => graphList(ctx, params);
  return [
    ["reporting.netdata_get_data", data],
    ["reporting.get_data", data],
    ["reporting.netdata_graphs", graphs],
    ["reporting.graphs", graphs],
  ];
}
