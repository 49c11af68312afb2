/**
 * Adding and removing the simulated NAS's named objects (apps, VMs, Incus containers, network interfaces) with any
 * name at all, for the hostile-name tests (issue 6). Each change emits the CRUD event TrueNAS sends for it
 * (truenas-api.md §2.3: app.query, vm.query and interface.query carry the full entry, virt.instance.query CRUD
 * events the instance).
 *
 * TrueNAS itself is stricter than these functions, on purpose: app names are lower-case words joined by `-`
 * (at most 40 characters), `vm.create` takes only alphanumerics and `_`, Incus instance names are host names,
 * Linux interface names are at most 15 bytes without `/` or white space, and ZFS dataset components allow only
 * alphanumerics, `-_.:` and space. A middleware bug, a future version or a name created outside the API can still
 * hand the bridge anything, so the simulator accepts every string.
 */
import type { CollectionEvent } from "../types.js";
import type { Row } from "./sampleData.js";
import type { NasState } from "./state.js";

type Emit = (e: CollectionEvent) => void;

export interface AddAppOptions {
  /** `metadata.title` (what HA shows); default the name, as for a custom app. */
  readonly title?: string;
  readonly state?: "RUNNING" | "STOPPED" | "DEPLOYING" | "CRASHED";
}

export interface AddVmOptions {
  readonly running?: boolean;
}

export interface AddInterfaceOptions {
  readonly up?: boolean;
}

/** Stores `value` under `key` as an own property, even for `__proto__` (assignment would set the prototype). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function template(rows: readonly Row[], what: string, pick: (r: Row) => boolean = () => true): Row {
  const row = rows.find(pick) ?? rows[0];
  if (!row) throw new Error(`this profile has no ${what} to copy`);
  return structuredClone(row);
}

export function addApp(s: NasState, emit: Emit, name: string, opts: AddAppOptions = {}): Row {
  const app = template(s.apps, "app", (a) => a.state === "RUNNING");
  Object.assign(app, {
    name,
    id: name,
    state: opts.state ?? "RUNNING",
    custom_app: true,
    upgrade_available: false,
    image_updates_available: false,
    portals: {},
    metadata: { ...(app.metadata as Row), title: opts.title ?? name, name, train: "custom" },
  });
  s.apps.push(app);
  emit({ collection: "app.query", msg: "added", id: name, fields: structuredClone(app) });
  return app;
}

/** An Incus instance copied from the profile's first of that type. */
function instanceRow(s: NasState, name: string, type: "VM" | "CONTAINER", running: boolean): Row {
  const inst = template(s.instances, "virt instance", (i) => i.type === type);
  Object.assign(inst, { id: name, name, type, status: running ? "RUNNING" : "STOPPED", aliases: [] });
  return inst;
}

/**
 * A VM named `name`; returns its integer id. On 25.04.0 VMs are Incus instances (truenas-api.md §6.2), so the
 * instance is what the NAS lists and announces; later versions announce the vm.query entry.
 */
export function addVm(s: NasState, emit: Emit, name: string, opts: AddVmOptions = {}): number {
  const running = opts.running ?? false;
  const vm = template(s.vms, "VM");
  const id = Math.max(0, ...s.vms.map((v) => Number(v.id) || 0)) + 1;
  Object.assign(vm, {
    id,
    name,
    description: "",
    uuid: `00000000-0000-4000-8000-${id.toString(16).padStart(12, "0")}`,
    autostart: false,
    status: {
      state: running ? "RUNNING" : "STOPPED",
      pid: running ? 4242 + id : null,
      domain_state: running ? "RUNNING" : "SHUTOFF",
    },
  });
  s.vms.push(vm);
  if (s.version === "25.04.0") {
    const inst = instanceRow(s, name, "VM", running);
    s.instances.push(inst);
    emit({ collection: "virt.instance.query", msg: "added", id: name, fields: structuredClone(inst) });
  } else {
    emit({ collection: "vm.query", msg: "added", id, fields: structuredClone(vm) });
  }
  return id;
}

/** `vm.update` with a new name: the id stays, only what HA shows changes. Not available on 25.04.0 (Incus). */
export function renameVm(s: NasState, emit: Emit, id: number, name: string): void {
  if (s.version === "25.04.0") throw new Error("Incus instances cannot be renamed");
  const vm = s.vms.find((v) => v.id === id);
  if (!vm) throw new Error(`no VM with id ${id}`);
  vm.name = name;
  emit({ collection: "vm.query", msg: "changed", id, fields: structuredClone(vm) });
}

export function deleteVm(s: NasState, emit: Emit, id: number): void {
  const vm = s.vms.find((v) => v.id === id);
  if (!vm) throw new Error(`no VM with id ${id}`);
  s.vms = s.vms.filter((v) => v !== vm);
  if (s.version === "25.04.0") deleteInstance(s, emit, String(vm.name));
  else emit({ collection: "vm.query", msg: "removed", id });
}

/** An Incus container (virt.instance.query type CONTAINER, keyed by name on every version). */
export function addContainer(s: NasState, emit: Emit, name: string, running = true): Row {
  const inst = instanceRow(s, name, "CONTAINER", running);
  s.instances.push(inst);
  emit({ collection: "virt.instance.query", msg: "added", id: name, fields: structuredClone(inst) });
  return inst;
}

export function deleteInstance(s: NasState, emit: Emit, name: string): void {
  const before = s.instances.length;
  s.instances = s.instances.filter((i) => i.name !== name);
  if (s.instances.length === before) throw new Error(`no instance named ${name}`);
  emit({ collection: "virt.instance.query", msg: "removed", id: name });
}

/** An interface in interface.query and in the realtime stats (which key interfaces by name, §2.4). */
export function addInterface(s: NasState, emit: Emit, name: string, opts: AddInterfaceOptions = {}): Row {
  const up = opts.up ?? true;
  const iface = template(s.interfaces, "interface", (i) => i.type === "PHYSICAL");
  const n = s.interfaces.length;
  const mac = `02:00:00:00:${(n >> 8).toString(16).padStart(2, "0")}:${(n & 255).toString(16).padStart(2, "0")}`;
  Object.assign(iface, { id: name, name, description: "", aliases: [] });
  iface.state = {
    ...(iface.state as Row),
    name,
    orig_name: name,
    description: name,
    link_state: up ? "LINK_STATE_UP" : "LINK_STATE_DOWN",
    active_media_subtype: up ? "1000Mb/s" : "Unknown",
    link_address: mac,
    aliases: [{ type: "LINK", address: mac }],
  };
  s.interfaces.push(iface);
  const rt = (s.realtime.interfaces ??= {}) as Record<string, unknown>;
  setOwn(rt, name, {
    link_state: up ? "LINK_STATE_UP" : "LINK_STATE_DOWN",
    speed: up ? 1000 : 0,
    received_bytes_rate: up ? 2048 : 0,
    sent_bytes_rate: up ? 1024 : 0,
  });
  emit({ collection: "interface.query", msg: "added", id: name, fields: structuredClone(iface) });
  return iface;
}

export function removeInterface(s: NasState, emit: Emit, name: string): void {
  const before = s.interfaces.length;
  s.interfaces = s.interfaces.filter((i) => i.name !== name);
  if (s.interfaces.length === before) throw new Error(`no interface named ${name}`);
  const rt = s.realtime.interfaces as Record<string, unknown> | undefined;
  if (rt && Object.hasOwn(rt, name)) delete rt[name];
  emit({ collection: "interface.query", msg: "removed", id: name });
}
