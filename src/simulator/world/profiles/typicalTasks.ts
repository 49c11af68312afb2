/**
 * nas01's data protection, job history and alerts (../shared/docs/truenas-samples/cloudsync.query.json,
 * replication.query.json, pool.snapshottask.query.json, core.get_jobs.json, alert.list.json): a finished B2
 * sync, a replication 42 % through, one healthy and one failing snapshot task, a running scrub of `fast`.
 */
import { buildAlert } from "../alerts.js";
import type { AlertEntry, CloudSyncEntry, JobEntry, ReplicationEntry, SnapshotTaskEntry } from "../model.js";
import type { ProfileContext } from "../state.js";
import { cron, makeCloudSync, makeJob, makeReplication, makeSnapshotTask } from "./buildTasks.js";

const CLOUDSYNC_EXCERPT =
  "Transferred:   \t    1.212 GiB / 1.212 GiB, 100%, 18.339 MiB/s, ETA 0s\nChecks:  \t      8214 / 8214, 100%\n" +
  "Transferred:          312 / 312, 100%\nElapsed time:    1m6.4s\n";

const NEXTCLOUD_PULL_ERROR =
  "Failed to pull image nextcloud:31.0.10: toomanyrequests: You have reached your unauthenticated pull rate limit.";

export function typicalJobs(ctx: ProfileContext): JobEntry[] {
  const at = (ms: number): Date => ctx.at(ms);
  return [
    makeJob({
      id: 405,
      method: "catalog.sync",
      arguments: [],
      abortable: false,
      progress: { percent: 100, description: "Synced catalog", extra: null },
      state: "SUCCESS",
      started: at(1762136300000),
      finished: at(1762136330000),
    }),
    makeJob({
      id: 412,
      method: "cloudsync.sync",
      arguments: [1, { dry_run: false }],
      logs: true,
      logsExcerpt: CLOUDSYNC_EXCERPT,
      progress: {
        percent: 100,
        description: "Transferred: 1.212 GiB / 1.212 GiB, 100%, 18.339 MiB/s, ETA 0s",
        extra: null,
      },
      state: "SUCCESS",
      started: at(1762138600000),
      finished: at(1762138790000),
    }),
    makeJob({
      id: 418,
      method: "replication.run",
      arguments: [1, true],
      logs: true,
      progress: {
        percent: 42,
        description: "Sending tank/home/alice@auto-2025-11-03_14-00 (1 of 3)",
        extra: null,
      },
      state: "RUNNING",
      started: at(1762179300000),
      finished: null,
    }),
    makeJob({
      id: 421,
      method: "app.upgrade",
      arguments: ["nextcloud", { app_version: "latest", values: {}, snapshot_hostpaths: false }],
      progress: { percent: 40, description: "Pulling images", extra: null },
      state: "FAILED",
      started: at(1762178700000),
      finished: at(1762178740000),
      error: { message: NEXTCLOUD_PULL_ERROR, errno: 14, errname: "EFAULT" },
      messageIds: [77],
      credentials: {
        type: "LOGIN_PASSWORD",
        data: {
          username: "root",
          login_id: "35414283-d85c-5567-ab60-a7966dab9dda",
          login_at: at(1762174600000),
        },
      },
    }),
    makeJob({
      id: 423,
      method: "pool.scrub.scrub",
      arguments: ["fast", "START"],
      description: "Scrub of pool 'fast'",
      progress: { percent: 41, description: "Scrubbing", extra: null },
      state: "RUNNING",
      started: at(1762179180000),
      finished: null,
    }),
  ];
}

