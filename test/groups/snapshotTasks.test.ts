import { describe, expect, it } from "vitest";
import { snapshotTasksGroup } from "../../src/groups/snapshotTasks.js";
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

describe.each<SimVersion>(["25.10", "25.04.2", "25.04.0"])("snapshot_tasks group on %s", (version) => {
  it("shows each task's last run, its end and a problem for ERROR", async () => {
    const world = new SimWorld({ profile: "typical", version });
    const snap = await pollGroup(snapshotTasksGroup, world);
    expect(snap.devices).toEqual([]);
    expect(snap.objects.map((o) => [o.ref, o.device])).toEqual(
      world.state.snapshottasks.map((t) => [{ kind: "snapshottask", id: String(t.id) }, "nas"]),
    );
    for (const [i, task] of world.state.snapshottasks.entries()) {
      const state = String(task.state.state).toLowerCase();
      expect(snap.objects[i]!.doc).toEqual({
        last_run: state,
        last_run_end: task.state.datetime,
        problem: state === "error",
      });
      expect(snap.objects[i]!.attributes).toMatchObject({
        dataset: task.dataset,
        enabled: task.enabled,
        naming_schema: task.naming_schema,
        last_snapshot: task.state.last_snapshot,
        error: task.state.error ?? null,
      });
    }
    expect(snap.objects[0]!.attributes).toMatchObject({ schedule: "0 * * * *", retention: "2 week" });
    expect(snap.objects[1]!.doc.problem).toBe(true);
    expect(snap.entities.map((e) => e.name).slice(0, 3)).toEqual([
      "Snapshots tank/home Last run",
      "Snapshots tank/home Last run end",
      "Snapshots tank/home Problem",
    ]);
  });

  it("asks pool.snapshottask.query for the shown fields only", async () => {
    const calls: CallLog = [];
    await pollGroup(snapshotTasksGroup, new SimWorld({ profile: "typical", version }), calls);
    expect(calls).toEqual([
      {
        method: "pool.snapshottask.query",
        params: [[], { select: expect.arrayContaining(["id", "dataset", "state", "enabled"]) }],
      },
    ]);
    expect((calls[0]!.params[1] as { select: string[] }).select).not.toContain("vmware_sync");
  });

  it("follows a state change", async () => {
    const world = new SimWorld({ profile: "typical", version });
    world.control.setSnapshotTaskState(1, "RUNNING");
    world.control.setSnapshotTaskState(2, "FINISHED");
    let snap = await pollGroup(snapshotTasksGroup, world);
    expect(snap.objects[0]!.doc).toEqual({ last_run: "running", last_run_end: null, problem: false });
    expect(snap.objects[1]!.doc).toMatchObject({ last_run: "finished", problem: false });
    world.control.setSnapshotTaskState(1, "ERROR", "out of space");
    snap = await pollGroup(snapshotTasksGroup, world);
    expect(snap.objects[0]!.doc).toMatchObject({ last_run: "error", problem: true });
    expect(snap.objects[0]!.attributes).toMatchObject({ error: "out of space" });
  });

  it("passes the registry and the HA validator", async () => {
    const snap = await pollGroup(snapshotTasksGroup, new SimWorld({ profile: "typical", version }));
    expect(publishProblems(snap)).toEqual({ issues: [], problems: [] });
  });
});

describe("snapshot_tasks group", () => {
  const ctx = { nas: NAS, version: parseVersion("25.10.0"), options: OPTIONS };

  it("names two tasks on one dataset apart", () => {
    const snap = snapshotTasksGroup.normalise(
      [
        { id: 4, dataset: "tank/a", state: { state: "PENDING" } },
        { id: 5, dataset: "tank/a", state: { state: "FINISHED", datetime: new Date(0) } },
      ],
      ctx,
    );
    expect(snap.entities.filter((e) => e.key === "last_run").map((e) => e.name)).toEqual([
      "Snapshots tank/a (task 4) Last run",
      "Snapshots tank/a (task 5) Last run",
    ]);
    expect(publishProblems(snap)).toEqual({ issues: [], problems: [] });
  });

  it("never throws on odd input and never emits NaN or undefined", () => {
    for (const raw of [
      null,
      {},
      [],
      [null],
      [{ id: null }],
      [{ id: 1, state: "x", schedule: [], exclude: "a", lifetime_value: "NaN" }],
      [{ id: 1 }, { id: 1 }],
    ])
      expectClean(snapshotTasksGroup.normalise(raw, ctx));
  });
});
