import { describe, expect, it } from "vitest";
import { replicationGroup } from "../../src/groups/replication.js";
import { SimWorld } from "../../src/simulator/nas/world.js";
import type { SimVersion } from "../../src/simulator/types.js";
import { parseVersion } from "../../src/truenas/version.js";
import {
  expectClean,
  NAS,
  OPTIONS,
  pollGroup,
  publishProblems,
  type CallLog,
} from "../support/groupHarness.js";

describe.each<SimVersion>(["25.10", "25.04.2", "25.04.0"])("replication group on %s", (version) => {
  it("shows each task's state, progress while running, and its settings as attributes", async () => {
    const world = new SimWorld({ profile: "typical", version });
    const snap = await pollGroup(replicationGroup, world);
    expect(snap.devices).toEqual([]);
    expect(snap.objects.map((o) => [o.ref, o.device])).toEqual(
      world.state.replication.map((t) => [{ kind: "replication", id: String(t.id) }, "nas"]),
    );
    const task = world.state.replication[0]!;
    const p = task.state.progress;
    const o = snap.objects[0]!;
    expect(o.doc).toEqual({
      last_run: "running",
      // Still running: the previous end is not known from zettarepl's state.
      last_run_end: null,
      problem: false,
      progress: Math.round((p.bytes_sent / p.bytes_total) * 1000) / 10,
    });
    expect(o.doc.progress).toBeCloseTo(task.job.progress.percent, -1);
    expect(o.attributes).toMatchObject({
      name: task.name,
      enabled: true,
      direction: "push",
      transport: "ssh",
      source_datasets: ["tank/home"],
      target_dataset: "backup/nas01/home",
      last_snapshot: task.state.last_snapshot,
      snapshots_sent: 1,
      snapshots_total: 3,
      job_id: task.job.id,
    });
    expect(snap.entities.map((e) => e.name)).toEqual([
      "Replication tank/home - backup-nas Last run",
      "Replication tank/home - backup-nas Last run end",
      "Replication tank/home - backup-nas Problem",
      "Replication tank/home - backup-nas Progress",
    ]);
  });

  it("asks replication.query for the shown fields only", async () => {
    const calls: CallLog = [];
    await pollGroup(replicationGroup, new SimWorld({ profile: "typical", version }), calls);
    expect(calls.map((c) => c.method)).toEqual(["replication.query"]);
    expect(calls[0]!.params[0]).toEqual([]);
    const select = (calls[0]!.params[1] as { select: string[] }).select;
    expect(select).toContain("state");
    expect(select).not.toContain("periodic_snapshot_tasks");
    expect(select).not.toContain("job");
  });

  it("follows a run to a failed end and a new successful one", async () => {
    const world = new SimWorld({ profile: "typical", version });
    world.control.finishTask("replication", 1, false, "[EFAULT] ssh: connection refused");
    let o = (await pollGroup(replicationGroup, world)).objects[0]!;
    expect(o.doc).toMatchObject({ last_run: "error", problem: true, progress: null });
    expect(o.doc.last_run_end).toEqual(world.state.replication[0]!.state.datetime);
    expect(o.attributes).toMatchObject({ error: "[EFAULT] ssh: connection refused" });
    const jobId = world.control.runReplication(1);
    world.jobs.progress(jobId, 12);
    o = (await pollGroup(replicationGroup, world)).objects[0]!;
    // No zettarepl progress yet: the job's percent stands in.
    expect(o.doc).toMatchObject({ last_run: "running", problem: false, progress: 12, last_run_end: null });
    world.control.finishTask("replication", 1, true);
    o = (await pollGroup(replicationGroup, world)).objects[0]!;
    expect(o.doc).toMatchObject({ last_run: "finished", problem: false, progress: null });
    expect(o.doc.last_run_end).toBeInstanceOf(Date);
  });

  it("passes the registry and the HA validator", async () => {
    const snap = await pollGroup(replicationGroup, new SimWorld({ profile: "typical", version }));
    expect(publishProblems(snap)).toEqual({ issues: [], problems: [] });
  });
});

describe("replication group", () => {
  it("re-polls on replication.query events (partial {state} fields)", () => {
    expect(replicationGroup.events).toEqual(["replication.query"]);
  });

  it("never throws on odd input and never emits NaN or undefined", () => {
    const ctx = { nas: NAS, version: parseVersion("25.10.0"), options: OPTIONS };
    for (const raw of [
      null,
      "x",
      [],
      [null, 3],
      [{}],
      [{ id: 1, state: "ERROR", job: 5, source_datasets: "tank" }],
      [
        {
          id: 2,
          state: { state: "RUNNING", progress: { bytes_sent: "x", bytes_total: 0 } },
          job: { state: 1 },
        },
      ],
      [{ id: 3, state: { state: "RUNNING", progress: { current: 5, total: 2 }, warnings: [null, "w"] } }],
    ]) {
      const snap = replicationGroup.normalise(raw, ctx);
      expectClean(snap);
      for (const o of snap.objects) {
        const progress = o.doc.progress;
        expect(progress === null || (typeof progress === "number" && progress <= 100)).toBe(true);
      }
    }
  });
});
