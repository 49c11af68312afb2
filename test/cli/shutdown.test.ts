/** SIGTERM always ends `truenas2mqtt run` with exit 0, even while it waits to reconnect to an absent NAS. */
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startBroker, type TestBroker } from "../support/broker.js";

const MAIN = new URL("../../dist/main.js", import.meta.url).pathname;
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
    const proc = spawn(process.execPath, [MAIN, "run"], {
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        PATH: process.env.PATH ?? "",
        TRUENAS_URL: `ws://127.0.0.1:${nasPort}/api/current`,
        TRUENAS_API_KEY: `1-${"k".repeat(64)}`,
        MQTT_URL: broker.url,
        HEALTH_PORT: "0",
        LOG_FORMAT: "json",
      },
    });
    let out = "";
    const retrying = new Promise<void>((resolve) => {
      proc.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes('"truenas session down"') && out.includes('"retryInMs"')) resolve();
      });
    });
    await retrying;
    const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
    proc.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(out).toMatch(/"reason":"connect_failed"/);
  });
});
