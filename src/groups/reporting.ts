/**
 * Reporting: the `reporting.realtime` event source (truenas-api.md §2.4), read at the group's own schedule
 * (default every 10 s, not every 2 s) so Home Assistant's database is not flooded. CPU temperature comes
 * from `reporting.netdata_get_data` (`cputemp`, last minute) only when realtime has none (§3.15).
 * CPU, memory, ARC and disk I/O on the NAS device; one object per network interface for its rates.
 */
import { NAS_DEVICE } from "../entities/ids.js";
import { bindEntities, type EntityTemplate, type GroupSnapshot, type ObjectRef } from "../entities/model.js";
import type { GroupDefinition } from "./group.js";
import { finite, list, lower, num, obj, percent, round } from "./values.js";

/** Realtime events every 2 s (the netdata resolution); the group reads the latest at its schedule. */
export const REALTIME_SOURCE = 'reporting.realtime:{"interval":2}';

export interface ReportingRaw {
  realtime: unknown;
  /** Mean CPU temperature over the last minute from netdata, when realtime has no temperature. */
  cpuTemp: number | null;
}

const RATE = {
  deviceClass: "data_rate",
  unit: "B/s",
  stateClass: "measurement",
  suggestedDisplayPrecision: 0,
} as const;
const BYTES = {
  deviceClass: "data_size",
  unit: "B",
  stateClass: "measurement",
  suggestedDisplayPrecision: 1,
} as const;

const NAS_TEMPLATES = [
  {
    component: "sensor",
    key: "cpu_usage",
    name: "CPU usage",
    field: "cpu_usage",
    numeric: true,
    unit: "%",
    stateClass: "measurement",
    suggestedDisplayPrecision: 1,
    icon: "mdi:cpu-64-bit",
  },
  {
    component: "sensor",
    key: "cpu_temperature",
    name: "CPU temperature",
    field: "cpu_temperature",
    deviceClass: "temperature",
    unit: "°C",
    stateClass: "measurement",
    suggestedDisplayPrecision: 1,
  },
  { component: "sensor", key: "memory_used", name: "Memory used", field: "memory_used", ...BYTES },
  {
    component: "sensor",
    key: "memory_available",
    name: "Memory available",
    field: "memory_available",
    ...BYTES,
  },
  {
    component: "sensor",
    key: "memory_usage",
    name: "Memory usage",
    field: "memory_usage",
    numeric: true,
    unit: "%",
    stateClass: "measurement",
    suggestedDisplayPrecision: 1,
    icon: "mdi:memory",
  },
  { component: "sensor", key: "arc_size", name: "ARC size", field: "arc_size", ...BYTES },
  {
    component: "sensor",
    key: "arc_hit_ratio",
    name: "ARC hit ratio",
    field: "arc_hit_ratio",
    numeric: true,
    unit: "%",
    stateClass: "measurement",
    suggestedDisplayPrecision: 1,
    icon: "mdi:memory",
  },
  { component: "sensor", key: "disk_read", name: "Disk read", field: "disk_read", ...RATE },
  { component: "sensor", key: "disk_write", name: "Disk write", field: "disk_write", ...RATE },
  {
    component: "sensor",
    key: "disk_busy",
    name: "Disk busy",
    field: "disk_busy",
    numeric: true,
    unit: "%",
    stateClass: "measurement",
    entityCategory: "diagnostic",
  },
] as const satisfies readonly EntityTemplate[];

const NIC_TEMPLATES = [
  { component: "sensor", key: "received", name: "received", field: "received", ...RATE },
  { component: "sensor", key: "sent", name: "sent", field: "sent", ...RATE },
] as const satisfies readonly EntityTemplate[];

export const REPORTING_REF: ObjectRef = { kind: "reporting", id: "realtime" };

/** Mean of the `cpu` column of a netdata `cputemp` answer (zeros are gaps, §3.15). */
function meanCpuTemp(answer: unknown): number | null {
  const graph = obj(list(answer)[0]);
  const column = list(graph.legend).indexOf("cpu");
  if (column < 0) return null;
  const values = list(graph.data)
    .map((row) => num(list(row)[column]))
    .filter((v): v is number => v !== null && v > 0);
  return values.length === 0 ? null : finite(values.reduce((a, b) => a + b, 0) / values.length);
}

export const reportingGroup: GroupDefinition<ReportingRaw> = {
  name: "reporting",
  source: REALTIME_SOURCE,
  async fetch({ call, latest }) {
    if (latest === undefined) return { realtime: undefined, cpuTemp: null };
    const temp = num(obj(obj(obj(latest).cpu).cpu).temp);
    if (temp !== null) return { realtime: latest, cpuTemp: null };
    const end = Math.floor(Date.now() / 1000);
    const answer = await call("reporting.netdata_get_data", [
      [{ name: "cputemp" }],
      { start: end - 60, end, aggregate: false },
    ]);
    return { realtime: latest, cpuTemp: meanCpuTemp(answer) };
  },
  normalise(input): GroupSnapshot {
    const raw = obj(input);
    // Before the first realtime event (or when 25.04's netdata is down) there is nothing to show yet.
    const rt = obj(raw.realtime);
    if (raw.realtime === undefined || rt.failed_to_connect === true)
      return { group: "reporting", devices: [], objects: [], entities: [] };
    const mem = obj(rt.memory);
    const total = num(mem.physical_memory_total);
    const available = num(mem.physical_memory_available);
    const used = total !== null && available !== null ? finite(total - available) : null;
    const disks = obj(rt.disks);
    const cpu = obj(obj(rt.cpu).cpu);
    const objects: GroupSnapshot["objects"][number][] = [
      {
        ref: REPORTING_REF,
        device: NAS_DEVICE,
        doc: {
          cpu_usage: round(num(cpu.usage)),
          cpu_temperature: round(num(cpu.temp) ?? num(raw.cpuTemp)),
          memory_total: total,
          memory_available: available,
          memory_used: used,
          memory_usage: percent(used, total),
          arc_size: num(mem.arc_size),
          arc_hit_ratio: num(obj(rt.zfs).demand_data_hit_percentage),
          disk_read: num(disks.read_bytes),
          disk_write: num(disks.write_bytes),
          disk_busy: round(num(disks.busy)),
        },
      },
    ];
    const entities = bindEntities(NAS_TEMPLATES, REPORTING_REF);
    for (const [name, value] of Object.entries(obj(rt.interfaces))) {
      const nic = obj(value);
      const ref: ObjectRef = { kind: "nicrate", id: name };
      objects.push({
        ref,
        device: NAS_DEVICE,
        doc: {
          link_state: lower(nic.link_state),
          received: num(nic.received_bytes_rate),
          sent: num(nic.sent_bytes_rate),
        },
      });
      entities.push(...bindEntities(NIC_TEMPLATES, ref, { namePrefix: name }));
    }
    return { group: "reporting", devices: [], objects, entities };
  },
};
