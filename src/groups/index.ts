/**
 * The method groups the bridge polls: adding a group is adding a file and a line here (architecture.md).
 * Groups that create HA devices (pools, disks, apps, VMs) come first, so their devices are known when the
 * groups that place entities on them (datasets, disk temperatures) are diffed.
 */
import { alertsGroup } from "./alerts.js";
import { appsGroup } from "./apps.js";
import { bootGroup } from "./boot.js";
import { cloudsyncGroup } from "./cloudsync.js";
import { datasetsGroup } from "./datasets.js";
import { diskTemperaturesGroup } from "./diskTemperatures.js";
import { disksGroup } from "./disks.js";
import type { GroupDefinition } from "./group.js";
import { interfacesGroup } from "./interfaces.js";
import { jobsGroup } from "./jobs.js";
import { poolsGroup } from "./pools.js";
import { replicationGroup } from "./replication.js";
import { reportingGroup } from "./reporting.js";
import { servicesGroup } from "./services.js";
import { snapshotTasksGroup } from "./snapshotTasks.js";
import { systemGroup } from "./system.js";
import { updatesGroup } from "./updates.js";
import { vmsGroup } from "./vms.js";

export const GROUPS: readonly GroupDefinition[] = [
  systemGroup,
  poolsGroup,
  disksGroup,
  appsGroup,
  vmsGroup,
  bootGroup,
  datasetsGroup,
  diskTemperaturesGroup,
  reportingGroup,
  alertsGroup,
  interfacesGroup,
  servicesGroup,
  cloudsyncGroup,
  replicationGroup,
  snapshotTasksGroup,
  jobsGroup,
  updatesGroup,
];
