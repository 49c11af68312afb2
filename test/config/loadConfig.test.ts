import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/configError.js";
import { loadConfig } from "../../src/config/loadConfig.js";

const KEY = "1-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ab";
const BASE = { TRUENAS_URL: "wss://nas.example.test/api/current", TRUENAS_API_KEY: KEY };
const dir = mkdtempSync(join(tmpdir(), "t2m-config-"));

function problemsOf(env: Record<string, string>, configFile?: string): string[] {
  try {
    loadConfig({ env, ...(configFile ? { configFile } : {}) });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return [...(err as ConfigError).problems];
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("applies defaults and normalises the TrueNAS URL", () => {
    const c = loadConfig({ env: { TRUENAS_URL: "nas.example.test", TRUENAS_API_KEY: KEY } });
    expect(c.truenas.url).toBe("wss://nas.example.test/api/current");
    expect(c.truenas.verifyTls).toBe(true);
    expect(c.mqtt).toMatchObject({ url: "mqtt://localhost:1883", baseTopic: "truenas2mqtt" });
    expect(c.homeassistant).toEqual({
      discovery: true,
      discoveryPrefix: "homeassistant",
      statusTopic: "homeassistant/status",
    });
    expect(c.poll.pools).toEqual({ kind: "cron", expression: "9 * * * * *" });
    expect(c.poll.updates.kind).toBe("cron");
    expect(Object.isFrozen(c.truenas)).toBe(true);
  });

  it.each([
    [{ TRUENAS_URL: "" }, /truenas\.url \(TRUENAS_URL\): required/],
    [{ TRUENAS_API_KEY: "" }, /truenas\.api_key \(TRUENAS_API_KEY\): required/],
    [{ TRUENAS_URL: "ws://nas.example.test" }, /truenas\.url \(TRUENAS_URL\): .*ws:\/\//],
    [
      { POLL_POOLS: "every minute" },
      /poll\.pools \(POLL_POOLS\): must be a cron expression.*got "every minute"/,
    ],
    [
      { TRUENAS_VERIFY_TLS: "maybe" },
      /truenas\.verify_tls \(TRUENAS_VERIFY_TLS\): must be true or false; got "maybe"/,
    ],
    [{ HEALTH_PORT: "99999" }, /health\.port \(HEALTH_PORT\): must be a TCP port.*got 99999/],
    [{ MQTT_URL: "http://broker" }, /mqtt\.url \(MQTT_URL\): must use one of the schemes/],
    [{ LOG_LEVEL: "loud" }, /log\.level \(LOG_LEVEL\): must be one of the possible values/],
    [{ REMOVAL_POLLS: "0" }, /bridge\.removal_polls \(REMOVAL_POLLS\): must be an integer from 1/],
    [{ TRUENAS_CA_FILE: "/nonexistent/ca.pem" }, /truenas\.ca_file \(TRUENAS_CA_FILE\): no such file/],
    [
      { TRUENAS_API_KEY: "", TRUENAS_API_KEY_FILE: "/nonexistent/key" },
      /truenas\.api_key_file \(TRUENAS_API_KEY_FILE\): cannot read/,
    ],
  ])("reports %j as a problem naming the key", (override, pattern) => {
    const problems = problemsOf({ ...BASE, ...override });
    expect(problems.join("\n")).toMatch(pattern);
  });

  it("reports every problem at once", () => {
    const problems = problemsOf({ POLL_APPS: "x", HEALTH_PORT: "-1" });
    expect(problems.length).toBeGreaterThanOrEqual(4);
  });

  it("accepts off and six-field schedules", () => {
    const c = loadConfig({ env: { ...BASE, POLL_DISK_TEMPERATURES: "off", POLL_SYSTEM: "*/10 * * * * *" } });
    expect(c.poll.disk_temperatures).toEqual({ kind: "off" });
    expect(c.poll.system).toEqual({ kind: "cron", expression: "*/10 * * * * *" });
  });

  it("reads secrets from *_FILE files and never echoes a secret in a problem", () => {
    const keyFile = join(dir, "key");
    writeFileSync(keyFile, `${KEY}\n`);
    const pwFile = join(dir, "pw");
    writeFileSync(pwFile, "s3cret-pw\n");
    const c = loadConfig({
      env: { TRUENAS_URL: BASE.TRUENAS_URL, TRUENAS_API_KEY_FILE: keyFile, MQTT_PASSWORD_FILE: pwFile },
    });
    expect(c.mqtt.password).toBe("s3cret-pw");
    expect(c.truenas.apiKeyFile).toBe(keyFile);
    const problems = problemsOf({
      ...BASE,
      TRUENAS_API_KEY_FILE: keyFile,
      MQTT_PASSWORD: "s3cret-pw",
      MQTT_PASSWORD_FILE: pwFile,
    });
    const text = problems.join("\n");
    expect(text).toMatch(/not both/);
    expect(text).not.toContain(KEY);
    expect(text).not.toContain("s3cret-pw");
  });

  it("loads a YAML file, lets the environment override it, and rejects unknown keys", () => {
    const file = join(dir, "config.yaml");
    writeFileSync(
      file,
      `truenas:\n  url: wss://file.example.test\n  api_key: ${KEY}\nmqtt:\n  base_topic: fromfile\n`,
    );
    const c = loadConfig({ env: { MQTT_BASE_TOPIC: "fromenv" }, configFile: file });
    expect(c.truenas.url).toBe("wss://file.example.test/api/current");
    expect(c.mqtt.baseTopic).toBe("fromenv");
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ mqtt: { hostname: "x" } }));
    expect(problemsOf(BASE, bad).join("\n")).toMatch(/mqtt\.hostname: unknown option/);
  });

  it("names the file when it cannot be parsed", () => {
    const file = join(dir, "broken.yaml");
    writeFileSync(file, "truenas: [unclosed\n");
    expect(problemsOf(BASE, file)[0]).toMatch(/config file .*broken\.yaml/);
  });
});

describe("config/truenas2mqtt.example.yaml", () => {
  it("is a valid configuration covering every key (strict: no unknown keys)", () => {
    const file = new URL("../../config/truenas2mqtt.example.yaml", import.meta.url).pathname;
    const c = loadConfig({ env: BASE, configFile: file });
    expect(c.mqtt.baseTopic).toBe("truenas2mqtt");
    expect(Object.keys(c.poll)).toHaveLength(17);
  });
});
