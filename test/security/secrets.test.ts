/**
 * Secrets never leave the process: `truenas2mqtt run` as a separate process at LOG_LEVEL=trace, in JSON and
 * in pretty format, against the simulator and a broker that requires a password. Neither the TrueNAS API key
 * nor the MQTT password may appear in anything it writes (stdout, stderr) or publishes (every topic).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SimulatorServer } from "../../src/simulator/server.js";
import { startBroker, type TestBroker } from "../support/broker.js";
import { MqttProbe, type ProbeMessage } from "../support/mqttProbe.js";
import { startCli } from "../support/runCli.js";
import { SECRET_API_KEY as API_KEY, SECRET_MQTT_PASSWORD as MQTT_PASSWORD } from "../support/secrets.js";

const KEY_BODY = API_KEY.slice(2);
const MQTT_USER = "u";
/** Each secret, and its distinctive core, must be absent (a leak may be a substring or a truncation). */
const NEEDLES = [API_KEY, KEY_BODY, KEY_BODY.slice(0, 24), MQTT_PASSWORD, MQTT_PASSWORD.slice(0, 20)];

let sim: SimulatorServer;
let broker: TestBroker;
let probe: MqttProbe;
let dir: string;

const isConfig = (m: ProbeMessage): boolean =>
  m.topic.startsWith("homeassistant/") && m.topic.endsWith("/config");

function expectNoSecret(text: string, where: string): void {
  for (const needle of NEEDLES) {
    expect(text.includes(needle), `${where} contains a secret (${needle.slice(0, 6)}...)`).toBe(false);
  }
}

/** Run the bridge until its discovery reaches the broker, then SIGTERM it; returns everything it wrote. */
async function bridgeOnce(env: Record<string, string>): Promise<string> {
  const discovery = probe.next(isConfig);
  const run = startCli(["run"], {
    TRUENAS_URL: sim.url,
    MQTT_URL: broker.url,
    MQTT_USERNAME: MQTT_USER,
    HEALTH_PORT: "0",
    LOG_LEVEL: "trace",
    ...env,
  });
  try {
    await Promise.race([discovery, run.exited.then(() => Promise.reject(new Error(run.output())))]);
    await run.waitFor(/discovery published/);
    run.kill("SIGTERM");
    expect(await run.exited).toBe(0);
    return run.output();
  } finally {
    run.kill("SIGKILL");
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "t2m-secrets-"));
  sim = new SimulatorServer({ apiKey: API_KEY, profile: "small", driftIntervalMs: 0 });
  await sim.start();
  broker = await startBroker({ credentials: { username: MQTT_USER, password: MQTT_PASSWORD } });
  const url = new URL(broker.url);
  url.username = MQTT_USER;
  url.password = MQTT_PASSWORD;
  probe = await MqttProbe.connect(url.toString(), "#");
});

afterAll(async () => {
  await probe?.close();
  await broker?.stop();
  await sim?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("secrets in logs and MQTT", () => {
  it("LOG_FORMAT=json at trace: JSON lines, no secret in the output", async () => {
    const out = await bridgeOnce({
      TRUENAS_API_KEY: API_KEY,
      MQTT_PASSWORD: MQTT_PASSWORD,
      LOG_FORMAT: "json",
    });
    const lines = out.split("\n").filter((l) => l.trim() !== "");
    const records = lines.map((l) => JSON.parse(l) as { level: number; msg: string });
    expect(records.some((r) => r.level === 10)).toBe(true); // trace lines were written
    expect(records.map((r) => r.msg)).toEqual(
      expect.arrayContaining(["truenas session ready", "discovery published"]),
    );
    expectNoSecret(out, "json output");
  });

  it("LOG_FORMAT=pretty at trace: human-readable lines, no secret in the output", async () => {
    const out = await bridgeOnce({
      TRUENAS_API_KEY: API_KEY,
      MQTT_PASSWORD: MQTT_PASSWORD,
      LOG_FORMAT: "pretty",
    });
    expect(out).toMatch(/TRACE: .*request sent/);
    expect(out).toMatch(/INFO: \[truenas\] truenas session ready/);
    expect(out.split("\n")[0]!.startsWith("{")).toBe(false);
    expectNoSecret(out, "pretty output");
  });

  it("reads the key and the password from files (TRUENAS_API_KEY_FILE, MQTT_PASSWORD_FILE)", async () => {
    const keyFile = join(dir, "truenas_api_key");
    const pwFile = join(dir, "mqtt_password");
    writeFileSync(keyFile, `${API_KEY}\n`);
    writeFileSync(pwFile, `${MQTT_PASSWORD}\n`);
    const out = await bridgeOnce({
      TRUENAS_API_KEY_FILE: keyFile,
      MQTT_PASSWORD_FILE: pwFile,
      LOG_FORMAT: "json",
    });
    expect(out).toContain("truenas session ready");
    expectNoSecret(out, "output with key files");
  });

  it("publishes no secret on any topic", () => {
    expect(probe.messages.filter(isConfig).length).toBeGreaterThan(0);
    for (const m of probe.messages) expectNoSecret(`${m.topic}\n${m.payload}`, `MQTT ${m.topic}`);
  });

  it("a key given both directly and by file: exit 2, and the message does not show the key", async () => {
    const keyFile = join(dir, "both_api_key");
    writeFileSync(keyFile, `${API_KEY}\n`);
    const run = startCli(["run"], {
      TRUENAS_URL: sim.url,
      TRUENAS_API_KEY: API_KEY,
      TRUENAS_API_KEY_FILE: keyFile,
      MQTT_URL: broker.url,
      MQTT_PASSWORD: MQTT_PASSWORD,
      LOG_LEVEL: "trace",
      LOG_FORMAT: "json",
    });
    expect(await run.exited).toBe(2);
    expect(run.output()).toMatch(/TRUENAS_API_KEY.*not both/);
    expectNoSecret(run.output(), "config error");
  });

  it("a config error next to the secrets (a bad MQTT URL): exit 2, no secret in the message", async () => {
    const run = startCli(["run"], {
      TRUENAS_URL: sim.url,
      TRUENAS_API_KEY: API_KEY,
      MQTT_URL: "http://not-a-broker",
      MQTT_PASSWORD: MQTT_PASSWORD,
      LOG_FORMAT: "pretty",
    });
    expect(await run.exited).toBe(2);
    expect(run.output()).toContain("MQTT_URL");
    expectNoSecret(run.output(), "config error");
  });
});