export function typicalSnapshotTasks(ctx: ProfileContext): SnapshotTaskEntry[] {
  return [
    makeSnapshotTask({
      id: 1,
      dataset: "tank/home",
      lifetimeValue: 2,
      lifetimeUnit: "WEEK",
      namingSchema: "auto-%Y-%m-%d_%H-%M",
      allowEmpty: false,
      schedule: cron("0", "*", true),
      state: {
        state: "FINISHED",
        datetime: ctx.at(1762178400000),
        last_snapshot: "tank/home@auto-2025-11-03_14-00",
      },
    }),
    makeSnapshotTask({
      id: 2,
      dataset: "fast/appdata",
      lifetimeValue: 30,
      lifetimeUnit: "DAY",
      exclude: ["fast/appdata/plex"],
      namingSchema: "daily-%Y-%m-%d_%H-%M",
      allowEmpty: true,
      schedule: cron("15", "2", true),
      state: {
        state: "ERROR",
        datetime: ctx.at(1762136100000),
        error: "cannot create snapshot 'fast/appdata@daily-2025-11-03_02-15': out of space.",
        last_snapshot: "fast/appdata@daily-2025-11-02_02-15",
      },
    }),
  ];
}

export function typicalCloudSync(jobs: JobEntry[]): CloudSyncEntry[] {
  return [
    makeCloudSync({
      id: 1,
      description: "Offsite photos to B2",
      path: "/mnt/tank/home/alice/Photos",
      credentials: { id: 1, name: "Backblaze B2", type: "B2" },
      bucket: "nas01-offsite",
      folder: "/photos",
      schedule: cron("0", "3"),
      job: structuredClone(jobs.find((j) => j.id === 412) ?? null),
    }),
  ];
}

export function typicalReplication(
  ctx: ProfileContext,
  jobs: JobEntry[],
  snapshotTasks: SnapshotTaskEntry[],
): ReplicationEntry[] {
  return [
    makeReplication({
      id: 1,
      name: "tank/home - backup-nas",
      sourceDatasets: ["tank/home"],
      targetDataset: "backup/nas01/home",
      ssh: { id: 3, name: "backup-nas", host: "backup-nas.lan", username: "replicator" },
      snapshotTasks: snapshotTasks.filter((t) => t.id === 1),
      state: {
        state: "RUNNING",
        datetime: ctx.at(1762179570000),
        progress: {
          dataset: "tank/home/alice",
          snapshot: "auto-2025-11-03_14-00",
          snapshots_sent: 1,
          snapshots_total: 3,
          bytes_sent: 1234567890,
          bytes_total: 2939428864,
          current: 1234567890,
          total: 2939428864,
        },
        last_snapshot: "tank/home@auto-2025-11-03_13-00",
      },
      job: structuredClone(jobs.find((j) => j.id === 418) ?? null),
    }),
  ];
}

export function typicalAlerts(ctx: ProfileContext): AlertEntry[] {
  const fastDetail =
    "One or more devices has experienced an error resulting in data corruption. Applications may be affected.";
  const alerts = [
    buildAlert(
      {
        uuid: "a4f1c2e0-3b7d-4e19-9c52-7d0e8a1b6f33",
        klass: "VolumeStatus",
        level: "CRITICAL",
        text: "Pool %(volume)s state is %(state)s: %(status)s%(devices)s",
        args: { volume: "fast", state: "ONLINE", status: fastDetail, devices: "" },
        datetime: ctx.at(1762168800000),
        lastOccurrence: ctx.at(1762179540000),
      },
      ctx.rng,
      ctx.now,
    ),
    buildAlert(
      {
        uuid: "0c9e7d44-52a1-4b6b-8f0d-2e7c91a3d5b8",
        klass: "AppUpdate",
        level: "INFO",
        oneShot: true,
        text: "Updates are available for %(count)d application%(plural)s: %(apps)s",
        args: { count: 1, plural: "", apps: "nextcloud" },
        datetime: ctx.at(1762006800000),
      },
      ctx.rng,
      ctx.now,
    ),
  ];
  if (ctx.version !== "25.04.2") {
    alerts.push(
      buildAlert(
        {
          uuid: "f27b6a10-98c4-4d2e-a5f3-61b0c8e4d297",
          klass: "HasUpdate",
          level: "INFO",
          text: "A system update is available. Go to System \u2192 Update to download and apply the update.",
          dismissed: true,
          datetime: ctx.at(1762093200000),
          lastOccurrence: ctx.at(1762179540000),
        },
        ctx.rng,
        ctx.now,
      ),
    );
  }
  return alerts;
}
