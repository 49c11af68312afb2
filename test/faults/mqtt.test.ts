/**
 * MQTT faults (issue 6): the broker down at start-up, restarting empty mid-run, the connection lost while the
 * broker keeps its retained messages, the broker refusing the credentials, and the broker dropping a message
 * too large for it. After each, the retained MQTT state must equal the simulator's truth (FaultRig's
 * comparison), with every discovery config retained again.
 */
import { createServer, connect as netConnect, type Server, type Socket } from "node:net";
import type { Logger } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { loadConfig } from "../../src/config/loadConfig.js";
import { discoveryNodeId } from "../../src/entities/ids.js";
import { DEFAULT_SIM_API_KEY, SimulatorServer } from "../../src/simulator/server.js";
import { freePort, startBroker, type TestBroker } from "../support/broker.js";
import { captureText, recordingTestLogger, testLogger } from "../support/capture.js";
import { FaultRig, noCron } from "../support/faultRig.js";
import { MqttProbe, retainedMessages } from "../support/mqttProbe.js";
import { SECRET_MQTT_PASSWORD, WRONG_MQTT_PASSWORD } from "../support/secrets.js";

let rig: FaultRig | undefined;
let proxy: CuttableProxy | undefined;

afterEach(async () => {
  await rig?.stop();
  await proxy?.stop();
  rig = undefined;
  proxy = undefined;
});

/** A TCP relay to the broker whose connections can be cut, as a network outage would, while the broker stays up. */
interface CuttableProxy {
  readonly url: string;
  /** Drop every connection and refuse new ones. */
  cut(): void;
  restore(): void;
  stop(): Promise<void>;
}

