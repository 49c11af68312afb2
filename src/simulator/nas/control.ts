/**
 * What tests, the demo and the benchmarks can do to the simulated NAS. Each change emits exactly the events a
 * real NAS sends for it (truenas-api.md §2.3): full entries for pool/app/vm/disk/service changes, partial
 * `{status}` for virt instances and `{state}` for replication, no id for service.query and zfs.pool.scan.
 */
import { randomUUID } from "node:crypto";
import type { CollectionEvent } from "../types.js";
import { renderDataset, sizeProperty } from "./datasets.js";
import type { JobBook } from "./jobs.js";
import type { Row } from "./sampleData.js";
import { is2504, type NasState } from "./state.js";
import { updateStatus } from "./methods.js";
import * as named from "./namedObjects.js";

/** libvirt domain-state names used in vm.query *events* (plugins/vm/events.py). */
const VM_EVENT_STATE: Record<string, string> = {
  RUNNING: "RUNNING",
  STOPPED: "SHUTOFF",
  SUSPENDED: "SUSPENDED",
};

export interface AlertSpec {
  klass: string;
  level: "INFO" | "NOTICE" | "WARNING" | "ERROR" | "CRITICAL" | "ALERT" | "EMERGENCY";
  formatted: string;
  args?: unknown;
  source?: string;
}

export class NasControl {
  constructor(
    private readonly s: () => NasState,
    private readonly emit: (e: CollectionEvent) => void,
    private readonly jobs: JobBook,
    private readonly now: () => number,
  ) {}

