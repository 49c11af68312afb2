import { describe, expect, it } from "vitest";
import { jobsGroup } from "../../src/groups/jobs.js";
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

describe.each<SimVersion>(["25.10", "25.04.2", "25.04.0"])("jobs group on %s", (version) => {
  it("counts running and waiting jobs and lists them as attributes", async () => {
    const world = new SimWorld({ profile: "typical", version });
    const snap = await pollGroup(jobsGroup, world);
    const running = world.state.jobs.filter((j) => j.state === "RUNNING");
    expect(snap.objects).toHaveLength(1);
    expect(snap.objects[0]!.ref).toEqual({ kind: "jobs", id: "jobs" });
    expect(snap.objects[0]!.device).toBe("nas");
    expect(snap.objects[0]!.doc).toEqual({ running: running.length, waiting: 0 });
    expect(snap.objects[0]!.attributes!.jobs).toEqual(
      running.map((j) => ({
        id: j.id,
        method: j.method,
        description: j.description,
        state: "running",
        percent: j.progress.percent,
        progress: j.progress.description,
        started: j.time_started,
      })),
    );
  });

  it("lets the NAS filter and select: only active jobs, only the shown fields", async () => {
    const calls: CallLog = [];
    await pollGroup(jobsGroup, new SimWorld({ profile: "typical", version }), calls);
    expect(calls).toEqual([
      {
        method: "core.get_jobs",
        params: [
          [["state", "in", ["WAITING", "RUNNING"]]],
          {
            select: [
              "id",
              "method",
              "description",
              "state",
              "progress.percent",
              "progress.description",
              "time_started",
            ],
          },
        ],
      },
    ]);
  });

  it("follows jobs started, progressing and finishing", async () => {
    const world = new SimWorld({ profile: "typical", version });
    const before = (await pollGroup(jobsGroup, world)).objects[0]!.doc.running as number;
    const id = world.jobs.start("pool.scrub.scrub", ["tank", "START"], "Scrub of pool 'tank'");
    world.jobs.progress(id, 55, "Scrubbing");
    let o = (await pollGroup(jobsGroup, world)).objects[0]!;
    expect(o.doc.running).toBe(before + 1);
    expect(o.attributes!.jobs).toContainEqual(
      expect.objectContaining({ id, method: "pool.scrub.scrub", percent: 55, progress: "Scrubbing" }),
    );
    world.jobs.finish(id, "SUCCESS");
    o = (await pollGroup(jobsGroup, world)).objects[0]!;
    expect(o.doc.running).toBe(before);
  });

  it("passes the registry and the HA validator", async () => {
    const snap = await pollGroup(jobsGroup, new SimWorld({ profile: "typical", version }));
    expect(publishProblems(snap)).toEqual({ issues: [], problems: [] });
  });
});

describe("jobs group", () => {
  it("re-polls on core.get_jobs", () => {
    expect(jobsGroup.events).toEqual(["core.get_jobs"]);
  });

  it("never throws on odd input and never emits NaN or undefined", () => {
    const ctx = { nas: NAS, version: parseVersion("25.10.0"), options: OPTIONS };
    for (const raw of [
      null,
      7,
      [],
      [null],
      [{ state: "RUNNING" }],
      [{ state: "WAITING", id: "x", progress: 5, time_started: 3 }, { state: "SUCCESS" }],
    ]) {
      const snap = jobsGroup.normalise(raw, ctx);
      expectClean(snap);
      expect(snap.objects).toHaveLength(1);
    }
  });
});
