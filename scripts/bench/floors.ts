/**
 * The two floors the benchmark compares the bridge with, both measured in the same run:
 * - CPU: what `JSON.parse` alone costs for the response frames of one full poll cycle. The frames are
 *   rebuilt from the same simulated NAS by running every group's own `fetch` against it in-process, so they are
 *   byte for byte what the bridge receives (the simulator serialises replies the same way).
 * - memory: the RSS of a bare Node process that only imports the runtime dependencies.
 */
import { execFileSync, fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { GROUPS } from "../../src/groups/index.js";
import type { GroupOptions } from "../../src/groups/group.js";
import type { SimWorld } from "../../src/simulator/nas/world.js";
import { parseEjson, stringifyEjson } from "../../src/truenas/ejson.js";
import { parseVersion } from "../../src/truenas/version.js";

/** One call of a cycle and the reply frame it gets. */
export interface CycleFrame {
  readonly method: string;
  readonly params: readonly unknown[];
  readonly frame: string;
}

/** The reply frames one cycle of the given groups receives, with the call of each. */
export async function cycleFrames(
  world: SimWorld,
  groups: readonly string[],
  options: GroupOptions,
): Promise<CycleFrame[]> {
  const frames: CycleFrame[] = [];
  const methods = world.methods();
  const version = parseVersion(String(world.state.info.version));
  let id = 1;
  const call = <T>(method: string, params: readonly unknown[] = []): Promise<T> => {
    const handler = methods.get(method);
    if (!handler) return Promise.reject(new Error(`no ${method}`));
    const wire = parseEjson(stringifyEjson(params)) as unknown[];
    const frame = stringifyEjson({
      jsonrpc: "2.0",
      result: handler(wire, { messageId: id, username: "bench" }),
      id,
    });
    id += 1;
    frames.push({ method, params: wire, frame });
    return Promise.resolve((parseEjson(frame) as { result: T }).result);
  };
  for (const group of GROUPS.filter((g) => groups.includes(g.name))) {
    await group.fetch({ call, version, options, latest: world.state.realtime });
  }
  return frames;
}

/** CPU milliseconds `JSON.parse` needs for the frames once (median of repeated passes over ≥ 300 ms). */
export function parseFloorMs(frames: ReadonlyArray<{ frame: string }>): number {
  const samples: number[] = [];
  const end = Date.now() + 300;
  let sink = 0;
  while (samples.length < 5 || Date.now() < end) {
    const start = process.cpuUsage();
    for (const f of frames) sink += (JSON.parse(f.frame) as { id: number }).id;
    const used = process.cpuUsage(start);
    samples.push((used.user + used.system) / 1000);
  }
  if (sink < 0) throw new Error("unreachable");
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

/**
 * Median CPU milliseconds per cycle of a bare WebSocket client making the cycle's calls (transportFloor.mjs):
 * what any design that makes one request per method pays before doing anything with the answers.
 */
export async function transportFloorMs(
  root: string,
  url: string,
  apiKey: string,
  frames: readonly CycleFrame[],
  cycles: number,
  nodeOptions: string,
): Promise<number> {
  // The bridge process's NODE_OPTIONS, so both run on the same heap settings.
  const child = fork(`${root}/scripts/bench/transportFloor.mjs`, [], {
    execArgv: [],
    env: { ...process.env, NODE_OPTIONS: nodeOptions },
  });
  const result = new Promise<number>((resolve, reject) => {
    child.once("message", (m) => resolve((m as { cpuMs: number }).cpuMs));
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`transport floor child exited with ${code}`)));
  });
  const calls = frames.map((f) => ({ method: f.method, params: f.params }));
  child.send({ url, apiKey, calls, warmup: Math.ceil(cycles / 3), cycles });
  return result;
}

/** RSS and heap of `node` importing every runtime dependency and nothing else, after GC. */
export function dependencyFloor(root: string): { rss: number; heapUsed: number } {
  const pkg = JSON.parse(readFileSync(`${root}/package.json`, "utf8")) as {
    dependencies: Record<string, string>;
  };
  const imports = Object.keys(pkg.dependencies)
    .map((d) => `await import(${JSON.stringify(d)});`)
    .join("");
  const script = `${imports} await new Promise((r) => setTimeout(r, 200)); gc(); gc();
    const m = process.memoryUsage(); console.log(JSON.stringify({ rss: m.rss, heapUsed: m.heapUsed }));`;
  const out = execFileSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], {
    cwd: root,
  });
  return JSON.parse(out.toString()) as { rss: number; heapUsed: number };
}
