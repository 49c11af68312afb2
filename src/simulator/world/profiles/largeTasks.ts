/**
 * The `large` profile's data protection: 100 snapshot tasks on generated datasets, 100 replications (three of
 * them running, with their jobs) and 100 cloud syncs (60 with a finished last job).
 */
import type { JobEntry, SnapshotTaskEntry } from "../model.js";
import type { ProfileContext, ProfileData } from "../state.js";
import { cron, makeCloudSync, makeJob, makeReplication, makeSnapshotTask } from "./buildTasks.js";

export interface LargeTasks {
  snapshottasks: SnapshotTaskEntry[];
  jobs: JobEntry[];
  cloudsync: ProfileData["cloudsync"];
  replication: ProfileData["replication"];
}

export function largeTasks(ctx: ProfileContext, datasets: string[]): LargeTasks {
  const { rng } = ctx;
  const at = (agoS: number): Date => ctx.at(1762179600000 - agoS * 1000);
  const snapshottasks = Array.from({ length: 100 }, (_, i) => {
    const dataset = rng.pick(datasets);
    const failed = rng.chance(0.05);
    return makeSnapshotTask({
      id: i + 1,
      dataset,
      lifetimeValue: rng.pick([1, 2, 4]),
      lifetimeUnit: rng.pick(["DAY", "WEEK", "MONTH"] as const),
      namingSchema: "auto-%Y-%m-%d_%H-%M",
      allowEmpty: false,
      schedule: cron(String(i % 60), "*", true),
      state: failed
        ? {
            state: "ERROR",
            datetime: at(rng.int(60, 3600)),
            error: `cannot create snapshot '${dataset}@auto': out of space.`,
            last_snapshot: `${dataset}@auto-2025-11-02_14-00`,
          }
        : {
            state: "FINISHED",
            datetime: at(rng.int(60, 3600)),
            last_snapshot: `${dataset}@auto-2025-11-03_14-00`,
          },
    });
  });
  const jobs: JobEntry[] = [];
  const job = (
    method: string,
    args: Array<number | boolean | Record<string, boolean>>,
    running: boolean,
  ): JobEntry => {
    const started = rng.int(300, 86400);
    const entry = makeJob({
      id: 1000 + jobs.length,
      method,
      arguments: args,
      logs: true,
      progress: {
        percent: running ? rng.int(1, 90) : 100,
        description: running ? "Sending" : "Done",
        extra: null,
      },
      state: running ? "RUNNING" : "SUCCESS",
      started: at(started),
      finished: running ? null : at(started - rng.int(30, 280)),
    });
    jobs.push(entry);
    return entry;
  };
  const cloudsync = Array.from({ length: 100 }, (_, i) =>
    makeCloudSync({
      id: i + 1,
      description: `Offsite ${i + 1}`,
      path: `/mnt/${rng.pick(datasets)}`,
      credentials: { id: (i % 5) + 1, name: `S3 bucket ${(i % 5) + 1}`, type: i % 2 ? "S3" : "B2" },
      bucket: `large-offsite-${i % 5}`,
      folder: `/task${i + 1}`,
      schedule: cron(String(i % 60), String(i % 24)),
      job: i < 60 ? structuredClone(job("cloudsync.sync", [i + 1, { dry_run: false }], false)) : null,
    }),
  );
  const replication = Array.from({ length: 100 }, (_, i) => {
    const snap = snapshottasks[i] as SnapshotTaskEntry;
    const running = i < 3;
    const total = rng.int(1, 8) * 2 ** 30;
    const sent = running ? Math.round(total * rng.range(0.1, 0.8)) : total;
    return makeReplication({
      id: i + 1,
      name: `${snap.dataset} - backup${i % 4}`,
      sourceDatasets: [snap.dataset],
      targetDataset: `backup/large/${snap.dataset}`,
      ssh: { id: (i % 4) + 1, name: `backup${i % 4}`, host: `backup${i % 4}.lan`, username: "replicator" },
      snapshotTasks: [snap],
      state: running
        ? {
            state: "RUNNING",
            datetime: at(30),
            progress: {
              dataset: snap.dataset,
              snapshot: "auto-2025-11-03_14-00",
              snapshots_sent: 1,
              snapshots_total: 3,
              bytes_sent: sent,
              bytes_total: total,
              current: sent,
              total,
            },
            last_snapshot: `${snap.dataset}@auto-2025-11-03_13-00`,
          }
        : {
            state: "FINISHED",
            datetime: at(rng.int(60, 7200)),
            last_snapshot: `${snap.dataset}@auto-2025-11-03_14-00`,
          },
      job: running ? structuredClone(job("replication.run", [i + 1, true], true)) : null,
    });
  });
  return { snapshottasks, jobs, cloudsync, replication };
}
