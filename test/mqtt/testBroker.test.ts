import mqtt from "mqtt";
import { describe, expect, it } from "vitest";
import { startBroker, type BrokerOptions } from "../support/broker.js";

async function retainedAfterPublish(url: string, auth: { username?: string; password?: string } = {}) {
  const pub = await mqtt.connectAsync(url, { ...auth, reconnectPeriod: 0 });
  await pub.publishAsync("t2m/test", "hello", { retain: true, qos: 1 });
  await pub.endAsync();
  const sub = await mqtt.connectAsync(url, { ...auth, reconnectPeriod: 0 });
  const got = new Promise<string>((resolve) => sub.once("message", (_t, p) => resolve(p.toString())));
  await sub.subscribeAsync("t2m/test");
  const value = await got;
  await sub.endAsync();
  return value;
}

describe.each<[string, BrokerOptions]>([
  ["default broker", {}],
  ["aedes fallback", { forceAedes: true }],
])("test broker (%s)", (_name, opts) => {
  it("keeps retained messages, and loses them across a restart (no persistence)", async () => {
    const broker = await startBroker(opts);
    try {
      expect(await retainedAfterPublish(broker.url)).toBe("hello");
      await broker.stop();
      await broker.start();
      const sub = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
      const granted = await sub.subscribeAsync("t2m/test");
      expect(granted[0]?.qos).toBe(0);
      let received = false;
      sub.on("message", () => (received = true));
      await sub.publishAsync("t2m/other", "x", { qos: 1 }); // a round trip after the subscription
      expect(received).toBe(false);
      await sub.endAsync();
    } finally {
      await broker.stop();
    }
  });

  it("refuses wrong credentials when configured with a user", async () => {
    const broker = await startBroker({ ...opts, credentials: { username: "u", password: "p" } });
    try {
      expect(await retainedAfterPublish(broker.url, { username: "u", password: "p" })).toBe("hello");
      await expect(
        mqtt.connectAsync(broker.url, { username: "u", password: "wrong", reconnectPeriod: 0 }),
      ).rejects.toThrow(/Not authorized|Bad user ?name or password/i);
    } finally {
      await broker.stop();
    }
  });
});
