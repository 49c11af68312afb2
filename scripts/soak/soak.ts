/**
 * The accelerated soak (issue 6): the whole bridge in-process against the simulator and a real broker,
 * driven through thousands of poll cycles (every enabled group, as fast as they complete) while the NAS
 * changes and faults are injected. At the end it checks that the heap did not grow, that nothing was
 * leaked, and that what the broker holds retained equals the truth. `npm run soak` (main.ts) and the CI
 * test (test/soak/soak.test.ts) both run it through runSoak().
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { GROUPS } from "../../src/groups/index.js";
import { seededRandom } from "../../src/simulator/nas/state.js";
import type { SimWorld } from "../../src/simulator/nas/world.js";
import type { SimVersion } from "../../src/simulator/types.js";
import { FaultInjector } from "./faults.js";
import { NasMutator } from "./mutations.js";
import {
  activeResources,
  obtainGc,
  type GcFunction,
  settledHeap,
  type HeapFigure,
  settledResourceGrowth,
} from "./resources.js";
import { finalChecks, type SoakFigures, type SoakResult } from "./result.js";
import { APP_VERSION, DEFAULT_SPEED, startRig, stopRig, stuckReport, type Rig } from "./rig.js";
import { compareRetained, expectedRetained, retainedOnBroker } from "./truth.js";
import { until, waitForEvent } from "./wait.js";

export type { SoakResult } from "./result.js";

export interface SoakOptions {
  readonly cycles: number;
  readonly seed: number;
  /** Cycles before the heap baseline is taken. Default min(200, cycles / 4). */
  readonly warmupCycles?: number;
  /** How much faster than real time the bridge's clock runs. Default 25. */
  readonly speed?: number;
  /** Odds per cycle of a new fault. Default 0.02. */
  readonly faultRate?: number;
  /** Odds per cycle of a NAS change. Default 0.3. */
  readonly mutationRate?: number;
  readonly version?: SimVersion;
  /** Use aedes in-process instead of mosquitto. Default false (mosquitto when installed). */
  readonly aedes?: boolean;
  /** The bridge's log level (to stderr). Default silent. */
  readonly logLevel?: string;
  /** Heap growth allowed, bytes. Default 2 MiB. */
  readonly heapLimitBytes?: number;
  readonly onProgress?: (cycle: number, result: { faults: number; mutations: number }) => void;
}

/** A session not back within this (real) time is a stall; method faults are lifted after the first part. */
const READY_WAIT_MS = 15_000;
const FAULTS_LIFTED_AFTER_MS = 1_000;
const CYCLE_LIMIT_MS = 30_000;

export async function runSoak(opts: SoakOptions): Promise<SoakResult> {
  const started = Date.now();
  const gc = obtainGc();
  await nextTurn();
  const resourcesBefore = activeResources();
  const streams = seededRandom(opts.seed);
  const [simRandom, mutationRandom, faultRandom] = [0, 1, 2].map(() =>
    seededRandom(Math.floor(streams() * 2 ** 32)),
  ) as [() => number, () => number, () => number];
  const rig = await startRig({
    speed: opts.speed ?? DEFAULT_SPEED,
    version: opts.version ?? "25.10",
    logLevel: opts.logLevel ?? "silent",
    aedes: opts.aedes ?? false,
    random: simRandom,
  });
  let stopCode: number | undefined;
  const errors: string[] = [];
  try {
    const run = await drive(rig, opts, mutationRandom, faultRandom, gc, errors);
    stopCode = await stopRig(rig, errors);
    const resources = await settledResourceGrowth(resourcesBefore);
    const { resourcesLive, ...figures } = run;
    return finalChecks({
      ...figures,
      seed: opts.seed,
      cycles: opts.cycles,
      speed: opts.speed ?? DEFAULT_SPEED,
      brokerKind: rig.broker.kind,
      wallMs: Date.now() - started,
      resources: {
        before: resourcesBefore,
        live: resourcesLive,
        after: resources.after,
        growth: resources.growth,
      },
      stopCode,
      errors,
    });
  } finally {
    if (stopCode === undefined) await stopRig(rig, []);
  }
}

type DriveFigures = Omit<
  SoakFigures,
  "seed" | "cycles" | "speed" | "brokerKind" | "wallMs" | "resources" | "stopCode" | "errors"
> & { resourcesLive: Record<string, number> };

