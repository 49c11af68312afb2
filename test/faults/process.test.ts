/**
 * Faults of the bridge process itself (issue 6): a normaliser that throws is isolated and reported over HTTP
 * in /healthz and /metrics while the other groups keep publishing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createApp, type App } from "../../src/app.js";
import { loadConfig } from "../../src/config/loadConfig.js";
import type { GroupDefinition } from "../../src/groups/group.js";
import { GROUPS } from "../../src/groups/index.js";
import type { CronFactory } from "../../src/scheduler/scheduler.js";
import type { SimWorld } from "../../src/simulator/nas/world.js";
import { DEFAULT_SIM_API_KEY, SimulatorServer } from "../../src/simulator/server.js";
import { freePort, startBroker, type TestBroker } from "../support/broker.js";
import { captureText, testLogger } from "../support/capture.js";
import { MqttProbe } from "../support/mqttProbe.js";

const noCron: CronFactory = () => ({
  start: () => undefined,
  stop: () => undefined,
  destroy: () => undefined,
});

let broker: TestBroker;
let sim: SimulatorServer;

beforeAll(async () => {
  broker = await startBroker();
  sim = new SimulatorServer({ profile: "small", driftIntervalMs: 0, jitterMs: 0 });
  await sim.start();
});

afterAll(async () => {
  await sim?.stop();
  await broker?.stop();
});

afterEach(() => {
  sim.faults.clear();
});

describe("a normaliser that throws, over HTTP", () => {
  let app: App;
  let base: string;
  const broken: GroupDefinition = {
    name: "alerts",
    fetch: ({ call }) => call("alert.list"),
    normalise: () => {
      throw new TypeError("normaliser bug");
    },
  };

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const config = loadConfig({
      env: {
        TRUENAS_URL: sim.url,
        TRUENAS_API_KEY: DEFAULT_SIM_API_KEY,
        MQTT_URL: broker.url,
        HEALTH_PORT: String(port),
        HEALTH_HOST: "127.0.0.1",
      },
    });
    app = createApp(config, {
      log: testLogger(),
      version: "t",
      cron: noCron,
      groups: GROUPS.map((g) => (g.name === "alerts" ? broken : g)),
    });
    const ready = new Promise<void>((resolve) => app.client.once("ready", () => resolve()));
    const connected = new Promise<void>((resolve) => app.publisher.once("connected", () => resolve()));
    await app.start();
    await Promise.all([ready, connected]);
  });

  afterAll(async () => {
    await app?.stop();
  });

  async function get(path: string): Promise<{ status: number; text: string }> {
    const res = await fetch(`${base}${path}`);
    const text = await res.text();
    captureText(`process: ${path}`, text);
    return { status: res.status, text };
  }

  it("is reported for its group in /healthz and /metrics; the other groups keep publishing", async () => {
    const probe = await MqttProbe.connect(broker.url, "truenas2mqtt/#");
    try {
      await app.bridge.pollGroup("alerts");
      const runsBefore = app.bridge.status().groups.system!.runs;
      const system = probe.next(
        (m) => m.topic.endsWith("/system/system") && JSON.parse(m.payload).ready === false,
      );
      // A change the next system poll must carry: the bridge still publishes after the crash.
      (sim.world as SimWorld).control.setReady(false);
      await app.bridge.pollGroup("system");
      expect(JSON.parse((await system).payload).ready).toBe(false);
      expect(app.bridge.status().groups.system!.runs).toBe(runsBefore + 1);

      const health = await get("/healthz");
      // The connections are fine, so the bridge is healthy; the broken group is named with its error.
      expect(health.status).toBe(200);
      const body = JSON.parse(health.text) as { groups: Record<string, Record<string, unknown>> };
      expect(body.groups.alerts).toMatchObject({
        lastError: "normaliser bug",
        lastSuccessAt: null,
        failures: expect.any(Number),
      });
      expect(body.groups.alerts!.failures).toBeGreaterThanOrEqual(1);
      expect(body.groups.system).toMatchObject({ lastError: null, lastSuccessAt: expect.any(Number) });
      expect(body.groups.pools).toMatchObject({ lastError: null });

      const metrics = await get("/metrics");
      expect(metrics.text).toMatch(/^truenas2mqtt_polls_total\{group="alerts",outcome="failed"\} [1-9]\d*$/m);
      expect(metrics.text).toMatch(/^truenas2mqtt_polls_total\{group="alerts",outcome="ok"\} 0$/m);
      expect(metrics.text).toMatch(/^truenas2mqtt_polls_total\{group="system",outcome="ok"\} [1-9]\d*$/m);
    } finally {
      await probe.close();
    }
  });
});
