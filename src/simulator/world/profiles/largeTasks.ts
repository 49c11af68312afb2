/**
 * The `large` profile's data protection: 100 snapshot tasks on generated datasets, 100 replications (three of
 * them running, with their jobs) and 100 cloud syncs (60 with a finished last job).
 */
import type { JobEntry, ReplicationEntry, SnapshotTaskEntry, TaskState, WireValue } from "../model.js";
import type { ProfileContext, ProfileData } from "../state.js";
import { cron, makeCloudSync, makeJob, makeReplication, makeSnapshotTask } from "./buildTasks.js";

export interface LargeTasks {
  snapshottasks: SnapshotTaskEntry[];
  jobs: JobEntry[];
  cloudsync: ProfileData["cloudsync"];
  replication: ProfileData["replication"];
}

const SAMPLE_NOW_MS = 1762179600000;

class TaskFactory {
  readonly jobs: JobEntry[] = [];
  constructor(
    private readonly ctx: ProfileContext,
    private readonly datasets: string[],
  ) {}

  ago(seconds: number): Date {
    return this.ctx.at(SAMPLE_NOW_MS - seconds * 1000);
  }

  snapshotTask(i: number): SnapshotTaskEntry {
    const { rng } = this.ctx;
    const dataset = rng.pick(this.datasets);
    const when = this.ago(rng.int(60, 3600));
    const state: TaskState = rng.chance(0.05)
      ? {
          state: "ERROR",
          datetime: when,
          error: `cannot create snapshot '${dataset}@auto': out of space.`,
          last_snapshot: `${dataset}@auto-2025-11-02_14-00`,
        }
      : { state: "FINISHED", datetime: when, last_snapshot: `${dataset}@auto-2025-11-03_14-00` };
    return makeSnapshotTask({
      id: i + 1,
      dataset,
      lifetimeValue: rng.pick([1, 2, 4]),
      lifetimeUnit: rng.pick(["DAY", "WEEK", "MONTH"] as const),
      namingSchema: "auto-%Y-%m-%d_%H-%M",
      allowEmpty: false,
      schedule: cron(String(i % 60), "*", true),
      state,
    });
  }

  /** A job in the history (ids from 1000); the task gets a copy. */
  job(method: string, args: WireValue[], running: boolean): JobEntry {
    const { rng } = this.ctx;
    const started = rng.int(300, 86400);
    const entry = makeJob({
      id: 1000 + this.jobs.length,
      method,
      arguments: args,
      logs: true,
      progress: {
        percent: running ? rng.int(1, 90) : 100,
        description: running ? "Sending" : "Done",
        extra: null,
      },
      state: running ? "RUNNING" : "SUCCESS",
      started: this.ago(started),
      finished: running ? null : this.ago(started - rng.int(30, 280)),
    });
    this.jobs.push(entry);
    return structuredClone(entry);
  }

  cloudsync(i: number) {
    return makeCloudSync({
      id: i + 1,
      description: `Offsite ${i + 1}`,
      path: `/mnt/${this.ctx.rng.pick(this.datasets)}`,
      credentials: { id: (i % 5) + 1, name: `S3 bucket ${(i % 5) + 1}`, type: i % 2 ? "S3" : "B2" },
      bucket: `large-offsite-${i % 5}`,
      folder: `/task${i + 1}`,
      schedule: cron(String(i % 60), String(i % 24)),
      job: i < 60 ? this.job("cloudsync.sync", [i + 1, { dry_run: false }], false) : null,
    });
  }

  /** The first three replications are mid-run. */
  replication(i: number, snap: SnapshotTaskEntry): ReplicationEntry {
    const { rng } = this.ctx;
    const running = i < 3;
    const total = rng.int(1, 8) * 2 ** 30;
    const sent = Math.round(total * rng.range(0.1, 0.8));
    const progress = {
      dataset: snap.dataset,
      snapshot: "auto-2025-11-03_14-00",
      snapshots_sent: 1,
      snapshots_total: 3,
    };
    const state: TaskState = running
      ? {
          state: "RUNNING",
          datetime: this.ago(30),
          progress: { ...progress, bytes_sent: sent, bytes_total: total, current: sent, total },
          last_snapshot: `${snap.dataset}@auto-2025-11-03_13-00`,
        }
      : {
          state: "FINISHED",
          datetime: this.ago(rng.int(60, 7200)),
          last_snapshot: `${snap.dataset}@auto-2025-11-03_14-00`,
        };
    return makeReplication({
      id: i + 1,
      name: `${snap.dataset} - backup${i % 4}`,
      sourceDatasets: [snap.dataset],
      targetDataset: `backup/large/${snap.dataset}`,
      ssh: { id: (i % 4) + 1, name: `backup${i % 4}`, host: `backup${i % 4}.lan`, username: "replicator" },
      snapshotTasks: [snap],
      state,
      job: running ? this.job("replication.run", [i + 1, true], true) : null,
    });
  }
}

export function largeTasks(ctx: ProfileContext, datasets: string[]): LargeTasks {
  const f = new TaskFactory(ctx, datasets);
  const snapshottasks = Array.from({ length: 100 }, (_, i) => f.snapshotTask(i));
  const cloudsync = Array.from({ length: 100 }, (_, i) => f.cloudsync(i));
  const replication = snapshottasks.map((snap, i) => f.replication(i, snap));
  return { snapshottasks, jobs: f.jobs, cloudsync, replication };
}