  #pool(name: string): Row {
    const pool = this.s().pools.find((p) => p.name === name);
    if (!pool) throw new Error(`no pool named ${name}`);
    return pool;
  }

  #poolChanged(pool: Row): void {
    this.emit({ collection: "pool.query", msg: "changed", id: pool.id, fields: structuredClone(pool) });
  }

  /** A data disk faults: the pool goes DEGRADED, unhealthy, and a VolumeStatus alert is raised. */
  degradePool(name: string): string {
    const pool = this.#pool(name);
    const leaf = (pool.topology?.data?.[0]?.children?.[0] ?? null) as Row | null;
    if (leaf) {
      leaf.status = "FAULTED";
      leaf.stats = { ...(leaf.stats as Row), read_errors: 3, write_errors: 12, checksum_errors: 0 };
      if (pool.topology?.data?.[0]) (pool.topology.data[0] as Row).status = "DEGRADED";
    }
    Object.assign(pool, {
      status: "DEGRADED",
      healthy: false,
      warning: false,
      status_code: "FAULTED_DEV_R",
      status_detail: "One or more devices are faulted in response to persistent errors.",
    });
    this.#poolChanged(pool);
    return this.raiseAlert({
      klass: "VolumeStatus",
      level: "CRITICAL",
      source: "VolumeStatus",
      args: { volume: name, state: "DEGRADED" },
      formatted: `Pool ${name} state is DEGRADED: One or more devices are faulted in response to persistent errors.`,
    });
  }

  /** Undo degradePool: ONLINE, healthy, the VolumeStatus alert cleared. */
  restorePool(name: string): void {
    const pool = this.#pool(name);
    for (const vdev of (pool.topology?.data ?? []) as Row[]) {
      vdev.status = "ONLINE";
      for (const leaf of (vdev.children ?? []) as Row[]) {
        leaf.status = "ONLINE";
        leaf.stats = { ...(leaf.stats as Row), read_errors: 0, write_errors: 0, checksum_errors: 0 };
      }
    }
    Object.assign(pool, {
      status: "ONLINE",
      healthy: true,
      warning: false,
      status_code: "OK",
      status_detail: null,
    });
    this.#poolChanged(pool);
    for (const a of this.s().alerts.filter(
      (x) => x.klass === "VolumeStatus" && (x.args as Row | null)?.volume === name,
    )) {
      this.clearAlert(String(a.uuid));
    }
  }

  startScrub(name: string): void {
    const pool = this.#pool(name);
    pool.scan = {
      function: "SCRUB",
      state: "SCANNING",
      start_time: new Date(this.now()),
      end_time: null,
      percentage: 0,
      bytes_to_process: 0,
      bytes_processed: Number(pool.allocated ?? 0),
      bytes_issued: 0,
      pause: null,
      errors: 0,
      total_secs_left: 3600,
    };
    this.emit({
      collection: "zfs.pool.scan",
      msg: "changed",
      fields: { scan: structuredClone(pool.scan), name },
    });
  }

  finishScrub(name: string, errors = 0): void {
    const pool = this.#pool(name);
    pool.scan = {
      ...(pool.scan as Row),
      state: "FINISHED",
      end_time: new Date(this.now()),
      percentage: 100,
      errors,
      total_secs_left: null,
    };
    this.emit({
      collection: "zfs.pool.scan",
      msg: "changed",
      fields: { scan: structuredClone(pool.scan), name },
    });
  }

  removeDisk(name: string): void {
    const s = this.s();
    const i = s.disks.findIndex((d) => d.name === name);
    if (i === -1) throw new Error(`no disk named ${name}`);
    const [disk] = s.disks.splice(i, 1) as [Row];
    disk.expiretime = new Date(this.now());
    s.expiredDisks.push(disk);
    delete s.temperatures[name];
    this.emit({ collection: "disk.query", msg: "removed", id: disk.identifier });
  }

  addDisk(partial: Row = {}): Row {
    const s = this.s();
    const template = s.disks.find((d) => d.type === "HDD") ?? s.disks[0] ?? {};
    const n = s.nextDiskNumber++;
    const disk: Row = {
      ...structuredClone(template),
      name: `sdx${n}`,
      devname: `sdx${n}`,
      serial: `NEW${n}`,
      identifier: `{serial}NEW${n}`,
      pool: null,
      zfs_guid: null,
      expiretime: null,
      number: n,
      ...partial,
    };
    s.disks.push(disk);
    s.temperatures[String(disk.name)] = 30;
    this.emit({ collection: "disk.query", msg: "added", id: disk.identifier, fields: structuredClone(disk) });
    return disk;
  }

  setTemperature(disk: string, celsius: number | null): void {
    this.s().temperatures[disk] = celsius;
  }

  createDataset(name: string, usedBytes = 98304): void {
    const s = this.s();
    const template = s.datasets[0] as Row;
    const d: Row = {
      ...structuredClone(template),
      id: name,
      name,
      pool: name.split("/")[0],
      type: "FILESYSTEM",
      mountpoint: `/mnt/${name}`,
      used: sizeProperty(usedBytes),
      encrypted: false,
      locked: false,
      encryption_root: null,
      key_loaded: false,
    };
    s.datasets.push(d);
    const opts = {
      flat: true,
      retrieveChildren: true,
      properties: null,
      userProps: true,
      withChildren: true,
    };
    this.emit({
      collection: "pool.dataset.query",
      msg: "added",
      id: name,
      fields: renderDataset(d, opts, new Map(), s.version),
    });
  }

  /** A ZFS destroy (also from the CLI) sends `removed` with the dataset name. */
  destroyDataset(name: string): void {
    const s = this.s();
    const gone = s.datasets.filter((d) => d.id === name || String(d.id).startsWith(`${name}/`));
    s.datasets = s.datasets.filter((d) => !gone.includes(d));
    for (const d of gone) this.emit({ collection: "pool.dataset.query", msg: "removed", id: d.id });
  }

  #app(name: string): Row {
    const app = this.s().apps.find((a) => a.name === name);
    if (!app) throw new Error(`no app named ${name}`);
    return app;
  }

  #appState(app: Row, state: string): void {
    app.state = state;
    this.emit({ collection: "app.query", msg: "changed", id: app.name, fields: structuredClone(app) });
  }

  /** app.stop sends STOPPING then STOPPED (plugins/apps/app_scale.py). */
  stopApp(name: string): void {
    const app = this.#app(name);
    this.#appState(app, "STOPPING");
    app.active_workloads = {
      containers: 0,
      used_ports: [],
      used_host_ips: [],
      container_details: [],
      volumes: [],
      images: [],
      networks: [],
    };
    this.#appState(app, "STOPPED");
  }

  /** Docker events take the app through DEPLOYING to RUNNING. */
  startApp(name: string): void {
    const app = this.#app(name);
    this.#appState(app, "DEPLOYING");
    this.#appState(app, "RUNNING");
  }

  /** An app is deleted: `app.query` removed with its name. */
  deleteApp(name: string): void {
    const s = this.s();
    this.#app(name);
    s.apps = s.apps.filter((a) => a.name !== name);
    this.emit({ collection: "app.query", msg: "removed", id: name });
  }

  /** Install an app with any name (see namedObjects.ts for what TrueNAS itself would refuse). */
  addApp(name: string, opts?: named.AddAppOptions): Row {
    return named.addApp(this.s(), this.emit, name, opts);
  }

  crashApp(name: string): void {
    this.#appState(this.#app(name), "CRASHED");
  }

  setAppUpgradeAvailable(name: string, available: boolean, latest?: string): void {
    const app = this.#app(name);
    app.upgrade_available = available;
    if (latest !== undefined) app.latest_version = latest;
    this.emit({ collection: "app.query", msg: "changed", id: app.name, fields: structuredClone(app) });
  }

  /** Start/stop a VM: vm.query events use libvirt names; on 25.04.0 the VM is an Incus instance. */
  setVmRunning(id: number, running: boolean): void {
    const s = this.s();
    const vm = s.vms.find((v) => v.id === id);
    if (!vm) throw new Error(`no VM with id ${id}`);
    vm.status = {
      ...(vm.status as Row),
      state: running ? "RUNNING" : "STOPPED",
      pid: running ? 4242 + id : null,
      domain_state: running ? "RUNNING" : "SHUTOFF",
    };
    if (s.version === "25.04.0") {
      const inst = s.instances.find((i) => i.name === vm.name && i.type === "VM");
      if (inst) this.setInstanceStatus(String(inst.name), running ? "RUNNING" : "STOPPED");
      return;
    }
    const { devices: _d, ...fields } = structuredClone(vm);
    (fields.status as Row).state = VM_EVENT_STATE[running ? "RUNNING" : "STOPPED"];
    this.emit({
      collection: "vm.query",
      msg: "changed",
      id,
      fields,
      extra: { state: running ? "BLOCKED" : "SHUTOFF" },
    });
  }

  /** Create a VM with any name; returns its id (on 25.04.0 an Incus VM named `name`). */
  addVm(name: string, opts?: named.AddVmOptions): number {
    return named.addVm(this.s(), this.emit, name, opts);
  }

  /** Rename a VM (25.04.2+): its id, and so its entities, stay. */
  renameVm(id: number, name: string): void {
    named.renameVm(this.s(), this.emit, id, name);
  }

  deleteVm(id: number): void {
    named.deleteVm(this.s(), this.emit, id);
  }

  /** Create an Incus container with any name. */
  addContainer(name: string, running?: boolean): Row {
    return named.addContainer(this.s(), this.emit, name, running);
  }

  /** Delete an Incus instance (container or 25.04.0 VM) by name. */
  deleteInstance(name: string): void {
    named.deleteInstance(this.s(), this.emit, name);
  }

  /** Add a network interface with any name, also to the realtime stats. */
  addInterface(name: string, opts?: named.AddInterfaceOptions): Row {
    return named.addInterface(this.s(), this.emit, name, opts);
  }

  removeInterface(name: string): void {
    named.removeInterface(this.s(), this.emit, name);
  }

  /** Incus instance start/stop: partial fields `{status}` (plugins/virt/websocket.py). */
  setInstanceStatus(name: string, status: string): void {
    const inst = this.s().instances.find((i) => i.name === name);
    if (!inst) throw new Error(`no instance named ${name}`);
    inst.status = status;
    this.emit({ collection: "virt.instance.query", msg: "changed", id: name, fields: { status } });
  }

  /** service.query events carry no id (plugins/service.py notify_running). */
  setServiceRunning(service: string, running: boolean): void {
    const row = this.s().services.find((r) => r.service === service);
    if (!row) throw new Error(`no service ${service}`);
    row.state = running ? "RUNNING" : "STOPPED";
    row.pids = running ? [1000 + Number(row.id)] : [];
    this.emit({ collection: "service.query", msg: "changed", fields: structuredClone(row) });
  }

  raiseAlert(spec: AlertSpec): string {
    const uuid = randomUUID();
    const at = new Date(this.now());
    const alert: Row = {
      uuid,
      id: uuid,
      source: spec.source ?? "",
      klass: spec.klass,
      args: spec.args ?? null,
      node: "Controller A",
      key: JSON.stringify(spec.args ?? null),
      datetime: at,
      last_occurrence: at,
      dismissed: false,
      mail: null,
      text: spec.formatted,
      formatted: spec.formatted,
      level: spec.level,
      one_shot: false,
    };
    this.s().alerts.push(alert);
    this.emit({ collection: "alert.list", msg: "added", id: uuid, fields: structuredClone(alert) });
    return uuid;
  }

  clearAlert(uuid: string): void {
    const s = this.s();
    const before = s.alerts.length;
    s.alerts = s.alerts.filter((a) => a.uuid !== uuid);
    if (s.alerts.length !== before) this.emit({ collection: "alert.list", msg: "removed", id: uuid });
  }

  setReady(ready: boolean): void {
    this.s().ready = ready;
    if (ready) this.emit({ collection: "system.ready", msg: "added" });
  }

  /** A reboot: system.reboot event, new boot id and boot time, not ready until setReady(true). */
  reboot(): void {
    const s = this.s();
    this.emit({ collection: "system.reboot", msg: "added", fields: { reason: "Simulated reboot" } });
    s.bootId = randomUUID();
    s.info.uptime_seconds = 0;
    s.info.boottime = new Date(this.now());
    s.ready = false;
  }

  setNetdataDown(down: boolean): void {
    this.s().netdataDown = down;
  }

  setUpdateAvailable(version: string | null): void {
    const s = this.s();
    s.updateAvailable = version;
    if (!is2504(s.version))
      this.emit({ collection: "update.status", msg: "changed", extra: { status: updateStatus(s) } });
  }

  /** Run a cloud sync task: a cloudsync.sync job; the task's `job` follows it (no cloudsync.query event). */
  runCloudSync(id: number): number {
    const task = this.s().cloudsync.find((t) => t.id === id);
    if (!task) throw new Error(`no cloud sync task ${id}`);
    const jobId = this.jobs.start("cloudsync.sync", [id], `Cloud sync task "${String(task.description)}"`);
    task.job = this.s().jobs.find((j) => j.id === jobId) ?? null;
    return jobId;
  }

  /** Run a replication: state RUNNING with partial `{state}` events (plugins/replication.py). */
  runReplication(id: number): number {
    const task = this.s().replication.find((t) => t.id === id);
    if (!task) throw new Error(`no replication task ${id}`);
    const jobId = this.jobs.start("replication.run", [id, true], null);
    task.job = this.s().jobs.find((j) => j.id === jobId) ?? null;
    task.state = {
      state: "RUNNING",
      datetime: new Date(this.now()),
      progress: null,
      last_snapshot: (task.state as Row | null)?.last_snapshot ?? null,
    };
    this.emit({
      collection: "replication.query",
      msg: "changed",
      id,
      fields: { state: structuredClone(task.state) },
    });
    return jobId;
  }

  /** A periodic snapshot task changes state: partial `{state}` fields (plugins/snapshot.py). */
  setSnapshotTaskState(
    id: number,
    state: "PENDING" | "RUNNING" | "FINISHED" | "ERROR",
    error?: string,
  ): void {
    const task = this.s().snapshottasks.find((t) => t.id === id);
    if (!task) throw new Error(`no snapshot task ${id}`);
    task.state = {
      state,
      datetime: new Date(this.now()),
      ...(error ? { error } : {}),
      last_snapshot: (task.state as Row | null)?.last_snapshot ?? null,
    };
    this.emit({
      collection: "pool.snapshottask.query",
      msg: "changed",
      id,
      fields: { state: structuredClone(task.state) },
    });
  }

  /** Finish a task run (and its job) with success or an error. */
  finishTask(
    kind: "cloudsync" | "replication",
    id: number,
    ok: boolean,
    error = "[EFAULT] Transfer failed",
  ): void {
    const s = this.s();
    const task = (kind === "cloudsync" ? s.cloudsync : s.replication).find((t) => t.id === id);
    const jobId = (task?.job as Row | null)?.id;
    if (!task || typeof jobId !== "number") throw new Error(`no running ${kind} task ${id}`);
    task.job = this.jobs.finish(jobId, ok ? "SUCCESS" : "FAILED", ok ? null : error) ?? task.job;
    if (kind === "replication") {
      task.state = {
        state: ok ? "FINISHED" : "ERROR",
        datetime: new Date(this.now()),
        ...(ok ? {} : { error }),
        last_snapshot: (task.state as Row | null)?.last_snapshot ?? null,
      };
      this.emit({
        collection: "replication.query",
        msg: "changed",
        id,
        fields: { state: structuredClone(task.state) },
      });
    }
  }
}
