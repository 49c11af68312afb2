/**
 * The NAS itself: `system.info` and `system.ready` (truenas-api.md §3.2, §3.3). Boot time is a timestamp,
 * not a ticking uptime, so nothing changes every poll but the load averages.
 */
import { NAS_DEVICE } from "../entities/ids.js";
import { bindEntities, type EntityTemplate, type GroupSnapshot, type ObjectRef } from "../entities/model.js";
import type { GroupDefinition } from "./group.js";
import { bool, date, list, num, obj, str } from "./values.js";

export interface SystemRaw {
  info: unknown;
  ready: unknown;
}

const TEMPLATES = [
  {
    component: "sensor",
    key: "version",
    name: "Version",
    field: "version",
    entityCategory: "diagnostic",
    icon: "mdi:information-outline",
  },
  {
    component: "sensor",
    key: "boot_time",
    name: "Boot time",
    field: "boot_time",
    deviceClass: "timestamp",
    entityCategory: "diagnostic",
  },
  {
    component: "sensor",
    key: "load_1m",
    name: "Load (1 min)",
    field: "load_1m",
    numeric: true,
    stateClass: "measurement",
    suggestedDisplayPrecision: 2,
    icon: "mdi:gauge",
  },
  {
    component: "sensor",
    key: "load_5m",
    name: "Load (5 min)",
    field: "load_5m",
    numeric: true,
    stateClass: "measurement",
    suggestedDisplayPrecision: 2,
    icon: "mdi:gauge",
  },
  {
    component: "sensor",
    key: "load_15m",
    name: "Load (15 min)",
    field: "load_15m",
    numeric: true,
    stateClass: "measurement",
    suggestedDisplayPrecision: 2,
    icon: "mdi:gauge",
  },
  {
    component: "sensor",
    key: "physical_memory",
    name: "Physical memory",
    field: "physical_memory",
    deviceClass: "data_size",
    unit: "B",
    stateClass: "measurement",
    suggestedDisplayPrecision: 1,
    entityCategory: "diagnostic",
  },
  {
    component: "sensor",
    key: "cpu_model",
    name: "CPU model",
    field: "cpu_model",
    entityCategory: "diagnostic",
    icon: "mdi:cpu-64-bit",
  },
  {
    component: "sensor",
    key: "cpu_cores",
    name: "CPU cores",
    field: "cpu_cores",
    numeric: true,
    entityCategory: "diagnostic",
    icon: "mdi:cpu-64-bit",
  },
  { component: "binary_sensor", key: "ready", name: "Ready", field: "ready", entityCategory: "diagnostic" },
] as const satisfies readonly EntityTemplate[];

export const SYSTEM_REF: ObjectRef = { kind: "system", id: "system" };

export const systemGroup: GroupDefinition<SystemRaw> = {
  name: "system",
  events: ["system.ready", "system.reboot"],
  async fetch({ call }) {
    const [info, ready] = await Promise.all([call("system.info"), call("system.ready")]);
    return { info, ready };
  },
  normalise(input): GroupSnapshot {
    // The container is fetch's, but normalisers take any shape (group.ts): never a TypeError on null.
    const raw = obj(input);
    const info = obj(raw.info);
    const load = list(info.loadavg);
    return {
      group: "system",
      devices: [],
      objects: [
        {
          ref: SYSTEM_REF,
          device: NAS_DEVICE,
          doc: {
            hostname: str(info.hostname),
            version: str(info.version),
            boot_time: date(info.boottime),
            load_1m: num(load[0]),
            load_5m: num(load[1]),
            load_15m: num(load[2]),
            physical_memory: num(info.physmem),
            cpu_model: str(info.model),
            cpu_cores: num(info.cores),
            physical_cores: num(info.physical_cores),
            ecc_memory: bool(info.ecc_memory),
            system_product: str(info.system_product),
            system_serial: str(info.system_serial),
            timezone: str(info.timezone),
            ready: bool(raw.ready),
          },
        },
      ],
      entities: bindEntities(TEMPLATES, SYSTEM_REF),
    };
  },
};
