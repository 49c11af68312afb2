/**
 * The `small` profile: one mirrored pool on two disks (plus the boot SSD), a handful of datasets, one app, one
 * VM, the service table and one task of each kind — nas01's smallest consistent subset.
 */
import type { DatasetRecord } from "../datasets/records.js";
import type { DiskRecord, PoolRecord, ProfileContext, ProfileData } from "../state.js";
import { buildDatasets } from "./buildDatasets.js";
import { emptyTopology, finishedScan, groupVdev, leafVdev, makePool } from "./buildStorage.js";
import { cron, makeCloudSync, makeReplication, makeSnapshotTask } from "./buildTasks.js";
import { makeApp, makeVm } from "./buildWorkloads.js";
import { typicalBoot, typicalDisks } from "./typicalStorage.js";
import {
  typicalInterfaces,
  typicalMetrics,
  typicalServices,
  typicalSystem,
  typicalUpdate,
} from "./typicalSystem.js";
import { typicalAlerts } from "./typicalTasks.js";

const TIB = 2 ** 40;

/** sdb and sdc mirrored as `tank` (sda keeps the boot pool). */
function smallPool(ctx: ProfileContext, disks: DiskRecord[]): PoolRecord {
  const members = disks
    .filter((d) => d.entry.pool === "tank")
    .map((disk) => leafVdev({ disk, partuuid: ctx.rng.uuid(), guid: disk.entry.zfs_guid ?? ctx.rng.guid() }));
  const [size, allocated] = [Math.round(7.27 * TIB), Math.round(2.1 * TIB)];
  const topology = emptyTopology();
  topology.data.push(groupVdev("MIRROR", 0, ctx.rng.guid(), members, size, allocated, 2));
  return makePool({
    id: 1,
    name: "tank",
    guid: ctx.rng.guid(),
    topology,
    size,
    allocated,
    fragmentation: 2,
    statusCode: "OK",
    scan: finishedScan(ctx.at(1761578400000), ctx.at(1761592800000), allocated),
  });
}

function smallDatasets(ctx: ProfileContext): DatasetRecord[] {
  const available = Math.round(4.9 * TIB);
  const creation = Math.floor(ctx.at(1727619600000).getTime() / 1000);
  const base = { available, creation };
  return buildDatasets([
    { ...base, name: "tank", used: Math.round(2.0 * TIB), explicit: true },
    { ...base, name: "tank/media", used: Math.round(1.4 * TIB), usedbysnapshots: 2 ** 34 },
    {
      ...base,
      name: "tank/home",
      used: 412316860416,
      usedbysnapshots: 2 ** 31,
      explicit: true,
      snapshotCount: 48,
    },
    { ...base, name: "tank/vms", used: 68719476736 },
    { ...base, name: "tank/vms/debian12", type: "VOLUME", used: 68719476736, volsize: 64424509440 },
    { ...base, name: "tank/.system", used: 1073741824 },
  ]);
}

function smallWorkloads(ctx: ProfileContext): Pick<ProfileData, "apps" | "vms" | "instances"> {
  const plex = makeApp({
    name: "plex",
    title: "Plex",
    appVersion: "1.41.3.9314",
    version: "1.2.14",
    latest: "1.2.14",
    state: "RUNNING",
    category: "media",
    portals: { "Web UI": "http://0.0.0.0:32400/web" },
    networkId: ctx.rng.hex(64),
    containers: [
      {
        id: ctx.rng.hex(64),
        service: "plex",
        image: "plexinc/pms-docker:1.41.3.9314-a0bfb8370",
        ports: [[32400, 32400]],
        volumes: [["/mnt/tank/media", "/data"]],
      },
    ],
  });
  const vm = makeVm({
    id: 1,
    name: "debian12",
    description: "Debian test box",
    cores: 2,
    threads: 1,
    memory: 4096,
    autostart: false,
    secureBoot: false,
    tpm: false,
    hyperv: false,
    time: "UTC",
    uuid: ctx.rng.uuid(),
    zvol: "tank/vms/debian12",
    mac: "00:a0:98:5c:2d:3e",
    nic: "enp3s0",
    displayPort: 5900,
    pid: null,
  });
  return { apps: [plex], vms: [vm], instances: [] };
}

function smallTasks(ctx: ProfileContext): Pick<ProfileData, "snapshottasks" | "cloudsync" | "replication"> {
  const last = "tank/home@auto-2025-11-03_14-00";
  const snap = makeSnapshotTask({
    id: 1,
    dataset: "tank/home",
    lifetimeValue: 2,
    lifetimeUnit: "WEEK",
    namingSchema: "auto-%Y-%m-%d_%H-%M",
    allowEmpty: false,
    schedule: cron("0", "*", true),
    state: { state: "FINISHED", datetime: ctx.at(1762178400000), last_snapshot: last },
  });
  const cloud = makeCloudSync({
    id: 1,
    description: "Home to B2",
    path: "/mnt/tank/home",
    credentials: { id: 1, name: "Backblaze B2", type: "B2" },
    bucket: "small-offsite",
    folder: "/home",
    schedule: cron("0", "3"),
    job: null,
  });
  const replication = makeReplication({
    id: 1,
    name: "tank/home - backup-nas",
    sourceDatasets: ["tank/home"],
    targetDataset: "backup/small/home",
    ssh: { id: 1, name: "backup-nas", host: "backup-nas.lan", username: "replicator" },
    snapshotTasks: [snap],
    state: { state: "FINISHED", datetime: ctx.at(1762178460000), last_snapshot: last },
    job: null,
  });
  return { snapshottasks: [snap], cloudsync: [cloud], replication: [replication] };
}

export function smallProfile(ctx: ProfileContext): ProfileData {
  const disks = typicalDisks().filter((d) => ["sda", "sdb", "sdc"].includes(d.entry.name));
  for (const d of disks) if (d.entry.name !== "sda") d.entry.pool = "tank";
  const metrics = typicalMetrics();
  metrics.interfaces = { enp3s0: metrics.interfaces.enp3s0 ?? { rx: 0, tx: 0 } };
  delete metrics.pools;
  return {
    system: { ...typicalSystem(ctx), hostId: ctx.rng.hex(64), bootId: ctx.rng.uuid() },
    update: typicalUpdate(ctx),
    hostIp: "192.168.10.20",
    bootPool: "boot-pool",
    pools: [smallPool(ctx, disks)],
    boot: typicalBoot(ctx, disks),
    disks,
    datasets: smallDatasets(ctx),
    interfaces: typicalInterfaces().slice(0, 1),
    services: typicalServices(),
    ...smallWorkloads(ctx),
    ...smallTasks(ctx),
    jobs: [],
    alerts: typicalAlerts(ctx).filter((a) => a.klass === "HasUpdate"),
    metrics,
  };
}
