/**
 * Every method group's name and default schedule: the one table the config schema, the scheduler and the
 * README read. Six-field node-cron expressions (seconds first). Seconds are staggered so the groups do not all
 * call the NAS in the same second.
 *
 * Groups whose every change TrueNAS announces by an event (truenas-api.md §2.3: alerts, apps, VMs, services,
 * jobs and the three task kinds) are re-polled within milliseconds of the event, so their schedule is only a safety net
 * against a missed event and runs every 10 minutes. Disks and the boot pool change rarely (a failing disk or boot
 * device also raises an alert) and are read every 5 minutes. Figures that move without events (pool and dataset
 * space, link state, system uptime) keep 60 s. This halves the calls a plain 60 s poll of everything makes
 * (`npm run bench`, "load on the NAS").
 */
export const GROUP_SCHEDULES = {
  system: "0 * * * * *",
  reporting: "*/10 * * * * *",
  alerts: "6 */10 * * * *",
  pools: "9 * * * * *",
  boot: "12 */5 * * * *",
  datasets: "15 * * * * *",
  disks: "18 */5 * * * *",
  disk_temperatures: "21 */5 * * * *",
  interfaces: "24 * * * * *",
  services: "27 */10 * * * *",
  vms: "30 */10 * * * *",
  apps: "33 */10 * * * *",
  cloudsync: "36 */10 * * * *",
  replication: "39 */10 * * * *",
  snapshot_tasks: "42 */10 * * * *",
  jobs: "45 */10 * * * *",
  updates: "48 7 */6 * * *",
} as const satisfies Record<string, string>;

export type GroupName = keyof typeof GROUP_SCHEDULES;
export const GROUP_NAMES = Object.keys(GROUP_SCHEDULES) as GroupName[];

/** What a group's schedule says: a cron expression, or off. */
export type Schedule = { kind: "cron"; expression: string } | { kind: "off" };
