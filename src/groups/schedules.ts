/**
 * Every method group's name and default schedule: the one table the config schema, the scheduler and the
 * README read. Six-field node-cron expressions (seconds first). Seconds are staggered so the groups do not all
 * call the NAS in the same second.
 */
export const GROUP_SCHEDULES = {
  system: "0 * * * * *",
  reporting: "*/10 * * * * *",
  alerts: "6 * * * * *",
  pools: "9 * * * * *",
  boot: "12 * * * * *",
  datasets: "15 * * * * *",
  disks: "18 * * * * *",
  disk_temperatures: "21 */5 * * * *",
  interfaces: "24 * * * * *",
  services: "27 * * * * *",
  vms: "30 * * * * *",
  apps: "33 * * * * *",
  cloudsync: "36 * * * * *",
  replication: "39 * * * * *",
  snapshot_tasks: "42 * * * * *",
  jobs: "45 * * * * *",
  updates: "48 7 */6 * * *",
} as const satisfies Record<string, string>;

export type GroupName = keyof typeof GROUP_SCHEDULES;
export const GROUP_NAMES = Object.keys(GROUP_SCHEDULES) as GroupName[];

/** What a group's schedule says: a cron expression, or off. */
export type Schedule = { kind: "cron"; expression: string } | { kind: "off" };