async function startProxy(targetPort: number): Promise<CuttableProxy> {
  const sockets = new Set<Socket>();
  let up = true;
  const server: Server = createServer((client) => {
    if (!up) {
      client.destroy();
      return;
    }
    const upstream = netConnect(targetPort, "127.0.0.1");
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.once("close", () => sockets.delete(s));
      s.on("error", () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.once("close", () => upstream.destroy());
    upstream.once("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const cut = (): void => {
    up = false;
    for (const s of sockets) s.destroy();
  };
  return {
    url: `mqtt://127.0.0.1:${(server.address() as { port: number }).port}`,
    cut,
    restore: () => {
      up = true;
    },
    stop: async () => {
      cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface BridgeOptions {
  readonly broker: TestBroker;
  /** Where the bridge connects (default the broker). */
  readonly mqttUrl?: string;
  readonly env?: Record<string, string>;
  readonly log?: Logger;
}

/**
 * The whole app against a small simulated NAS, wired into a FaultRig (for its truth comparison) without the
 * rig's own start(), since these tests decide when the broker is there.
 */
async function makeBridge(opts: BridgeOptions): Promise<FaultRig> {
  const sim = new SimulatorServer({ profile: "small", driftIntervalMs: 0, jitterMs: 0 });
  await sim.start();
  const config = loadConfig({
    env: {
      TRUENAS_URL: sim.url,
      TRUENAS_API_KEY: DEFAULT_SIM_API_KEY,
      MQTT_URL: opts.mqttUrl ?? opts.broker.url,
      MQTT_CLIENT_ID: "t2m-mqtt-faults",
      HEALTH_PORT: "0",
      AVAILABILITY_GRACE: "1",
      REMOVAL_POLLS: "1",
      ...opts.env,
    },
  });
  const app = createApp(config, {
    log: opts.log ?? testLogger(),
    version: "0.0.0-faults",
    cron: noCron,
    timings: { eventDebounceMs: 20, haBirthDelayMs: 50, staleScanMs: 100, mqttReconnectMs: 100 },
  });
  const r = new FaultRig();
  Object.assign(r, { broker: opts.broker, sim, app, config });
  rig = r;
  return r;
}

function once(emitter: { once(event: string, fn: () => void): unknown }, event: string): Promise<void> {
  return new Promise((resolve) => emitter.once(event, () => resolve()));
}

/** A probe on the broker itself (credentials in the URL when it needs them), installed as the rig's. */
async function attachProbe(r: FaultRig, url = r.broker.url): Promise<MqttProbe> {
  await r.probe?.close();
  r.probe = await MqttProbe.connect(url);
  return r.probe;
}

/** Every discovery config the bridge holds is retained with its payload, and no other config of this NAS is. */
async function expectConfigsRetained(r: FaultRig, url = r.broker.url): Promise<void> {
  const prefix = r.config.homeassistant.discoveryPrefix;
  const node = discoveryNodeId(r.nas.id);
  const retained = await retainedMessages(url, [`${prefix}/+/${node}/+/config`]);
  const wanted = new Map(
    [...r.app.bridge.view.configs].map(([topic, entry]) => [topic, entry.payload.text()]),
  );
  expect(wanted.size).toBeGreaterThan(0);
  expect(retained).toEqual(wanted);
}

async function healthz(port: number): Promise<{ status: number; reasons: string[] }> {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  const text = await res.text();
  captureText("mqtt faults: /healthz", text);
  return { status: res.status, reasons: (JSON.parse(text) as { reasons: string[] }).reasons };
}

describe("MQTT faults", () => {
  it("broker down at start-up: TrueNAS is polled meanwhile; once the broker is up everything arrives, /healthz 503 → 200", async () => {
    const broker = await startBroker({ port: await freePort(), stopped: true });
    const healthPort = await freePort();
    const r = await makeBridge({
      broker,
      env: { HEALTH_PORT: String(healthPort), HEALTH_HOST: "127.0.0.1" },
    });
    await r.app.start();
    await r.waitPolled({});
    expect(r.app.bridge.nas).toBeDefined();
    expect(r.app.publisher.stats.dropped).toBeGreaterThan(0);
    const down = await healthz(healthPort);
    expect(down.status).toBe(503);
    expect(down.reasons).toEqual(["mqtt broker not connected"]);

    const connected = once(r.app.publisher, "connected");
    await broker.start();
    await connected;
    await attachProbe(r);
    await r.settled();
    expect(await healthz(healthPort)).toEqual({ status: 200, reasons: [] });
    await r.expectStateEqualsTruth();
    await expectConfigsRetained(r);
    const retained = await retainedMessages(broker.url, ["truenas2mqtt/#"]);
    expect(retained.get("truenas2mqtt/bridge/state")).toBe("online");
    expect(retained.get(r.availabilityTopic)).toBe("online");
  });

  it("broker restarts empty mid-run: everything is republished, with what changed while it was down", async () => {
    const broker = await startBroker();
    const r = await makeBridge({ broker });
    await attachProbe(r);
    await r.app.start();
    await r.waitOnline();
    await r.waitPolled({});
    await r.settled();

    const gone = once(r.app.publisher, "disconnected");
    await broker.stop();
    await gone;
    r.world.control.degradePool("tank");
    await Promise.all([r.app.bridge.pollGroup("pools"), r.app.bridge.pollGroup("alerts")]);

    const back = once(r.app.publisher, "connected");
    await broker.start();
    await back;
    await attachProbe(r);
    await r.settled();
    await r.expectStateEqualsTruth();
    await expectConfigsRetained(r);
    const pool = r.docsOn(r.stateTopic("pool", String(r.world.state.pools[0]!.guid)));
    expect(pool.map((d) => d?.status)).toEqual(["degraded"]);
  });

  it("connection lost while the broker keeps its retained messages: what was removed meanwhile is cleared", async () => {
    const broker = await startBroker();
    proxy = await startProxy(broker.port);
    const r = await makeBridge({ broker, mqttUrl: proxy.url });
    await attachProbe(r);
    await r.app.start();
    await r.waitOnline();
    await r.waitPolled({});
    await r.settled();
    const app = String(r.world.state.apps[0]!.name);
    const appState = r.stateTopic("app", app);
    expect(r.app.bridge.view.states.has(appState)).toBe(true);

    const gone = once(r.app.publisher, "disconnected");
    proxy.cut();
    await gone;
    r.world.control.deleteApp(app);
    await r.app.bridge.pollGroup("apps");
    expect(r.app.bridge.view.states.has(appState)).toBe(false);

    const back = once(r.app.publisher, "connected");
    proxy.restore();
    await back;
    await r.settled();
    await r.until(() => r.history(appState).at(-1)?.payload === "", "the removed app's state to be cleared");
    await r.expectStateEqualsTruth();
    await expectConfigsRetained(r);
  });

  it("broker refuses the credentials: one clear error naming the cause, retries, no crash; recovers once they are valid", async () => {
    const credentials = { username: "bridge", password: SECRET_MQTT_PASSWORD };
    const broker = await startBroker({ credentials });
    const logs = recordingTestLogger();
    const r = await makeBridge({
      broker,
      env: { MQTT_USERNAME: "bridge", MQTT_PASSWORD: WRONG_MQTT_PASSWORD },
      log: logs.log,
    });
    await r.app.start();
    const refused = (l: Record<string, unknown>): boolean => l.msg === "mqtt broker refused the connection";
    const first = await logs.waitFor(refused);
    expect(first).toMatchObject({
      level: 50,
      component: "mqtt",
      username: "bridge",
      reason: expect.stringMatching(/not authori[sz]ed|bad user ?name or password/i),
      hint: expect.stringContaining("MQTT_PASSWORD"),
    });
    // It keeps trying (each retry refused again, logged quietly), and the TrueNAS side is unaffected.
    await r.until(() => logs.lines.filter(refused).length >= 3, "three refused attempts");
    expect(logs.lines.filter((l) => refused(l) && l.level === 50)).toHaveLength(1);
    await r.waitPolled({});
    expect(r.app.client.state).toBe("ready");
    expect(r.app.publisher.connected).toBe(false);
    expect(r.app.report().reasons).toEqual(["mqtt broker not connected"]);

    const connected = once(r.app.publisher, "connected");
    await broker.setCredentials({ username: "bridge", password: WRONG_MQTT_PASSWORD });
    await connected;
    const url = new URL(broker.url);
    url.username = "bridge";
    url.password = WRONG_MQTT_PASSWORD;
    // The rig's own look at the retained state logs in with the URL's credentials.
    r.broker = { ...broker, url: url.toString() };
    await attachProbe(r);
    await r.settled();
    const diff = await r.diffWithTruth();
    expect({ missing: diff.missing, wrong: diff.wrong, extra: diff.extra }).toEqual({
      missing: [],
      wrong: [],
      extra: [],
    });
  });

  it("broker drops a message too large for it: the bridge keeps publishing everything else", async () => {
    const limit = 16_384;
    const broker = await startBroker({ messageSizeLimit: limit });
    const r = await makeBridge({ broker });
    await attachProbe(r);
    await r.app.start();
    await r.waitOnline();
    await r.waitPolled({});
    await r.settled();

    // An alert whose text makes the alerts attributes document larger than the broker accepts.
    r.world.control.raiseAlert({ klass: "Custom", level: "WARNING", formatted: "x".repeat(2 * limit) });
    r.world.control.setReady(false);
    await Promise.all([r.app.bridge.pollGroup("alerts"), r.app.bridge.pollGroup("system")]);
    const attributes = `${r.stateTopic("alerts", "alerts")}/attributes`;
    const big = r.app.bridge.view.states.get(attributes)?.payload ?? "";
    expect(big.length).toBeGreaterThan(limit);

    // Messages of the same poll and of other groups arrive; only the oversized one is missing.
    await r.until(
      () => JSON.parse(r.history(r.stateTopic("system", "system")).at(-1)?.payload ?? "{}").ready === false,
      "the system state after the oversized message",
    );
    await r.until(
      () =>
        JSON.parse(r.history(r.stateTopic("alerts", "alerts")).at(-1)?.payload ?? "{}").warning ===
        JSON.parse(r.app.bridge.view.states.get(r.stateTopic("alerts", "alerts"))!.payload).warning,
      "the alerts state document",
    );
    expect(r.history(attributes).some((m) => m.payload.length > limit)).toBe(false);
    // FaultRig.diffWithTruth() first waits for the probe to have all the bridge sent, which cannot happen here.
    const { states } = await r.truth();
    const retained = await r.retainedState();
    const differing = [...states].filter(([topic, payload]) => retained.get(topic) !== payload);
    expect(differing.map(([topic]) => topic)).toEqual([attributes]);
    const prefix = `${r.config.mqtt.baseTopic}/${r.nas.id}/`;
    const extra = [...retained.keys()].filter(
      (t) => t.startsWith(prefix) && t !== r.availabilityTopic && !states.has(t),
    );
    expect(extra).toEqual([]);
    expect(r.app.publisher.connected).toBe(true);
  });
});
