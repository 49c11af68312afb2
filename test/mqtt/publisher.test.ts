import type { MqttClient } from "mqtt";
import mqtt from "mqtt";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MqttPublisher, redactUrl } from "../../src/mqtt/publisher.js";
import { startBroker, type TestBroker } from "../support/broker.js";
import { MqttProbe } from "../support/mqttProbe.js";

let broker: TestBroker;
const cleanup: Array<() => Promise<unknown>> = [];
const log = pino({ level: "silent" });
const STATE = "t2m/bridge/state";

beforeAll(async () => {
  broker = await startBroker();
});
afterAll(async () => {
  await broker.stop();
});
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});

function publisher(
  extra: {
    onClient?: (c: MqttClient) => void;
    maxMessageBytes?: number;
    log?: typeof log;
  } = {},
): MqttPublisher {
  const p = new MqttPublisher({
    url: broker.url,
    clientId: `t2m-test-${Math.random().toString(36).slice(2)}`,
    bridgeStateTopic: STATE,
    log: extra.log ?? log,
    ...(extra.maxMessageBytes !== undefined ? { maxMessageBytes: extra.maxMessageBytes } : {}),
    reconnectPeriodMs: 100,
    connect: (url, opts) => {
      const c = mqtt.connect(url, opts);
      extra.onClient?.(c);
      return c;
    },
  });
  cleanup.push(() => p.stop());
  return p;
}

async function probe(): Promise<MqttProbe> {
  const pr = await MqttProbe.connect(broker.url);
  cleanup.push(() => pr.close());
  return pr;
}

function connected(p: MqttPublisher): Promise<void> {
  return new Promise((resolve) => p.once("connected", () => resolve()));
}

describe("MqttPublisher", () => {
  it("announces online (retained) on connect and publishes messages", async () => {
    const pr = await probe();
    const p = publisher();
    const up = connected(p);
    p.start();
    await up;
    expect((await pr.waitFor((m) => m.topic === STATE)).payload).toBe("online");
    expect(p.publish([{ topic: "t2m/x", payload: "1", retain: true }])).toBe(1);
    expect((await pr.waitFor((m) => m.topic === "t2m/x")).payload).toBe("1");
  });

  it("sends a burst in order, never holding much more than the socket's high water mark unflushed", async () => {
    const pr = await probe();
    let client: MqttClient | undefined;
    let mostBuffered = 0;
    const p = publisher({ onClient: (c) => (client = c) });
    const up = connected(p);
    p.start();
    await up;
    client!.on("packetsend", () => {
      mostBuffered = Math.max(mostBuffered, client!.stream.writableLength);
    });
    // Its own messages come back on a subscription, as the retained configs do during the start-up scan: a
    // window that waited for PUBACKs stalled here against mosquitto.
    await p.subscribe("t2m/burst/#");
    const burst = Array.from({ length: 2_000 }, (_, i) => ({
      topic: `t2m/burst/${i}`,
      payload: `{"n":${i},"pad":"${"x".repeat(200)}"}`,
      retain: true,
      qos: 1 as const,
    }));
    expect(p.publish(burst)).toBe(2_000);
    expect(p.pending).toBeGreaterThan(0);
    await pr.waitFor((m) => m.topic === "t2m/burst/1999");
    const received = pr.messages.filter((m) => m.topic.startsWith("t2m/burst/")).map((m) => m.topic);
    expect(received).toEqual(burst.map((m) => m.topic));
    expect(p.pending).toBe(0);
    expect(p.stats.messages).toBe(2_000);
    expect(mostBuffered).toBeGreaterThan(0);
    expect(mostBuffered).toBeLessThan(client!.stream.writableHighWaterMark + 1024);
  });

  it("skips a message above maxMessageBytes, logs its topic once, and sends the rest", async () => {
    const lines: string[] = [];
    const capture = pino({ level: "warn" }, { write: (l: string) => void lines.push(l) });
    const pr = await probe();
    const p = publisher({ maxMessageBytes: 100, log: capture });
    const up = connected(p);
    p.start();
    await up;
    const big = { topic: "t2m/big", payload: "x".repeat(200), retain: true };
    const small = { topic: "t2m/small", payload: "ok", retain: true };
    expect(p.publish([big, small])).toBe(1);
    expect(p.publish([big])).toBe(0);
    expect((await pr.waitFor((m) => m.topic === "t2m/small")).payload).toBe("ok");
    expect(pr.messages.some((m) => m.topic === "t2m/big")).toBe(false);
    expect(p.stats.oversized).toBe(2);
    const warnings = lines.map((l) => JSON.parse(l)).filter((l) => l.topic === "t2m/big");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ bytes: 200, limit: 100 });
  });

  it("leaves offline as its last will when the connection dies", async () => {
    let client: MqttClient | undefined;
    const p = publisher({ onClient: (c) => (client = c) });
    const up = connected(p);
    p.start();
    await up;
    const pr = await probe();
    const will = pr.next((m) => m.topic === STATE && m.payload === "offline");
    client!.stream.destroy();
    expect((await will).payload).toBe("offline");
  });

  it("drops publishes while disconnected instead of bursting them on reconnect", async () => {
    const p = publisher();
    const up = connected(p);
    p.start();
    await up;
    const down = new Promise<void>((resolve) => p.once("disconnected", () => resolve()));
    await broker.stop();
    await down;
    expect(p.publish([{ topic: "t2m/dropped", payload: "x", retain: false }])).toBe(0);
    expect(p.stats.dropped).toBe(1);
    const again = connected(p);
    await broker.start();
    await again;
    const pr = await probe();
    p.publish([{ topic: "t2m/after", payload: "y", retain: false }]);
    await pr.waitFor((m) => m.topic === "t2m/after");
    expect(pr.on("t2m/dropped")).toHaveLength(0);
  });

  it("publishes offline on stop, and stop is idempotent", async () => {
    const p = publisher();
    const up = connected(p);
    p.start();
    await up;
    const pr = await probe();
    const off = pr.next((m) => m.topic === STATE && m.payload === "offline");
    await p.stop();
    await p.stop();
    expect((await off).retain).toBe(false); // live delivery; the retained copy is what new subscribers see
    const late = await probe();
    expect((await late.waitFor((m) => m.topic === STATE)).payload).toBe("offline");
  });

  it("never shows the password in a URL it logs", () => {
    expect(redactUrl("mqtt://user:s3cret@broker:1883")).not.toContain("s3cret");
  });
});
