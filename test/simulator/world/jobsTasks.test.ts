/**
 * Job lifecycle events (`job.py`: added WAITING, changed RUNNING, changed per integer percent or description,
 * final changed with time_finished; full job every time) and the task runs built on them: cloud sync reports only
 * through `core.get_jobs`, replication also through partial `replication.query` changes (truenas-api.md §2.3, §5).
 */
import { describe, expect, it } from "vitest";
import { callError, callWire, clockedWorld, sample, shape } from "./helpers.js";

describe("jobs", () => {
  it("startJob/progressJob/finishJob follow job.py's event rules with the full job each time", () => {
    const t = clockedWorld();
    const id = t.world.control.startJob("catalog.sync", [], "Syncing");
    t.world.control.progressJob(id, 10.2, "Fetching");
    t.world.control.progressJob(id, 10.9);
    t.world.control.progressJob(id, 10.9, "Fetching");
    t.world.control.progressJob(id, 10, "Parsing");
    t.world.control.finishJob(id, "SUCCESS", { synced: true });
    const events = t.of("core.get_jobs");
    expect(
      events.map((e) => [e.msg, e.fields.state, e.fields.progress.percent, e.fields.progress.description]),
    ).toEqual([
      ["added", "WAITING", 0, ""],
      ["changed", "RUNNING", 0, ""],
      ["changed", "RUNNING", 10, "Fetching"],
      ["changed", "RUNNING", 10, "Parsing"],
      ["changed", "SUCCESS", 100, "Parsing"],
      ["changed", "SUCCESS", 100, "Parsing"],
    ]);
    for (const e of events) {
      expect(e.id).toBe(id);
      expect(Object.keys(e.fields)).toEqual(Object.keys(events.at(-1).fields));
    }
    expect(events[0].fields.time_finished).toBeNull();
    expect(events.at(-1).fields.time_finished).toHaveProperty("$date");
    expect(events.at(-1).fields.result).toEqual({ synced: true });
    expect(Object.keys(events[0].fields).sort()).toEqual(
      Object.keys(sample("events/core.get_jobs.added.event.json").fields).sort(),
    );
  });

  it("FAILED carries a CallError; ABORTED carries no error", () => {
    const t = clockedWorld();
    const failed = t.world.control.startJob("app.upgrade", ["plex"]);
    t.world.control.finishJob(failed, "FAILED", "image pull failed");
    const aborted = t.world.control.startJob("catalog.sync");
    t.world.control.finishJob(aborted, "ABORTED");
    const jobs = callWire(t.world, "core.get_jobs", [[["id", "in", [failed, aborted]]]]);
    expect(jobs[0]).toMatchObject({
      state: "FAILED",
      error: "[EFAULT] image pull failed",
      exc_info: { type: "CallError", errno: 14, extra: null },
    });
    expect(jobs[1]).toMatchObject({ state: "ABORTED", error: null, exc_info: null });
  });

  it("message_ids only on 25.10", () => {
    const t10 = clockedWorld();
    t10.world.call("cloudsync.sync", [1], { messageId: 91 });
    expect(t10.of("core.get_jobs")[0].fields.message_ids).toEqual([91]);
    const t4 = clockedWorld({ version: "25.04.2" });
    t4.world.call("cloudsync.sync", [1], { messageId: 91 });
    expect(t4.of("core.get_jobs")[0].fields).not.toHaveProperty("message_ids");
  });

  it("core.job_abort aborts; core.get_jobs takes query args", () => {
    const t = clockedWorld();
    expect(t.world.call("core.job_abort", [418])).toBeNull();
    expect(callWire(t.world, "core.get_jobs", [[["state", "=", "RUNNING"]], { select: ["id"] }])).toEqual([
      { id: 423 },
    ]);
    expect(callWire(t.world, "replication.query")[0].state.state).toBe("ERROR");
    expect(callError(t.world, "core.job_abort", [99999]).data.errname).toBe("ENOENT");
  });

  it("whenJobFinished resolves with the finished job", async () => {
    const t = clockedWorld();
    const id = t.world.control.startJob("catalog.sync");
    const done = t.world.whenJobFinished(id);
    t.world.control.finishJob(id, "SUCCESS");
    await expect(done).resolves.toMatchObject({ id, state: "SUCCESS" });
  });
});

