/**
 * Apps, VMs, Incus instances, services and NICs, with the events TrueNAS sends for each: `app.query` changed with
 * the full entry (`app.stop` sends STOPPING then STOPPED; Docker events bring DEPLOYING then RUNNING), `vm.query`
 * changed in libvirt's vocabulary without `devices` (`plugins/vm/events.py`), `virt.instance.query` changed with
 * a partial `{status}`, `service.query` changed without an id (`plugins/service.py`).
 */
import type { AppEntry, AppState, InstanceStatus, ServiceEntry, VmEntry } from "../model.js";
import { setInterfaceLink as applyLink, servicePids } from "../profiles/buildSystem.js";
import { emptyWorkloads } from "../profiles/buildWorkloads.js";
import type { AppRecord, WorldContext } from "../state.js";

/** An app as `app.query` returns it: portals with `0.0.0.0` replaced by the host address. */
export function renderApp(app: AppRecord, hostIp: string): AppEntry {
  const entry = structuredClone(app.entry);
  entry.portals = Object.fromEntries(
    Object.entries(app.portals).map(([k, url]) => [k, url.replace("0.0.0.0", hostIp)]),
  );
  return entry;
}

export function requireApp(ctx: WorldContext, name: string): AppRecord {
  const app = ctx.state.apps.find((a) => a.entry.name === name);
  if (!app) throw new Error(`no app named ${name}`);
  return app;
}

function setAppState(ctx: WorldContext, app: AppRecord, state: AppState, containers: string | null): void {
  app.entry.state = state;
  if (containers === null) app.entry.active_workloads = emptyWorkloads();
  else {
    app.entry.active_workloads = structuredClone(app.running);
    for (const c of app.entry.active_workloads.container_details) c.state = containers;
  }
  ctx.emit({
    collection: "app.query",
    msg: "changed",
    id: app.entry.name,
    fields: renderApp(app, ctx.state.hostIp),
  });
}

/** `app.stop`: STOPPING then STOPPED (both with empty workloads, as the sample event shows). */
export function stopApp(ctx: WorldContext, name: string): void {
  const app = requireApp(ctx, name);
  setAppState(ctx, app, "STOPPING", null);
  setAppState(ctx, app, "STOPPED", null);
}

/** `app.start`: DEPLOYING (containers starting) then RUNNING. */
export function startApp(ctx: WorldContext, name: string): void {
  const app = requireApp(ctx, name);
  setAppState(ctx, app, "DEPLOYING", "starting");
  setAppState(ctx, app, "RUNNING", "running");
}

/** `app.delete`: `app.query` removed with the app name. */
export function deleteApp(ctx: WorldContext, name: string): void {
  requireApp(ctx, name);
  ctx.state.apps = ctx.state.apps.filter((a) => a.entry.name !== name);
  ctx.emit({ collection: "app.query", msg: "removed", id: name });
}

/** A container died: the app is CRASHED. */
export function crashApp(ctx: WorldContext, name: string): void {
  setAppState(ctx, requireApp(ctx, name), "CRASHED", "crashed");
}

export function setAppUpgradeAvailable(
  ctx: WorldContext,
  name: string,
  available: boolean,
  latest?: string,
): void {
  const app = requireApp(ctx, name);
  app.entry.upgrade_available = available;
  if (latest !== undefined) app.entry.latest_version = latest;
  ctx.emit({ collection: "app.query", msg: "changed", id: name, fields: renderApp(app, ctx.state.hostIp) });
}

export function requireVm(ctx: WorldContext, ref: number | string): VmEntry {
  const vm = ctx.state.vms.find((v) => v.id === ref || v.name === ref);
  if (!vm) throw new Error(`no VM ${ref}`);
  return vm;
}

/**
 * libvirt domain-state names by event code: the middleware pushes the *event* code through the *state* table,
 * so STARTED (2) reads "BLOCKED" and STOPPED (5) "SHUTOFF" (`plugins/vm/events.py`; truenas-api.md §3.12).
 */
const LIBVIRT_STATES = [
  "NOSTATE",
  "RUNNING",
  "BLOCKED",
  "SUSPENDED",
  "SHUTDOWN",
  "SHUTOFF",
  "CRASHED",
  "PMSUSPENDED",
];
const EVENT_STARTED = 2;
const EVENT_STOPPED = 5;

function emitVm(ctx: WorldContext, vm: VmEntry, eventCode: number): void {
  if (ctx.version === "25.04.0") {
    // No libvirt on 25.04.0: the VM is an Incus instance and only a partial status is sent.
    const status = vm.status.state === "RUNNING" ? "RUNNING" : "STOPPED";
    ctx.emit({ collection: "virt.instance.query", msg: "changed", id: vm.name, fields: { status } });
    return;
  }
  const { devices: _devices, ...fields } = structuredClone(vm);
  fields.status = { ...fields.status, state: fields.status.domain_state };
  ctx.emit({
    collection: "vm.query",
    msg: "changed",
    id: vm.id,
    fields,
    extra: { state: LIBVIRT_STATES[eventCode] ?? "UNKNOWN" },
  });
}

export function startVm(ctx: WorldContext, ref: number | string): void {
  const vm = requireVm(ctx, ref);
  vm.status = { state: "RUNNING", pid: ctx.rng.int(20000, 90000), domain_state: "RUNNING" };
  emitVm(ctx, vm, EVENT_STARTED);
}

export function stopVm(ctx: WorldContext, ref: number | string): void {
  const vm = requireVm(ctx, ref);
  vm.status = { state: "STOPPED", pid: null, domain_state: "SHUTOFF" };
  emitVm(ctx, vm, EVENT_STOPPED);
}

/** An Incus container or VM changes state: `virt.instance.query` changed with `{status}` only. */
export function setInstanceStatus(ctx: WorldContext, name: string, status: InstanceStatus): void {
  const inst = ctx.state.instances.find((i) => i.name === name);
  if (!inst) throw new Error(`no instance named ${name}`);
  inst.status = status;
  ctx.emit({ collection: "virt.instance.query", msg: "changed", id: name, fields: { status } });
}

/** The service rows this release has: smartd up to 25.04, nvmet from 25.10. */
export function servicesFor(ctx: WorldContext): ServiceEntry[] {
  const drop = ctx.version === "25.10" ? "smartd" : "nvmet";
  return ctx.state.services.filter((s) => s.service !== drop);
}

export function setServiceRunning(ctx: WorldContext, service: string, running: boolean): void {
  const row = servicesFor(ctx).find((s) => s.service === service);
  if (!row) throw new Error(`no service ${service} on ${ctx.version}`);
  row.state = running ? "RUNNING" : "STOPPED";
  row.pids = running ? servicePids(ctx.rng) : [];
  ctx.emit({ collection: "service.query", msg: "changed", fields: structuredClone(row) });
}

/** Cable (un)plugged: runtime state only; `interface.query` sends CRUD events only, so none here. */
export function setInterfaceLink(ctx: WorldContext, name: string, up: boolean): void {
  const iface = ctx.state.interfaces.find((i) => i.name === name);
  if (!iface) throw new Error(`no interface ${name}`);
  applyLink(iface, up);
}
