/**
 * The `typical` profile: nas01 from ../shared/docs/truenas-samples, rebuilt from project code (the samples are
 * not shipped). With the clock at the samples' instant (`SAMPLE_NOW_MS`) every timestamp matches them.
 */
import type { ProfileContext, ProfileData } from "../state.js";
import { typicalDatasets } from "./typicalDatasets.js";
import { typicalBoot, typicalDisks, typicalPools } from "./typicalStorage.js";
import {
  typicalInterfaces,
  typicalMetrics,
  typicalServices,
  typicalSystem,
  typicalUpdate,
} from "./typicalSystem.js";
import {
  typicalAlerts,
  typicalCloudSync,
  typicalJobs,
  typicalReplication,
  typicalSnapshotTasks,
} from "./typicalTasks.js";
import { typicalApps, typicalInstances, typicalVms } from "./typicalWorkloads.js";

export function typicalProfile(ctx: ProfileContext): ProfileData {
  const disks = typicalDisks();
  const jobs = typicalJobs(ctx);
  const snapshottasks = typicalSnapshotTasks(ctx);
  return {
    system: typicalSystem(ctx),
    update: typicalUpdate(ctx),
    hostIp: "192.168.10.20",
    bootPool: "boot-pool",
    pools: typicalPools(ctx, disks),
    boot: typicalBoot(ctx, disks),
    disks,
    datasets: typicalDatasets(ctx),
    interfaces: typicalInterfaces(),
    services: typicalServices(),
    apps: typicalApps(),
    vms: typicalVms(),
    instances: typicalInstances(),
    cloudsync: typicalCloudSync(jobs),
    replication: typicalReplication(ctx, jobs, snapshottasks),
    snapshottasks,
    jobs,
    alerts: typicalAlerts(ctx),
    metrics: typicalMetrics(),
  };
}
