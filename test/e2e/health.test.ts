/** /healthz and /metrics of the running bridge follow the simulator and the broker going away and back. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type App } from "../../src/app.js";
import { loadConfig } from "../../src/config/loadConfig.js";
import type { CronFactory } from "../../src/scheduler/scheduler.js";
import { DEFAULT_SIM_API_KEY, SimulatorServer } from "../../src/simulator/server.js";
import { freePort, startBroker, type TestBroker } from "../support/broker.js";
import { captureText, testLogger } from "../support/capture.js";

const noCron: CronFactory = () => ({
  start: () => undefined,
  stop: () => undefined,
  destroy: () => undefined,
});
let broker: TestBroker;
let sim: SimulatorServer;
let app: App;
let base: string;

async function health(): Promise<{ status: number; body: { healthy: boolean; reasons: string[] } }> {
  const res = await fetch(`${base}/healthz`);
  const text = await res.text();
  captureText("/healthz", text);
  return { status: res.status, body: JSON.parse(text) as { healthy: boolean; reasons: string[] } };
}

/** Resolves on the next emission of `event` (the bridge's components are plain typed emitters). */
function next(emitter: { once(event: string, fn: () => void): unknown }, event: string): Promise<void> {
  return new Promise((resolve) => emitter.once(event, () => resolve()));
}

beforeAll(async () => {
  broker = await startBroker();
  sim = new SimulatorServer({ profile: "small", driftIntervalMs: 0, jitterMs: 0 });
  await sim.start();
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
    timings: { mqttReconnectMs: 100 },
  });
  const ready = next(app.client, "ready");
  const connected = next(app.publisher, "connected");
  await app.start();
  await Promise.all([ready, connected]);
});

afterAll(async () => {
  await app?.stop();
  await sim?.stop();
  await broker?.stop();
});

describe("health and metrics of the running bridge", () => {
  it("is healthy when both sides are up, and serves metrics about the live components", async () => {
    expect(await health()).toEqual({
      status: 200,
      body: expect.objectContaining({ healthy: true, reasons: [] }),
    });
    await app.bridge.pollGroup("pools");
    const text = await (await fetch(`${base}/metrics`)).text();
    captureText("/metrics", text);
    expect(text).toMatch(/^truenas2mqtt_up\{side="truenas"\} 1$/m);
    expect(text).toMatch(/^truenas2mqtt_up\{side="mqtt"\} 1$/m);
    expect(text).toMatch(/^truenas2mqtt_entities\{component="sensor"\} [1-9]\d*$/m);
    expect(text).toMatch(/^truenas2mqtt_polls_total\{group="pools",outcome="ok"\} [1-9]\d*$/m);
    // Every line is a comment or `name{labels} value` (Prometheus text exposition format 0.0.4).
    const sample =
      /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? -?(\d+(\.\d+)?(e[+-]?\d+)?|NaN|\+Inf|-Inf)$/;
    const bad = text
      .split("\n")
      .filter((l) => l !== "" && !l.startsWith("# HELP ") && !l.startsWith("# TYPE ") && !sample.test(l));
    expect(bad).toEqual([]);
  });

  it("turns 503 with the reason when TrueNAS goes away, and 200 again when it is back", async () => {
    const down = next(app.client, "down");
    sim.faults.refuseConnections(true);
    sim.faults.dropAll();
    await down;
    const during = await health();
    expect(during.status).toBe(503);
    expect(during.body.reasons.join()).toMatch(/truenas session not ready/);
    const ready = next(app.client, "ready");
    sim.faults.refuseConnections(false);
    await ready;
    expect((await health()).status).toBe(200);
  });

  it("turns 503 when the broker goes away, and 200 again when it is back", async () => {
    const gone = next(app.publisher, "disconnected");
    await broker.stop();
    await gone;
    const during = await health();
    expect(during.status).toBe(503);
    expect(during.body.reasons).toContain("mqtt broker not connected");
    const back = next(app.publisher, "connected");
    await broker.start();
    await back;
    expect((await health()).status).toBe(200);
  });
});
