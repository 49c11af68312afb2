/**
 * VMs and containers (truenas-api.md §3.1, §3.12). VMs come from `vm.query` (libvirt, 25.04.2+ and 25.10) or,
 * on 25.04.0–25.04.1, from Incus `virt.instance.query` type VM (vm.query answers MethodNotFoundError there, so
 * that is also the fallback); containers always come from `virt.instance.query` type CONTAINER. One HA device
 * per VM/container, keyed by the immutable id: the integer VM id for vm.query, the instance name (= its `id`,
 * Incus cannot rename a running instance and TrueNAS has no rename) for Incus.
 *
 * vm.query events carry libvirt domain-state names (SHUTOFF, not STOPPED: §3.12), and virt.instance.query
 * events are partial `{status}` (§2.3), so the group re-polls on both and always reads the query vocabulary.
 */
import { deviceKey, NAS_DEVICE } from "../entities/ids.js";
import {
  bindEntities,
  type DeviceSpec,
  type EntitySpec,
  type EntityTemplate,
  type GroupSnapshot,
  type ObjectState,
} from "../entities/model.js";
import { MethodNotFoundError } from "../truenas/errors.js";
import { atLeast } from "../truenas/version.js";
import type { CallFn, GroupDefinition } from "./group.js";
import { bool, distinctLabels, finite, list, lower, num, obj, str, type Obj } from "./values.js";

/** vm.query `status.state` (plugins/vm/vms.py; ERROR when libvirt is unavailable). */
export const VM_STATES = ["running", "stopped", "suspended", "error"];
/** virt.instance.query `status`: 25.04.0 has the first three, 25.04.2+ adds the rest (§3.12). */
export const INSTANCE_STATES = [
  "running",
  "stopped",
  "unknown",
  "error",
  "frozen",
  "starting",
  "stopping",
  "freezing",
  "thawed",
  "aborting",
];

const VM_FIELDS = [
  "id",
  "name",
  "description",
  "uuid",
  "vcpus",
  "cores",
  "threads",
  "memory",
  "min_memory",
  "autostart",
  "cpu_mode",
  "bootloader",
  "status",
];
const INSTANCE_FIELDS = [
  "id",
  "name",
  "type",
  "status",
  "cpu",
  "memory",
  "autostart",
  "aliases",
  "image.os",
  "image.release",
  "image.description",
  "storage_pool",
];

export interface VmsRaw {
  /** vm.query rows, or null when VMs come from Incus. */
  vms: unknown;
  /** virt.instance.query rows (containers, plus Incus VMs when `vms` is null). */
  instances: unknown;
}

const common = (states: readonly string[]) =>
  [
    { component: "binary_sensor", key: "running", name: "Running", field: "running", deviceClass: "running" },
    {
      component: "sensor",
      key: "state",
      name: "State",
      field: "state",
      deviceClass: "enum",
      options: states,
      attributes: { from: "attributes" },
    },
    {
      component: "sensor",
      key: "vcpus",
      name: "vCPUs",
      field: "vcpus",
      numeric: true,
      icon: "mdi:cpu-64-bit",
      entityCategory: "diagnostic",
    },
  ] as const satisfies readonly EntityTemplate[];

const memory = <U extends "MiB" | "B">(unit: U) =>
  ({
    component: "sensor",
    key: "memory",
    name: "Memory",
    field: "memory",
    deviceClass: "data_size",
    unit,
    suggestedDisplayPrecision: 0,
    entityCategory: "diagnostic",
  }) as const satisfies EntityTemplate;

/** vm.query memory is MiB (§3.12), Incus memory is bytes: the unit follows the source, HA converts. */
const VM_TEMPLATES = [...common(VM_STATES), memory("MiB")] satisfies readonly EntityTemplate[];
const INSTANCE_TEMPLATES = [...common(INSTANCE_STATES), memory("B")] satisfies readonly EntityTemplate[];

async function instances(call: CallFn, types: readonly string[]): Promise<unknown> {
  const filter = types.length === 1 ? ["type", "=", types[0]] : ["type", "in", types];
  return call("virt.instance.query", [[filter], { select: INSTANCE_FIELDS }]);
}

/**
 * Incus `limits.cpu` as TrueNAS shows it: a count ("4"), a CPU set ("0-3,6"), or null (no limit). A set
 * counts its CPUs.
 */
export function incusCpuCount(v: unknown): number | null {
  const text = str(v)?.trim() ?? "";
  if (/^\d+$/.test(text)) return finite(Number(text));
  if (!/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(text)) return null;
  let count = 0;
  for (const part of text.split(",")) {
    const [a, b] = part.split("-").map(Number);
    count += b === undefined ? 1 : Math.max(0, (b ?? 0) - (a ?? 0) + 1);
  }
  return finite(count);
}

