/**
 * The typical world: nas01 from the samples (2 pools + boot pool, 8 disks, 22 datasets, 3 apps, 2 VMs,
 * services, 1 cloud sync, 1 replication, 2 snapshot tasks, alerts, jobs), adjusted per TrueNAS flavour
 * (truenas-api.md §3.1, §6).
 */
import type { SimVersion } from "../types.js";
import { fullDataset } from "./datasets.js";
import { sample, type Row } from "./sampleData.js";
import { VERSION_STRINGS, is2504, type NasState } from "./state.js";

/** 25.04 keeps S.M.A.R.T. columns on disks (25.10 dropped them: alembic 2025-03-20_11-52_drop_smart). */
function disksFor(version: SimVersion): Row[] {
  if (!is2504(version)) return sample("disk.query");
  return sample("disk.query.25.04");
}

/** 25.04 has smartd where 25.10 has nvmet (truenas-api.md §3.11). */
function servicesFor(version: SimVersion): Row[] {
  const rows = sample("service.query");
  if (!is2504(version)) return rows;
  return rows.map((r) => (r.service === "nvmet" ? { ...r, service: "smartd", enable: true } : r));
}

/** On 25.04.0-25.04.1, VMs live in virt.instance.query as Incus VMs (truenas-api.md §6.2). */
export function instancesFor(version: SimVersion, vms: Row[]): Row[] {
  const instances = sample("virt.instance.query");
  if (version !== "25.04.0") return instances;
  const containers = instances.filter((i) => i.type === "CONTAINER");
  const template = instances.find((i) => i.type === "VM") ?? instances[0] ?? {};
  const asInstances = vms.map((vm) => ({
    ...template,
    id: vm.name,
    name: vm.name,
    type: "VM",
    status: vm.status?.state === "RUNNING" ? "RUNNING" : "STOPPED",
    cpu: String(vm.vcpus ?? 1),
    memory: Number(vm.memory ?? 0) * 1024 * 1024,
    autostart: vm.autostart,
  }));
  return [
    ...containers.map((c) => ({ ...c, status: c.status === "RUNNING" ? "RUNNING" : "STOPPED" })),
    ...asInstances,
  ];
}

function jobsFor(version: SimVersion): Row[] {
  const jobs = sample("core.get_jobs");
  if (!is2504(version)) return jobs;
  return jobs.map(({ message_ids: _ignored, ...rest }) => rest);
}

function realtimeFor(version: SimVersion): Row {
  if (!is2504(version)) return sample<Row>("event:reporting.realtime").fields as Row;
  return sample<Row>("event:reporting.realtime.event.25.04").fields as Row;
}

export function typicalState(version: SimVersion, now: number): NasState {
  const info = sample<Row>("system.info");
  info.version = VERSION_STRINGS[version];
  const uptime = Number(info.uptime_seconds ?? 86_400);
  info.boottime = new Date(now - uptime * 1000);
  info.datetime = new Date(now);
  const vms = sample("vm.query");
  const flat = sample("pool.dataset.query.select");
  const template = sample("pool.dataset.query")[0] as Row;
  const temperatures = sample<Record<string, number>>("disk.temperatures");
  return {
    version,
    info,
    bootId: "6d1c1f3a-1b2c-4d5e-8f90-0a1b2c3d4e5f",
    ready: true,
    pools: sample("pool.query"),
    boot: sample<Row>("boot.get_state"),
    datasets: flat.map((d) => fullDataset(template, d)),
    disks: disksFor(version),
    expiredDisks: [],
    interfaces: sample("interface.query"),
    services: servicesFor(version),
    vms,
    instances: instancesFor(version, vms),
    apps: sample("app.query"),
    cloudsync: sample("cloudsync.query"),
    replication: sample("replication.query"),
    snapshottasks: sample("pool.snapshottask.query"),
    jobs: jobsFor(version),
    alerts: sample("alert.list"),
    temperatures: { ...temperatures },
    critTemperatures: Object.fromEntries(
      Object.keys(temperatures).map((n) => [n, n.startsWith("nvme") ? 80 : 60]),
    ),
    updateAvailable: { "25.10": "25.10.1", "25.04.2": null, "25.04.0": "25.04.2.6" }[version],
    netdataDown: false,
    realtime: realtimeFor(version),
    nextJobId: Math.max(0, ...jobsFor(version).map((j) => Number(j.id))) + 1,
    nextDiskNumber: 100,
  };
}
