import { describe, expect, it } from "vitest";
import { cloudsyncGroup, scheduleText } from "../../src/groups/cloudsync.js";
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

describe.each<SimVersion>(["25.10", "25.04.2", "25.04.0"])("cloudsync group on %s", (version) => {
  it("shows each task's last run, its end, problem and progress on the NAS device", async () => {
    const world = new SimWorld({ profile: "typical", version });
    const snap = await pollGroup(cloudsyncGroup, world);
    expect(snap.devices).toEqual([]);
    expect(snap.objects.map((o) => [o.ref, o.device])).toEqual(
      world.state.cloudsync.map((t) => [{ kind: "cloudsync", id: String(t.id) }, "nas"]),
    );
    const task = world.state.cloudsync[0]!;
    const o = snap.objects[0]!;
    expect(o.doc).toEqual({
      last_run: String(task.job.state).toLowerCase(),
      last_run_end: task.job.time_finished,
      problem: false,
      progress: null,
    });
    expect(o.attributes).toMatchObject({
      description: task.description,
      enabled: task.enabled,
      direction: "push",
      transfer_mode: "sync",
      schedule: "0 3 * * *",
      provider: "B2",
      credential: "Backblaze B2",
      bucket: "nas01-offsite",
    });
    expect(snap.entities.map((e) => [e.key, e.name])).toEqual([
      ["last_run", "Cloud sync Offsite photos to B2 Last run"],
      ["last_run_end", "Cloud sync Offsite photos to B2 Last run end"],
      ["problem", "Cloud sync Offsite photos to B2 Problem"],
      ["progress", "Cloud sync Offsite photos to B2 Progress"],
    ]);
  });

  it("asks cloudsync.query for the shown fields only", async () => {
    const calls: CallLog = [];
    await pollGroup(cloudsyncGroup, new SimWorld({ profile: "typical", version }), calls);
    expect(calls.map((c) => c.method)).toEqual(["cloudsync.query"]);
    expect(calls[0]!.params[0]).toEqual([]);
    const select = (calls[0]!.params[1] as { select: string[] }).select;
    expect(select).toContain("job.progress.percent");
    expect(select).not.toContain("job");
    expect(select).not.toContain("credentials");
  });

  it("follows a run: progress from the job, then a failed end", async () => {
    const world = new SimWorld({ profile: "typical", version });
    const jobId = world.control.runCloudSync(1);
    world.jobs.progress(jobId, 37, "Transferring");
    let o = (await pollGroup(cloudsyncGroup, world)).objects[0]!;
    expect(o.doc).toMatchObject({ last_run: "running", progress: 37, problem: false, last_run_end: null });
    expect(o.attributes).toMatchObject({ job_id: jobId, progress_description: "Transferring" });
    world.control.finishTask("cloudsync", 1, false, "[EFAULT] Bucket gone");
    o = (await pollGroup(cloudsyncGroup, world)).objects[0]!;
    expect(o.doc).toMatchObject({ last_run: "failed", progress: null, problem: true });
    expect(o.doc.last_run_end).toBeInstanceOf(Date);
    expect(o.attributes).toMatchObject({ error: "[EFAULT] Bucket gone" });
  });

  it("passes the registry and the HA validator", async () => {
    const snap = await pollGroup(cloudsyncGroup, new SimWorld({ profile: "typical", version }));
    expect(publishProblems(snap)).toEqual({ issues: [], problems: [] });
  });
});

describe("cloudsync group", () => {
  it("re-polls on core.get_jobs: cloudsync.query has no progress events", () => {
    expect(cloudsyncGroup.events).toEqual(["cloudsync.query", "core.get_jobs"]);
  });

  it("shows a task that never ran as no problem, and a persisted job (id null) as its last run", () => {
    const ctx = { nas: NAS, version: parseVersion("25.10.0"), options: OPTIONS };
    const snap = cloudsyncGroup.normalise(
      [
        { id: 2, description: "", job: null },
        { id: 3, description: "x", job: { id: null, state: "ABORTED", time_finished: new Date(5) } },
      ],
      ctx,
    );
    expect(snap.objects.map((o) => o.doc)).toEqual([
      { last_run: null, last_run_end: null, problem: false, progress: null },
      { last_run: "aborted", last_run_end: new Date(5), problem: false, progress: null },
    ]);
    expect(snap.entities[0]!.name).toBe("Cloud sync 2 Last run");
    expect(publishProblems(snap)).toEqual({ issues: [], problems: [] });
  });

  it("writes schedules as crontab lines, with a window when there is one", () => {
    expect(scheduleText({ minute: "0", hour: "*", dom: "*", month: "*", dow: "*" })).toBe("0 * * * *");
    expect(
      scheduleText({
        minute: "0",
        hour: "*",
        dom: "*",
        month: "*",
        dow: "1-5",
        begin: "08:00",
        end: "18:00",
      }),
    ).toBe("0 * * * 1-5 (08:00-18:00)");
    expect(scheduleText(null)).toBeNull();
  });

  it("never throws on odd input and never emits NaN or undefined", () => {
    const ctx = { nas: NAS, version: parseVersion("25.10.0"), options: OPTIONS };
    for (const raw of [
      null,
      5,
      [],
      [null],
      [{}],
      [{ id: "1", job: [], schedule: "x", credentials: 7 }],
      [{ id: 1, job: { state: 5, progress: { percent: "NaN" }, time_finished: "yesterday" } }],
    ])
      expectClean(cloudsyncGroup.normalise(raw, ctx));
  });
});