/** The cycles, the quiet end, the heap figures and the truth check; leaves the rig running. */
async function drive(
  rig: Rig,
  opts: SoakOptions,
  mutationRandom: () => number,
  faultRandom: () => number,
  gc: GcFunction,
  errors: string[],
): Promise<DriveFigures> {
  const { app, sim, broker, config } = rig;
  const world = sim.world as SimWorld;
  const groups = GROUPS.filter((g) => config.poll[g.name].kind !== "off").map((g) => g.name);
  const cycle = (): Promise<void[]> => Promise.all(groups.map((g) => app.bridge.pollGroup(g)));
  // pollGroup never rejects and every call has a timeout, so a cycle that does not end is a bug: report
  // where it stuck instead of hanging the run.
  const watched = async (polls: Promise<unknown>, at: number): Promise<void> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stuck = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`cycle ${at} did not finish in ${CYCLE_LIMIT_MS} ms: ${stuckReport(rig)}`)),
        CYCLE_LIMIT_MS,
      );
    });
    try {
      await Promise.race([polls, stuck]);
    } finally {
      clearTimeout(timer);
    }
  };

  await until(
    () => app.client.state === "ready" && app.bridge.nas !== undefined,
    READY_WAIT_MS,
    "the first session",
  );
  await cycle();
  // Not the methods of session setup: a fault there makes every retry spend a login (see faults.ts).
  const methods = [...sim.stats.methods.keys()]
    .filter((m) => !/^(auth|core)\./.test(m) && m !== "system.info")
    .sort();
  const faults = new FaultInjector({
    sim,
    broker,
    random: faultRandom,
    methods,
    logins: () => sim.stats.calls("auth.login_with_api_key"),
    onError: (what, err) => errors.push(`${what}: ${String(err)}`),
  });
  const mutator = new NasMutator(world, mutationRandom);
  let faultsLiftedForReady = 0;
  const sessionReady = async (): Promise<void> => {
    if (app.client.state === "ready") return;
    if (await waitForEvent(app.client, "ready", FAULTS_LIFTED_AFTER_MS)) return;
    faults.clearSessionFaults();
    faultsLiftedForReady += 1;
    if (!(await waitForEvent(app.client, "ready", READY_WAIT_MS)))
      throw new Error(`the TrueNAS session did not come back in ${READY_WAIT_MS} ms: ${stuckReport(rig)}`);
  };
  const warmup = Math.min(opts.warmupCycles ?? Math.min(200, Math.floor(opts.cycles / 4)), opts.cycles);
  const faultRate = opts.faultRate ?? 0.02;
  const mutationRate = opts.mutationRate ?? 0.3;
  let heapWarm = await settledHeap(gc);
  // What the leak probe sees while everything runs, so the report shows it would notice a leak.
  let resourcesLive = activeResources();
  let worldWarm = world.counts();
  // The heap every tenth of the run after the warm-up: a leak climbs steadily, compiled code levels off.
  const samples: Array<HeapFigure & { cycle: number }> = [];
  const sampleEvery = Math.max(1, Math.floor((opts.cycles - warmup) / 10));

  for (let i = 0; i < opts.cycles; i++) {
    faults.tick(i, faultRate);
    faults.tour(i, warmup);
    await sessionReady();
    const polls = cycle();
    // Half the changes land while the cycle's calls are in flight, half between cycles.
    const during = mutationRandom() < 0.5;
    const change = mutationRandom() < mutationRate;
    if (change && during) mutator.mutate();
    await watched(polls, i);
    if (change && !during) mutator.mutate();
    await nextTurn();
    if (i + 1 === warmup) {
      heapWarm = await settledHeap(gc);
      resourcesLive = activeResources();
      worldWarm = world.counts();
    }
    if (i + 1 > warmup && (i + 1 - warmup) % sampleEvery === 0)
      samples.push({ cycle: i + 1, ...(await settledHeap(gc)) });
    opts.onProgress?.(i + 1, { faults: faults.total, mutations: mutator.total });
  }

  // The quiet end: no faults, both connections up, a realtime sample newer than the last change, one cycle.
  await faults.clearAll();
  await sessionReady();
  await until(() => app.publisher.connected, READY_WAIT_MS, "the broker connection");
  await waitForEvent<{ collection: string }>(app.client, "notification", 5_000, (p) =>
    p.collection.startsWith("reporting.realtime"),
  );
  await cycle();
  const heapEnd = await settledHeap(gc);
  const mismatches = await checkTruth(rig);
  const status = app.bridge.status().groups;
  const clientStats = app.client.stats;
  const published = app.publisher.stats;
  return {
    warmupCycles: warmup,
    faults: { ...faults.counts },
    mutations: { ...mutator.counts },
    faultsLiftedForReady,
    heap: {
      warmup: heapWarm.used,
      end: heapEnd.used,
      growth: heapEnd.used - heapWarm.used,
      codeGrowth: heapEnd.code - heapWarm.code,
      external: { warmup: heapWarm.external, end: heapEnd.external },
      samples,
      limit: opts.heapLimitBytes ?? 2 ** 21,
    },
    rssBytes: process.memoryUsage().rss,
    messages: { published: published.messages, dropped: published.dropped, bytes: published.bytes },
    polls: {
      runs: Object.values(status).reduce((n, s) => n + s.runs, 0),
      failures: Object.values(status).reduce((n, s) => n + s.failures, 0),
    },
    session: {
      sessions: clientStats.sessions,
      reconnects: clientStats.reconnects,
      callTimeouts: clientStats.callTimeouts,
      badFrames: clientStats.badFrames,
    },
    truth: mismatches,
    resourcesLive,
    world: { warmup: worldWarm, end: world.counts() },
  };
}

async function checkTruth(rig: Rig): Promise<{ topics: number; mismatches: string[] }> {
  const { app, sim, broker, config } = rig;
  const nas = app.bridge.nas;
  const info = app.client.systemInfo;
  if (!nas || !info) throw new Error("the bridge never identified the NAS");
  const context = {
    topics: { baseTopic: config.mqtt.baseTopic, discoveryPrefix: config.homeassistant.discoveryPrefix },
    nas,
    // As app.ts builds it for the bridge.
    origin: { swVersion: APP_VERSION, supportUrl: "https://github.com/truenas2mqtt/truenas2mqtt" },
  };
  const world = sim.world as SimWorld;
  const expected = await expectedRetained({ world, config, groups: GROUPS, context, info });
  const actual = await retainedOnBroker(broker.url, app.publisher, [
    `${config.mqtt.baseTopic}/#`,
    `${config.homeassistant.discoveryPrefix}/#`,
  ]);
  return { topics: expected.size, mismatches: compareRetained(expected, actual) };
}
