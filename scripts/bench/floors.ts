/**
 * The floors the benchmark compares the bridge with, all measured in the same run, each in a process of its own
 * with the bridge's NODE_OPTIONS:
 * - CPU: what `JSON.parse` alone costs for the response frames of one full poll cycle (parseFloor.mjs). The
 *   frames are rebuilt from the same simulated NAS by running every group's own `fetch` against it in-process,
 *   so they are byte for byte what the bridge receives (the simulator serialises replies the same way).
 * - transport: what a bare WebSocket client pays to make the cycle's calls and parse the answers
 *   (transportFloor.mjs).
 * - memory: the RSS of a bare Node process that only imports the runtime dependencies.
 */
import { execFileSync, fork, type Serializable } from "node:child_process";
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

/** Median CPU milliseconds `JSON.parse` needs for the frames once, in a process of its own (parseFloor.mjs). */
export function parseFloorMs(
  root: string,
  frames: readonly CycleFrame[],
  nodeOptions: string,
): Promise<number> {
  return askChild(`${root}/scripts/bench/parseFloor.mjs`, nodeOptions, {
    frames: frames.map((f) => f.frame),
    minMs: 1_000,
  });
}

/** Runs a floor script in its own process with the bridge's NODE_OPTIONS; resolves with its `cpuMs`. */
function askChild(script: string, nodeOptions: string, request: Serializable): Promise<number> {
  const child = fork(script, [], { execArgv: [], env: { ...process.env, NODE_OPTIONS: nodeOptions } });
  const result = new Promise<number>((resolve, reject) => {
    child.once("message", (m) => resolve((m as { cpuMs: number }).cpuMs));
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  child.send(request);
  return result;
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
  const calls = frames.map((f) => ({ method: f.method, params: f.params }));
  return askChild(`${root}/scripts/bench/transportFloor.mjs`, nodeOptions, {
    url,
    apiKey,
    calls,
    warmup: Math.ceil(cycles / 3),
    cycles,
  });
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
