/**
 * The soak's rig: a real broker, the simulator (typical profile, drift driven by the soak) and the whole app
 * built by createApp on an accelerated clock, with no cron (the soak drives the polls).
 */
import { pino } from "pino";
import { createApp, type App } from "../../src/app.js";
import { loadConfig, type AppConfig } from "../../src/config/loadConfig.js";
import type { CronFactory } from "../../src/scheduler/scheduler.js";
import { DEFAULT_SIM_API_KEY, SimulatorServer } from "../../src/simulator/server.js";
import type { SimVersion } from "../../src/simulator/types.js";
import { startBroker, type TestBroker } from "../../test/support/broker.js";
import { acceleratedClock } from "./clock.js";
import { until as waitUntil } from "./wait.js";

export interface RigOptions {
  readonly speed: number;
  readonly version: SimVersion;
  readonly logLevel: string;
  /** Use the in-process aedes broker even when mosquitto is installed (CI machines without it do). */
  readonly aedes: boolean;
  /** Random source for the simulator's latency jitter. */
  readonly random: () => number;
}

/** Scheduled polls are the soak's own cycles, never wall-clock cron. */
const noCron: CronFactory = () => ({
  start: () => undefined,
  stop: () => undefined,
  destroy: () => undefined,
});

/**
 * x25: keepalive pings every 1 s (timeout 400 ms), calls time out after 200 ms, reconnects start at 40 ms and
 * cap at 2.4 s, and the NAS is marked unavailable after 80 ms down. Faster clocks turn a busy machine's
 * scheduling hiccups into keepalive timeouts.
 */
export const DEFAULT_SPEED = 25;
const CALL_TIMEOUT_S = 5;
export const APP_VERSION = "0.0.0-soak";

/** Where a stuck cycle is: the groups still running, the session and the broker connection. */
export function stuckReport(rig: Rig): string {
  const running = Object.entries(rig.app.bridge.status().groups)
    .filter(([, s]) => s.running)
    .map(([name]) => name);
  const { inFlight, queued } = rig.app.client.stats;
  return [
    `groups still running: ${running.join(", ") || "none"}`,
    `truenas ${rig.app.client.state} (${inFlight} in flight, ${queued} queued)`,
    `simulator connections ${rig.sim.openConnections}`,
    `mqtt ${rig.app.publisher.connected ? "connected" : "disconnected"}`,
  ].join("; ");
}

export interface Rig {
  broker: TestBroker;
  sim: SimulatorServer;
  app: App;
  config: AppConfig;
}

export async function startRig(opts: RigOptions): Promise<Rig> {
  const { speed, random } = opts;
  const broker = await startBroker({ forceAedes: opts.aedes });
  const sim = new SimulatorServer({
    profile: "typical",
    version: opts.version,
    driftIntervalMs: 0,
    random,
    // The NAS's penalties for failed logins and rate-limited calls, on the bridge's accelerated time.
    authFailDelayMs: [1000 / speed, 2000 / speed],
    rateLimitDelayMs: [1000 / speed, 10_000 / speed],
  });
  await sim.start();
  const config = loadConfig({
    env: {
      TRUENAS_URL: sim.url,
      TRUENAS_API_KEY: DEFAULT_SIM_API_KEY,
      TRUENAS_CALL_TIMEOUT: String(CALL_TIMEOUT_S),
      MQTT_URL: broker.url,
      HEALTH_PORT: "0",
      AVAILABILITY_GRACE: "2",
      REMOVAL_POLLS: "1",
    },
  });
  const log = pino({ level: opts.logLevel }, pino.destination(2));
  const app = createApp(config, { log, version: APP_VERSION, cron: noCron, clock: acceleratedClock(speed) });
  await app.start();
  return { broker, sim, app, config };
}

/** Stop the app, then the simulator and the broker. Resolves to app.stop()'s exit code. Never throws. */
export async function stopRig(rig: Rig, errors: string[]): Promise<number> {
  const code = await rig.app.stop();
  await waitUntil(() => rig.sim.openConnections === 0, 5_000, "the simulator's connections to close").catch(
    (err: unknown) => errors.push(String(err)),
  );
  await rig.sim.stop();
  await rig.broker.stop().catch((err: unknown) => errors.push(`broker stop: ${String(err)}`));
  return code;
}