interface Built {
  device: DeviceSpec;
  object: ObjectState;
  entities: EntitySpec[];
}

function libvirtVm(v: Obj, hostname: string): Built | null {
  const id = num(v.id);
  if (id === null) return null;
  const ref = { kind: "vm", id: String(id) };
  const name = str(v.name) ?? `vm${id}`;
  const status = obj(v.status);
  const state = lower(status.state);
  const [sockets, cores, threads] = [num(v.vcpus), num(v.cores), num(v.threads)];
  // vm.create: "vcpus specifies total number of CPU sockets, cores per socket, threads per core".
  const vcpus = sockets === null ? null : finite(sockets * (cores ?? 1) * (threads ?? 1));
  const key = deviceKey(ref);
  return {
    device: {
      key,
      name: `${hostname} VM ${name}`,
      manufacturer: "TrueNAS",
      model: "Virtual machine",
      viaDevice: NAS_DEVICE,
    },
    object: {
      ref,
      device: key,
      // ERROR means libvirt is unavailable (§3.12): running is then unknown, not false.
      doc: {
        name,
        state,
        running: state === null || state === "error" ? null : state === "running",
        vcpus,
        memory: num(v.memory),
      },
      attributes: {
        description: str(v.description),
        uuid: str(v.uuid),
        autostart: bool(v.autostart),
        sockets,
        cores,
        threads,
        min_memory_mib: num(v.min_memory),
        cpu_mode: str(v.cpu_mode),
        bootloader: str(v.bootloader),
        pid: num(status.pid),
        domain_state: str(status.domain_state),
      },
    },
    entities: bindEntities(VM_TEMPLATES, ref),
  };
}

function incusInstance(i: Obj, hostname: string): Built | null {
  const name = str(i.id) ?? str(i.name);
  const type = str(i.type);
  if (name === null || (type !== "VM" && type !== "CONTAINER")) return null;
  const ref = { kind: type === "VM" ? "vm" : "container", id: name };
  const state = lower(i.status);
  const image = obj(i.image);
  const key = deviceKey(ref);
  return {
    device: {
      key,
      name: `${hostname} ${type === "VM" ? "VM" : "container"} ${name}`,
      manufacturer: "TrueNAS (Incus)",
      model: type === "VM" ? "Virtual machine" : "Container",
      viaDevice: NAS_DEVICE,
    },
    object: {
      ref,
      device: key,
      doc: {
        name,
        state,
        running: state === null || state === "unknown" ? null : state === "running",
        vcpus: incusCpuCount(i.cpu),
        memory: num(i.memory),
      },
      attributes: {
        type,
        autostart: bool(i.autostart),
        cpu: str(i.cpu),
        image: str(image.description),
        os: str(image.os),
        release: str(image.release),
        storage_pool: str(i.storage_pool),
        addresses: list(i.aliases)
          .map((a) => str(obj(a).address))
          .filter((a): a is string => a !== null),
      },
    },
    entities: bindEntities(INSTANCE_TEMPLATES, ref),
  };
}

export const vmsGroup: GroupDefinition<VmsRaw> = {
  name: "vms",
  events: ["vm.query", "virt.instance.query"],
  async fetch({ call, version }) {
    if (atLeast(version, "25.04.2")) {
      try {
        const vms = await call("vm.query", [[], { select: VM_FIELDS }]);
        let containers: unknown = [];
        try {
          containers = await instances(call, ["CONTAINER"]);
        } catch (err) {
          // A NAS without Incus (26.x replaces it with container.*) still shows its VMs.
          if (!(err instanceof MethodNotFoundError)) throw err;
        }
        return { vms, instances: containers };
      } catch (err) {
        if (!(err instanceof MethodNotFoundError) || err.method !== "vm.query") throw err;
      }
    }
    // 25.04.0–25.04.1: VMs are Incus instances; one call for VMs and containers.
    return { vms: null, instances: await instances(call, ["VM", "CONTAINER"]) };
  },
  normalise(raw, { nas }): GroupSnapshot {
    const r = obj(raw);
    const built = [
      ...list(r.vms).map((v) => libvirtVm(obj(v), nas.hostname)),
      ...list(r.instances).map((i) => incusInstance(obj(i), nas.hostname)),
    ];
    const seen = new Set<string>();
    const unique = built.filter((b): b is Built => {
      if (b === null || seen.has(b.device.key)) return false;
      seen.add(b.device.key);
      return true;
    });
    // A VM without a name is `vm<id>`, which another VM may be called: names must tell devices apart.
    const names = distinctLabels(unique.map((b) => ({ label: b.device.name, id: b.object.ref.id })));
    return {
      group: "vms",
      devices: unique.map((b, i) => ({ ...b.device, name: names[i] ?? b.device.name })),
      objects: unique.map((b) => b.object),
      entities: unique.flatMap((b) => b.entities),
    };
  },
};
