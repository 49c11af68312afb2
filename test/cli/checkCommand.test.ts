/**
 * `truenas2mqtt check` as a user runs it: a separate process against the simulator and a real broker.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SIM_API_KEY, SimulatorServer } from "../../src/simulator/server.js";
import { startBroker, type TestBroker } from "../support/broker.js";
import { runCli } from "../support/runCli.js";
import { SECRET_MQTT_PASSWORD, WRONG_MQTT_PASSWORD } from "../support/secrets.js";

let sim: SimulatorServer;
let broker: TestBroker;
let securedBroker: TestBroker;

beforeAll(async () => {
  sim = new SimulatorServer({ profile: "small", driftIntervalMs: 0, jitterMs: 0, authFailDelayMs: [0, 0] });
  await sim.start();
  broker = await startBroker();
  securedBroker = await startBroker({ credentials: { username: "bridge", password: SECRET_MQTT_PASSWORD } });
});

afterAll(async () => {
  await sim.stop();
  await broker.stop();
  await securedBroker.stop();
});

afterEach(() => {
  sim.faults.denyMethod("alert.list", false);
  sim.faults.removeMethod("app.query", false);
});

function env(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    TRUENAS_URL: sim.url,
    TRUENAS_API_KEY: DEFAULT_SIM_API_KEY,
    MQTT_URL: broker.url,
    HEALTH_PORT: "0",
    // Logs go to stderr (src/cli/nasProbe.ts) and so into the suite's secret scan.
    LOG_LEVEL: "trace",
    ...overrides,
  };
}

describe("truenas2mqtt check", () => {
  it("exits 0 and names the TrueNAS version and every group when TrueNAS and MQTT work", async () => {
    const r = await runCli(["check"], env());
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toMatch(/API key accepted; TrueNAS 25\.10\.0/);
    for (const group of ["system", "pools", "disks", "apps", "alerts", "updates"]) {
      expect(r.stdout).toMatch(new RegExp(`^ {4}${group} +available$`, "m"));
    }
    expect(r.stdout).toMatch(/^MQTT .*\n {2}ok {4}connected/m);
    expect(r.stdout).toMatch(/check passed/);
  });

  it("exits 1 with an auth message when the API key is wrong", async () => {
    const r = await runCli(["check"], env({ TRUENAS_API_KEY: "1-wrongkey" }));
    expect(r.code, r.output).toBe(1);
    expect(r.stdout).toMatch(/FAIL .*refused the API key/);
    expect(r.stdout).toMatch(/check failed:\n {2}- TrueNAS: .*API key/);
    expect(r.stdout).not.toMatch(/Retrying/);
  });

  it("shows a denied group as not permitted, naming the role, and still exits 0", async () => {
    sim.faults.denyMethod("alert.list");
    const r = await runCli(["check"], env());
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toMatch(
      /^ {4}alerts +not permitted for this API key \(alert\.list: .*ALERT_LIST_READ.*\)$/m,
    );
    expect(r.stdout).toMatch(/^ {4}pools +available$/m);
  });

  it("shows a group whose method is gone as not available on this NAS", async () => {
    sim.faults.removeMethod("app.query");
    const r = await runCli(["check"], env());
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toMatch(/^ {4}apps +not available on this NAS \(no app\.query\)$/m);
  });

  it("exits 1 naming MQTT when the broker refuses the password", async () => {
    const r = await runCli(
      ["check"],
      env({ MQTT_URL: securedBroker.url, MQTT_USERNAME: "bridge", MQTT_PASSWORD: WRONG_MQTT_PASSWORD }),
    );
    expect(r.code, r.output).toBe(1);
    expect(r.stdout).toMatch(/API key accepted/);
    expect(r.stdout).toMatch(/- MQTT: .*(Not authorized|Bad username or password)/i);
    expect(r.output).not.toContain(WRONG_MQTT_PASSWORD);
  });

  it("accepts the right MQTT credentials", async () => {
    const r = await runCli(
      ["check"],
      env({ MQTT_URL: securedBroker.url, MQTT_USERNAME: "bridge", MQTT_PASSWORD: SECRET_MQTT_PASSWORD }),
    );
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toMatch(/connected as bridge/);
  });

  it("exits 2 naming TRUENAS_URL for an invalid configuration", async () => {
    const r = await runCli(["check"], env({ TRUENAS_URL: "ws://nas.example.test" }));
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toMatch(/invalid configuration/);
    expect(r.stderr).toMatch(/TRUENAS_URL/);
  });

  it("prints its help", async () => {
    const r = await runCli(["check", "--help"], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: truenas2mqtt check \[--config FILE\]/);
  });
});
