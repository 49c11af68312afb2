/**
 * One benchmark profile end to end: a fresh broker and simulated NAS, the real CLI for start-up, then the
 * bridge process driven over IPC for cycle cost, steady state, event latency, memory and the load on the NAS.
 */
import { performance } from "node:perf_hooks";
import { objectStateTopic } from "../../src/entities/topics.js";
import { DEFAULT_SIM_API_KEY, SimulatorServer } from "../../src/simulator/server.js";
import type { SimWorld } from "../../src/simulator/nas/world.js";
import type { SimProfile } from "../../src/simulator/types.js";
import { startBroker } from "../../test/support/broker.js";
import { BridgeChild, type CycleResult, type MemoryResult } from "./child.js";
import { cycleFrames, parseFloorMs, transportFloorMs } from "./floors.js";
import { changeShare, eventMutations, rng } from "./mutations.js";
import {
  bridgePerHour,
  diff,
  naivePerHour,
  realtimeEventBytes,
  snapshot,
  totals,
  type LoadTable,
} from "./nasLoad.js";
import { runCliUntilPublished, startupMs } from "./startup.js";
import { BenchSubscriber } from "./subscriber.js";

export interface ProfileOptions {
  readonly root: string;
  readonly profile: SimProfile;
  /** Cycles between the two memory readings. */
  readonly memoryCycles: number;
  /** Event mutations timed for latency. */
  readonly mutations: number;
  readonly log: (line: string) => void;
  /** NODE_OPTIONS for every bridge process (the container's, by default). */
  readonly nodeOptions: string;
  /** Write a CPU profile of the bridge process into this folder. */
  readonly cpuProfileDir?: string;
}