describe("task runs", () => {
  it("cloud sync: only core.get_jobs events; the task's job mirrors the run until SUCCESS", () => {
    const t = clockedWorld();
    const id = t.world.call("cloudsync.sync", [1, { dry_run: false }]) as number;
    expect(callWire(t.world, "cloudsync.query")[0].job).toMatchObject({ id, state: "RUNNING" });
    t.tick(10_000);
    const progress = t
      .of("core.get_jobs")
      .filter((e) => e.id === id)
      .at(-1).fields.progress;
    expect(progress.percent).toBeGreaterThan(0);
    expect(progress.description).toMatch(
      /^Transferred: [\d.]+ GiB \/ [\d.]+ GiB, \d+%, 18\.300 MiB\/s, ETA \d+s$/,
    );
    t.tick(300_000);
    expect(callWire(t.world, "cloudsync.query")[0].job).toMatchObject({
      id,
      state: "SUCCESS",
      progress: { percent: 100 },
    });
    expect(t.of("cloudsync.query")).toEqual([]);
    expect(callError(t.world, "cloudsync.sync", [99]).code).toBe(-32602);
  });

  it("replication: partial replication.query changes ({state} with the job inside) until FINISHED", () => {
    const t = clockedWorld();
    expect(callError(t.world, "replication.run", [1]).data.reason).toBe(
      "[EBUSY] This job is already being performed",
    );
    t.tick(2000);
    const [first] = t.of("replication.query");
    expect(shape(first)).toEqual(shape(sample("events/replication.query.changed.event.json")));
    expect(first.fields.state.job.id).toBe(418);
    expect(first.fields.state.progress.bytes_sent).toBeGreaterThan(1234567890);
    t.tick(120_000);
    const last = t.of("replication.query").at(-1);
    expect(last.fields.state).toMatchObject({
      state: "FINISHED",
      last_snapshot: "tank/home@auto-2025-11-03_14-00",
    });
    expect(last.fields.state.job).toMatchObject({ id: 418, state: "SUCCESS" });
    expect(callWire(t.world, "replication.query")[0]).toMatchObject({
      state: { state: "FINISHED" },
      job: { state: "SUCCESS" },
    });
    const again = t.world.control.runReplication(1);
    expect(t.of("replication.query").at(-1).fields.state).toMatchObject({
      state: "RUNNING",
      job: { id: again },
    });
  });

  it("finishTask ends a run now: cloud sync FAILED with the CallError, replication ERROR with its event", () => {
    const t = clockedWorld();
    const job = t.world.control.runCloudSync(1);
    t.world.control.finishTask("cloudsync", 1, false, "[EBUSY] Bucket locked");
    expect(callWire(t.world, "cloudsync.query")[0].job).toMatchObject({
      id: job,
      state: "FAILED",
      error: "[EBUSY] Bucket locked",
      exc_info: { errno: 16 },
    });
    t.world.control.finishTask("replication", 1, false, "ssh: connection refused");
    expect(t.of("replication.query").at(-1).fields.state).toMatchObject({
      state: "ERROR",
      error: "[EFAULT] ssh: connection refused",
      job: { id: 418, state: "FAILED" },
    });
    expect(() => t.world.control.finishTask("replication", 1, true)).toThrow(/no running replication task 1/);
  });

  it("snapshot task state: pool.snapshottask.query changed with {state} only", () => {
    const t = clockedWorld();
    t.world.control.setSnapshotTaskState(2, "FINISHED");
    const [e] = t.of("pool.snapshottask.query");
    expect(e).toMatchObject({ msg: "changed", id: 2 });
    expect(Object.keys(e.fields)).toEqual(["state"]);
    expect(e.fields.state).toMatchObject({
      state: "FINISHED",
      last_snapshot: expect.stringMatching(/^fast\/appdata@daily-/),
    });
    t.world.control.setSnapshotTaskState(1, "ERROR", "boom");
    const embedded = callWire(t.world, "replication.query")[0].periodic_snapshot_tasks[0].state;
    expect(JSON.parse(embedded).state).toMatchObject({ state: "ERROR", error: "boom" });
  });
});
