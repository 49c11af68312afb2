/**
 * Faults of the bridge process itself (issue 6): SIGTERM while a poll is in flight ends the built CLI with
 * exit 0 and leaves the NAS and the bridge announced offline; a normaliser that throws is isolated and
 * reported over HTTP in /healthz and /metrics while the other groups keep publishing. (SIGTERM during
 * reconnect backoff is test/cli/shutdown.test.ts.)
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
import { MqttProbe, retainedMessages } from "../support/mqttProbe.js";
import { startCli, type CliProcess } from "../support/runCli.js";

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

describe("SIGTERM while a poll is in flight", () => {
  let cli: CliProcess | undefined;
  afterEach(() => cli?.kill("SIGKILL"));

  it("exits 0 without waiting for the hung call, leaving the NAS and the bridge offline (retained)", async () => {
    // pool.query never answers, and the call timeout is far beyond the test's: a shutdown that waits for the
    // in-flight poll cannot finish in time.
    sim.faults.hangMethod("pool.query");
    const probe = await MqttProbe.connect(broker.url, "truenas2mqtt/#");
    try {
      cli = startCli(["run"], {
        TRUENAS_URL: sim.url,
        TRUENAS_API_KEY: DEFAULT_SIM_API_KEY,
        MQTT_URL: broker.url,
        HEALTH_PORT: "0",
        LOG_LEVEL: "trace",
        LOG_FORMAT: "json",
        TRUENAS_CALL_TIMEOUT: "300",
      });
      const online = await probe.waitFor((m) => m.topic.endsWith("/availability") && m.payload === "online");
      await cli.waitFor(/"method":"pool\.query".*"request sent"/);
      await probe.waitFor((m) => m.topic.endsWith("/system/system")); // other groups published meanwhile
      expect(probe.messages.some((m) => m.topic.includes("/pool/"))).toBe(false);

      const sentAt = performance.now();
      cli.kill("SIGTERM");
      // Not a duration assertion: a hung shutdown fails with the child's last output instead of a bare timeout.
      let timer: NodeJS.Timeout | undefined;
      const code = await Promise.race([
        cli.exited,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no exit after SIGTERM:\n${cli?.output().slice(-3000)}`)),
            15_000,
          );
        }),
      ]).finally(() => clearTimeout(timer));
      const tookMs = Math.round(performance.now() - sentAt);
      captureText("process: SIGTERM during a poll", `exit ${code} after ${tookMs} ms`);
      expect(code, cli.output()).toBe(0);
      // The orderly path ran to its end (main.ts's forced exit only follows a finished stop()).
      expect(cli.stdout()).toMatch(/"code":0,"msg":"stopped"/);

      const retained = await retainedMessages(broker.url, ["truenas2mqtt/#"]);
      expect(retained.get("truenas2mqtt/bridge/state")).toBe("offline");
      expect(retained.get(online.topic)).toBe("offline");
      // Nothing about the pool was made up while its poll hung.
      expect([...retained.keys()].filter((t) => t.includes("/pool/"))).toEqual([]);
    } finally {
      await probe.close();
    }
  });
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