export interface ProfileResult {
  profile: SimProfile;
  broker: string;
  entities: { configs: number; states: number; objects: number };
  startup: { ms: number; missing: number; missingSample: string[]; lastTopic: string; rss: number };
  cycle: {
    wallMs: number;
    cpuMs: number;
    parseFloorMs: number;
    /** CPU of a bare WebSocket client making the same calls and only parsing the answers (transportFloor.mjs). */
    transportFloorMs: number;
    ratio: number;
    frames: number;
    frameBytes: number;
  };
  unchanged: { messages: number; bytes: number };
  changed: { share: number; objects: number; messages: number; bytes: number };
  latency: { count: number; p50: number; p99: number; max: number; byKind: Record<string, number> };
  memory: { cycles: number; afterStart: MemoryResult; afterCycles: MemoryResult; heapGrowth: number };
  nasLoad: {
    bridge: LoadTable;
    naive: LoadTable;
    bridgeTotal: { calls: number; bytes: number };
    naiveTotal: { calls: number; bytes: number };
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};

export async function runProfile(o: ProfileOptions): Promise<ProfileResult> {
  const broker = await startBroker();
  const sim = new SimulatorServer({ profile: o.profile, version: "25.10", driftIntervalMs: 0, jitterMs: 0 });
  await sim.start();
  const world = sim.world as SimWorld;
  const sub = await BenchSubscriber.connect(broker.url, ["homeassistant/#", "truenas2mqtt/#"]);
  const env: Record<string, string> = {
    TRUENAS_URL: sim.url,
    TRUENAS_API_KEY: DEFAULT_SIM_API_KEY,
    MQTT_URL: broker.url,
    HEALTH_PORT: "0",
    LOG_LEVEL: "warn",
    ...(o.nodeOptions ? { NODE_OPTIONS: o.nodeOptions } : {}),
    // The large profile publishes every dataset (about 25,000 entities in all).
    ...(o.profile === "large" ? { DATASETS_MAX_DEPTH: "64" } : {}),
  };
  let child: BridgeChild | undefined;
  try {
    o.log(`${o.profile}: what the bridge publishes`);
    const first = new BridgeChild(env);
    await first.started;
    await first.request("ready");
    for (let i = 0; i < 2; i++) await first.cycle();
    const topics = await first.request<{ nas: string; configs: string[]; states: string[] }>("topics");
    await first.stop();

    o.log(`${o.profile}: start-up of truenas2mqtt run`);
    const expected = [...topics.configs, ...topics.states];
    const cli = await runCliUntilPublished(o.root, env, sub, expected, o.cpuProfileDir);
    const startup = startupMs(cli, new Map(sub.firstAt), expected);
    if (startup.missing > 0)
      o.log(
        `${o.profile}: ${startup.missing} topics never arrived, e.g. ${startup.missingSample.join(", ")}`,
      );

    child = new BridgeChild(env, o.cpuProfileDir);
    await child.started;
    const ready = await child.request<{ status: { groups: Record<string, { disabled: string | null }> } }>(
      "ready",
    );
    const pingStart = { calls: sim.stats.calls("core.ping"), at: performance.now() };
    const groups = Object.entries(ready.status.groups)
      .filter(([, s]) => s.disabled === null)
      .map(([g]) => g);
    const objects = topics.states.filter((t) => !t.endsWith("/attributes")).length;
    const firstMessage = Math.min(...sub.firstAt.values()) - cli.startedAt;
    o.log(
      `${o.profile}: first message after ${firstMessage.toFixed(0)} ms; last topic: ${startup.lastTopic}`,
    );
    o.log(
      `${o.profile}: ${topics.configs.length} configs, ${topics.states.length} states, start-up ${startup.ms.toFixed(0)} ms`,
    );

    for (let i = 0; i < 3; i++) await child.cycle();
    const afterStart = await child.memory();

    o.log(`${o.profile}: cycle cost`);
    const cycles: CycleResult[] = [];
    for (let i = 0; i < (o.profile === "large" ? 10 : 30); i++) cycles.push(await child.cycle());
    const options = { datasets: { include: [], exclude: [], maxDepth: o.profile === "large" ? 64 : 1 } };
    const frames = await cycleFrames(world, groups, options);
    const floor = await parseFloorMs(o.root, frames, o.nodeOptions);
    const transport = await transportFloorMs(
      o.root,
      sim.url,
      DEFAULT_SIM_API_KEY,
      frames,
      o.profile === "large" ? 10 : 100,
      o.nodeOptions,
    );
    const cpuMs = median(cycles.map((c) => c.cpuMs));
    const unchanged = cycles.at(-1)!;

    o.log(`${o.profile}: 5 % of objects changed`);
    const maxDepth = options.datasets.maxDepth;
    const publishedDatasets = new Set(
      world.state.datasets.map((d) => String(d.id)).filter((id) => id.split("/").length - 1 <= maxDepth),
    );
    const subBefore = { messages: sub.messages, bytes: sub.bytes };
    const changedCount = changeShare(world, publishedDatasets, objects, 0.05, rng(42));
    await child.cycle();
    await sub.quiet(300);
    const changed = { messages: sub.messages - subBefore.messages, bytes: sub.bytes - subBefore.bytes };

    o.log(`${o.profile}: event latency over ${o.mutations} mutations`);
    const latencies: number[] = [];
    const byKind: Record<string, number[]> = {};
    const topicsCtx = { baseTopic: "truenas2mqtt", discoveryPrefix: "homeassistant" };
    for (const m of eventMutations(world, o.mutations)) {
      const topic = objectStateTopic(topicsCtx, topics.nas, m.object);
      const arrived = sub.next((t) => t === topic);
      const t0 = performance.now();
      m.run();
      const ms = (await arrived) - t0;
      latencies.push(ms);
      (byKind[m.kind] ??= []).push(ms);
      await sub.quiet(100);
    }

    o.log(`${o.profile}: memory over ${o.memoryCycles} cycles`);
    for (let i = 0; i < o.memoryCycles; i++) await child.cycle();
    const afterCycles = await child.memory();

    o.log(`${o.profile}: load on the NAS`);
    const perGroup: Record<string, LoadTable> = {};
    for (const g of groups) {
      const before = snapshot(sim.stats);
      await child.poll(g);
      perGroup[g] = diff(snapshot(sim.stats), before);
    }
    const methods = [...new Set(Object.values(perGroup).flatMap((t) => Object.keys(t)))];
    if (!methods.includes("reporting.netdata_get_data")) methods.push("reporting.netdata_get_data");
    const naive = await naivePerHour(sim.url, DEFAULT_SIM_API_KEY, methods, sim.stats);
    const realtimeBytes = await realtimeEventBytes(sim.url, DEFAULT_SIM_API_KEY);
    const pingHours = (performance.now() - pingStart.at) / 3_600_000;
    // The naive replay above made exactly one ping of its own.
    const pings = (sim.stats.calls("core.ping") - pingStart.calls - 1) / pingHours;
    const bridge = bridgePerHour(perGroup, { perHour: pings, bytes: naive.pingBytes }, realtimeBytes);

    return {
      profile: o.profile,
      broker: broker.kind,
      entities: { configs: topics.configs.length, states: topics.states.length, objects },
      startup: { ...startup, rss: cli.rss },
      cycle: {
        wallMs: median(cycles.map((c) => c.wallMs)),
        cpuMs,
        parseFloorMs: floor,
        ratio: cpuMs / floor,
        transportFloorMs: transport,
        frames: frames.length,
        frameBytes: frames.reduce((a, f) => a + Buffer.byteLength(f.frame), 0),
      },
      unchanged: { messages: unchanged.messages, bytes: unchanged.bytes },
      changed: { share: 0.05, objects: changedCount, ...changed },
      latency: {
        count: latencies.length,
        p50: quantile(latencies, 0.5),
        p99: quantile(latencies, 0.99),
        max: Math.max(...latencies),
        byKind: Object.fromEntries(Object.entries(byKind).map(([k, v]) => [k, median(v)])),
      },
      memory: {
        cycles: o.memoryCycles,
        afterStart,
        afterCycles,
        heapGrowth: afterCycles.heapUsed - afterStart.heapUsed,
      },
      nasLoad: { bridge, naive: naive.hour, bridgeTotal: totals(bridge), naiveTotal: totals(naive.hour) },
    };
  } finally {
    await child?.stop();
    await sub.close();
    await sim.stop();
    await broker.stop();
  }
}
