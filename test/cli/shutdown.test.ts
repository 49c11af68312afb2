/** SIGTERM always ends `truenas2mqtt run` with exit 0, even while it waits to reconnect to an absent NAS. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startBroker, type TestBroker } from "../support/broker.js";
import { startCli } from "../support/runCli.js";
import { UNUSED_API_KEY } from "../support/secrets.js";

let broker: TestBroker;

beforeAll(async () => {
  broker = await startBroker();
});
afterAll(async () => {
  await broker.stop();
});

describe("shutdown", () => {
  it("exits 0 on SIGTERM during reconnect backoff, after saying when it would retry", async () => {
    const nasPort = await freePort(); // nothing listens there: every connect is refused
    const cli = startCli(["run"], {
      TRUENAS_URL: `ws://127.0.0.1:${nasPort}/api/current`,
      TRUENAS_API_KEY: UNUSED_API_KEY,
      MQTT_URL: broker.url,
      HEALTH_PORT: "0",
      LOG_FORMAT: "json",
    });
    try {
      await cli.waitFor(/"truenas session down".*"retryInMs"|"retryInMs".*"truenas session down"/);
      cli.kill("SIGTERM");
      expect(await cli.exited).toBe(0);
      expect(cli.stdout()).toMatch(/"reason":"connect_failed"/);
    } finally {
      cli.kill("SIGKILL");
    }
  });
});
