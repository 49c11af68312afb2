/**
 * What the soak measures about the process itself: heap after a forced full GC, and the live handles and
 * requests Node reports (sockets, servers, timers, child processes), so a run can show it leaked none.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { runInNewContext } from "node:vm";
import { getHeapSpaceStatistics, setFlagsFromString } from "node:v8";

export type GcFunction = () => void;

/**
 * `global.gc` when Node runs with --expose-gc (`npm run soak`); otherwise the flag is set at run time and
 * the function taken from a fresh context, which is how a vitest worker (started without the flag) gets
 * one: V8 installs `gc` on contexts created after the flag is set.
 */
export function obtainGc(): GcFunction {
  const existing = (globalThis as { gc?: unknown }).gc;
  if (typeof existing === "function") return existing as GcFunction;
  setFlagsFromString("--expose-gc");
  const fresh = runInNewContext("gc") as unknown;
  if (typeof fresh !== "function") throw new Error("cannot obtain a gc function (run node with --expose-gc)");
  return fresh as GcFunction;
}

export interface HeapFigure {
  /** `heapUsed`: every V8 heap space. */
  readonly used: number;
  /** The part in the code spaces: compiled functions, which grow as V8 optimises more of them. */
  readonly code: number;
  /** Off-heap memory of Buffers and ArrayBuffers (not part of `used`). */
  readonly external: number;
}

/** Heap used after full collections; the turns between them let weak callbacks and finalizers run. */
export async function settledHeap(gc: GcFunction): Promise<HeapFigure> {
  for (let i = 0; i < 3; i++) {
    gc();
    await nextTurn();
  }
  const code = getHeapSpaceStatistics()
    .filter((s) => s.space_name.includes("code"))
    .reduce((sum, s) => sum + s.space_used_size, 0);
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return { used: heapUsed, code, external: arrayBuffers };
}

/** Live resources by type, e.g. {TCPSocketWrap: 2, Timeout: 5}. */
export function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/** Types with more live resources now than in `before`, as "Type +n". */
export function resourceGrowth(before: Record<string, number>, after: Record<string, number>): string[] {
  return Object.entries(after)
    .filter(([type, n]) => n > (before[type] ?? 0))
    .map(([type, n]) => `${type} +${n - (before[type] ?? 0)}`)
    .sort();
}

/**
 * The growth once closing sockets and cleared timers have been reaped: closes complete a few turns after
 * stop() resolves, so look again for up to `withinMs` before calling anything a leak.
 */
export async function settledResourceGrowth(
  before: Record<string, number>,
  withinMs = 3000,
): Promise<{ after: Record<string, number>; growth: string[] }> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    await nextTurn();
    const after = activeResources();
    const growth = resourceGrowth(before, after);
    if (growth.length === 0 || Date.now() > deadline) return { after, growth };
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
