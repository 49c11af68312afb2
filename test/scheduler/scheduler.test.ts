import { pino } from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Scheduler, nodeCronFactory, type CronFactory } from "../../src/scheduler/scheduler.js";

const log = pino({ level: "silent" });

function fakeCron() {
  const tasks = new Map<string, { expression: string; run: () => Promise<void>; started: boolean }>();
  const factory: CronFactory = (expression, run, name) => {
    const t = { expression, run, started: false };
    tasks.set(name, t);
    return {
      start: () => void (t.started = true),
      stop: () => void (t.started = false),
      destroy: () => undefined,
    };
  };
  return { tasks, factory };
}

describe("Scheduler", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("creates one task per enabled group and none for groups that are off", () => {
    const cron = fakeCron();
    const s = new Scheduler({
      groups: [
        { name: "pools", schedule: { kind: "cron", expression: "*/5 * * * * *" } },
        { name: "updates", schedule: { kind: "off" } },
      ],
      runGroup: () => Promise.resolve(),
      cron: cron.factory,
      log,
    });
    s.start();
    expect([...cron.tasks.keys()]).toEqual(["poll:pools"]);
    expect(cron.tasks.get("poll:pools")).toMatchObject({ expression: "*/5 * * * * *", started: true });
  });

  it("skips scheduled polls while paused, runs them when resumed", async () => {
    const cron = fakeCron();
    const runs: string[] = [];
    const s = new Scheduler({
      groups: [{ name: "pools", schedule: { kind: "cron", expression: "* * * * *" } }],
      runGroup: (n) => Promise.resolve(void runs.push(n)),
      cron: cron.factory,
      log,
    });
    s.start();
    await cron.tasks.get("poll:pools")!.run();
    expect(runs).toEqual([]);
    s.resume();
    await cron.tasks.get("poll:pools")!.run();
    expect(runs).toEqual(["pools"]);
  });

  it("isolates a failing group, records the error, and keeps polling the others", async () => {
    let now = 1000;
    const s = new Scheduler({
      groups: [
        { name: "bad", schedule: { kind: "cron", expression: "* * * * *" } },
        { name: "good", schedule: { kind: "cron", expression: "* * * * *" } },
      ],
      runGroup: (n) => (n === "bad" ? Promise.reject(new Error("boom")) : Promise.resolve()),
      cron: fakeCron().factory,
      log,
      now: () => now,
    });
    s.start();
    await s.pollAll();
    now = 2000;
    await s.pollAll();
    const st = s.status();
    expect(st.bad).toMatchObject({ lastError: "boom", lastErrorAt: 2000, failures: 2, lastSuccessAt: null });
    expect(st.good).toMatchObject({ lastSuccessAt: 2000, lastError: null, runs: 2 });
  });

  it("never runs a group twice at once: a second request joins the running poll", async () => {
    let release!: () => void;
    let calls = 0;
    const s = new Scheduler({
      groups: [{ name: "slow", schedule: { kind: "cron", expression: "* * * * *" } }],
      runGroup: () => {
        calls += 1;
        return new Promise<void>((r) => (release = r));
      },
      cron: fakeCron().factory,
      log,
    });
    s.start();
    s.resume();
    const a = s.runGroup("slow");
    const b = s.runGroup("slow");
    release();
    await Promise.all([a, b]);
    expect(calls).toBe(1);
  });

  it("drives real node-cron tasks with fake timers", async () => {
    vi.useFakeTimers({ now: new Date("2026-01-01T00:00:00.500Z") });
    const runs: number[] = [];
    const s = new Scheduler({
      groups: [{ name: "fast", schedule: { kind: "cron", expression: "*/2 * * * * *" } }],
      runGroup: () => Promise.resolve(void runs.push(Date.now())),
      cron: nodeCronFactory,
      log,
    });
    s.start();
    s.resume();
    await vi.advanceTimersByTimeAsync(6_000);
    await s.stop();
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.length).toBeLessThanOrEqual(4);
    const before = runs.length;
    await vi.advanceTimersByTimeAsync(6_000);
    expect(runs.length).toBe(before);
  });
});
