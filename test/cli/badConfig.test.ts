/** Every configuration mistake stops `truenas2mqtt run` with exit code 2 and a message naming the key. */
import { createServer, type AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/runCli.js";
import { UNUSED_API_KEY as KEY } from "../support/secrets.js";

const GOOD = { TRUENAS_URL: "wss://nas.example.test/api/current", TRUENAS_API_KEY: KEY, HEALTH_PORT: "0" };

describe("truenas2mqtt run with a bad configuration", () => {
  it.each<[string, Record<string, string>, RegExp]>([
    [
      "a cron expression that does not parse",
      { POLL_POOLS: "every minute" },
      /poll\.pools \(POLL_POOLS\).*cron/,
    ],
    [
      "ws:// to a remote host",
      { TRUENAS_URL: "ws://nas.example.test" },
      /truenas\.url \(TRUENAS_URL\).*ws:\/\//,
    ],
    ["a missing API key", { TRUENAS_API_KEY: "" }, /truenas\.api_key \(TRUENAS_API_KEY\): required/],
    [
      "a boolean that is not one",
      { HA_DISCOVERY: "sometimes" },
      /homeassistant\.discovery \(HA_DISCOVERY\): must be true or false/,
    ],
    ["a port out of range", { HEALTH_PORT: "70000" }, /health\.port \(HEALTH_PORT\)/],
  ])("%s: exit 2, the key named, no stack trace, no secret", async (_name, override, pattern) => {
    const r = await runCli(["run"], { ...GOOD, ...override });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toMatch(pattern);
    expect(r.output).not.toMatch(/\n\s+at .*\.js:\d+/);
    expect(r.output).not.toContain(KEY);
  });

  it("reports several problems at once", async () => {
    const r = await runCli(["run"], { ...GOOD, POLL_APPS: "x", POLL_VMS: "y", TRUENAS_URL: "" });
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n").filter((l) => l.trim().startsWith("- "))).toHaveLength(3);
  });

  it("a health port already in use: exit 1, the address named, no stack trace", async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const port = String((busy.address() as AddressInfo).port);
    try {
      const r = await runCli(["run"], { ...GOOD, HEALTH_HOST: "127.0.0.1", HEALTH_PORT: port });
      expect(r.code, r.output).toBe(1);
      expect(r.stderr).toContain(`EADDRINUSE`);
      expect(r.stderr).toContain(`127.0.0.1:${port}`);
      expect(r.output).not.toMatch(/\n\s+at .*\.js:\d+/);
    } finally {
      busy.close();
    }
  });
});
