/**
 * `reporting.netdata_get_data` / `reporting.get_data` and `reporting.netdata_graphs` / `reporting.graphs`
 * (truenas-api.md §3.15): graph rows at 2 s resolution for the window, identifiers checked per version, bad
 * identifiers silently dropped, graphs without a plugin failing with a KeyError.
 */
import { SimPythonError, SimValidationError } from "../rpcErrors.js";
import type { Row } from "./sampleData.js";
import { is2504, type NasState } from "./state.js";

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
const UNIT_SECONDS: Row = { HOUR: 3600, DAY: 86400, WEEK: 604800, MONTH: 2678400, YEAR: 31536000 };

/** The human disk identifier netdata graphs use, per version (netdata/utils.py get_human_disk_name). */
export function diskIdentifier(disk: Row, state: NasState): string {
  if (is2504(state.version))
    return `${String(disk.type)} | ${String(disk.model)} Model | ${String(disk.identifier)}`;
  return `${String(disk.name)} | Type: ${String(disk.type)} | Model: ${String(disk.model)} | Serial: ${String(disk.serial)}`;
}

function legendAndValues(
  name: string,
  id: string | null,
  state: NasState,
): { legend: string[]; values: number[] } | null {
  const rt = state.realtime;
  const cpu = (rt.cpu ?? {}) as Row;
  const cores = Object.keys(cpu).filter((k) => k !== "cpu");
  switch (name) {
    case "cpu":
      return {
        legend: ["cpu", ...cores],
        values: [cpu.cpu?.usage ?? 0, ...cores.map((c) => cpu[c]?.usage ?? 0)],
      };
    case "cputemp":
      return {
        legend: [...cores, "cpu"],
        values: [...cores.map((c) => cpu[c]?.temp ?? 45), cpu.cpu?.temp ?? 45],
      };
    case "memory":
      return { legend: ["available"], values: [rt.memory?.physical_memory_available ?? 0] };
    case "load":
      return {
        legend: ["shortterm", "midterm", "longterm"],
        values: (state.info.loadavg as number[]) ?? [0, 0, 0],
      };
    case "uptime":
      return { legend: ["uptime"], values: [Number(state.info.uptime_seconds ?? 0)] };
    case "arcsize":
      return { legend: ["size"], values: [rt.memory?.arc_size ?? 0] };
    case "interface": {
      const iface = (rt.interfaces ?? {})[id ?? ""] as Row | undefined;
      if (!iface) return null;
      return {
        legend: ["received", "sent"],
        values: [(iface.received_bytes_rate * 8) / 1000, (iface.sent_bytes_rate * 8) / 1000],
      };
    }
    case "disk":
    case "disktemp": {
      const disk = state.disks.find((d) => diskIdentifier(d, state) === id);
      if (!disk) return null;
      if (name === "disktemp")
        return { legend: ["temperature_value"], values: [state.temperatures[String(disk.name)] ?? 0] };
      return { legend: ["reads", "writes"], values: [1200, 3400] };
    }
    default:
      return null; // UPS graphs: no UPS on the simulated NAS, dropped like a bad identifier
  }
}

function windowOf(query: Row, now: number): { start: number; end: number } {
  if (query.unit !== undefined && (query.start !== undefined || query.end !== undefined)) {
    throw new SimValidationError([["query.unit", "Unit cannot be used together with start/end", 22]]);
  }
  const end = typeof query.end === "number" ? query.end : Math.floor(now / 1000);
  if (typeof query.start === "number") return { start: query.start, end };
  const span = (UNIT_SECONDS[String(query.unit ?? "HOUR")] as number | undefined) ?? 3600;
  return { start: end - span * Number(query.page ?? 1), end };
}

export function netdataGetData(state: NasState, params: unknown[], now: number): Row[] {
  const graphs = params[0];
  const query = (params[1] ?? {}) as Row;
  if (!Array.isArray(graphs) || graphs.length === 0)
    throw new SimValidationError([
      ["graphs", "List should have at least 1 item after validation, not 0", 22],
    ]);
  const { start, end } = windowOf(query, now);
  const out: Row[] = [];
  for (const g of graphs as Row[]) {
    const name = String(g?.name);
    if (!GRAPH_NAMES.includes(name))
      throw new SimValidationError([
        ["graphs.name", `Input should be ${GRAPH_NAMES.map((n) => `'${n}'`).join(", ")}`, 22],
      ]);
    if (NO_PLUGIN.has(name)) throw new SimPythonError("KeyError", `'${name}'`);
    const lv = legendAndValues(name, typeof g.identifier === "string" ? g.identifier : null, state);
    if (!lv) continue;
    const points = Math.min(2999, Math.max(1, Math.floor((end - start) / 2)));
    const step = (end - start) / points;
    const data = Array.from({ length: points }, (_, i) => [
      Math.round(start + i * step),
      ...lv.values.map((v, j) => v * (1 + 0.02 * Math.sin(i + j))),
    ]);
    const agg = (fn: (xs: number[]) => number): Row =>
      Object.fromEntries(lv.legend.map((l, j) => [l, fn(data.map((r) => r[j + 1] as number))]));
    out.push({
      name,
      identifier: typeof g.identifier === "string" ? g.identifier : name,
      data,
      legend: ["time", ...lv.legend],
      start,
      end,
      aggregations:
        query.aggregate === false
          ? is2504(state.version)
            ? {}
            : null
          : {
              min: agg((xs) => Math.min(...xs)),
              mean: agg((xs) => xs.reduce((a, b) => a + b, 0) / xs.length),
              max: agg((xs) => Math.max(...xs)),
            },
    });
  }
  return out;
}

export function netdataGraphs(state: NasState): Row[] {
  const disks = state.disks.map((d) => diskIdentifier(d, state));
  const ifaces = state.interfaces.map((i) => String(i.name));
  const graph = (name: string, title: string, label: string, identifiers: string[] | null): Row => ({
    name,
    title,
    vertical_label: label,
    identifiers,
  });
  return [
    graph("cpu", "CPU Usage", "%CPU", null),
    graph("cputemp", "CPU Temperature", "Celsius", null),
    graph("disk", "Disk I/O Bandwidth", "Kibibytes/s", disks),
    graph("interface", "Interface Traffic", "Kilobits/s", ifaces),
    graph("load", "System Load Average", "Processes", null),
    graph("memory", "Physical memory utilization", "Bytes", null),
    graph("uptime", "System Uptime", "Seconds", null),
    graph("arcsize", "ARC Size", "Bytes", null),
    graph("disktemp", "Disks Temperature", "Celsius", disks),
  ];
}
