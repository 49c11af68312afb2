/**
 * Start-up as users see it: `node dist/main.js run` spawned fresh, timed from the spawn to the moment the
 * subscriber has received every discovery config and state the bridge publishes (the set is taken from a
 * bridge process's own view of the same NAS just before, so nothing is guessed).
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import type { BenchSubscriber } from "./subscriber.js";

export interface StartupRun {
  readonly startedAt: number;
  /** RSS of the real process once it went quiet (from /proc), in bytes. */
  readonly rss: number;
}

function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Runs the real CLI until the subscriber has every topic of `expected` (what a bridge process published for the
 * same NAS beforehand) or `timeoutMs` passed, then stops it with SIGTERM.
 */
export async function runCliUntilPublished(
  root: string,
  env: Record<string, string>,
  sub: BenchSubscriber,
  expected: readonly string[],
  cpuProfileDir?: string,
  timeoutMs = 120_000,
): Promise<StartupRun> {
  sub.reset();
  const startedAt = performance.now();
  const profile = cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${cpuProfileDir}/startup`] : [];
  const proc = spawn(process.execPath, [...profile, "dist/main.js", "run"], {
    cwd: root,
    env: { ...env, PATH: process.env.PATH ?? "" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => proc.once("exit", resolve));
  const deadline = startedAt + timeoutMs;
  while (performance.now() < deadline && expected.some((t) => !sub.firstAt.has(t))) {
    await new Promise((r) => setTimeout(r, 20));
  }
  const rss = rssOf(proc.pid ?? -1);
  proc.kill("SIGTERM");
  const code = await exited;
  if (code !== 0) throw new Error(`truenas2mqtt run exited with ${code}`);
  return { startedAt, rss };
}

/** Milliseconds from spawn to the last first-arrival among `topics`, and how many never arrived. */
export function startupMs(
  run: StartupRun,
  firstAt: ReadonlyMap<string, number>,
  topics: readonly string[],
): { ms: number; missing: number; missingSample: string[]; lastTopic: string } {
  let last = run.startedAt;
  let lastTopic = "";
  const missing: string[] = [];
  for (const t of topics) {
    const at = firstAt.get(t);
    if (at === undefined) missing.push(t);
    else if (at > last) {
      last = at;
      lastTopic = t;
    }
  }
  return { ms: last - run.startedAt, missing: missing.length, missingSample: missing.slice(0, 5), lastTopic };
}
