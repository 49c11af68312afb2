/**
 * Load the configuration once, at the edge: defaults < config file (JSON or YAML) < environment, validated
 * strictly (unknown keys are errors), secrets read from *_FILE files, then frozen plain data (architecture.md
 * rule 2). Every problem becomes one message naming the key, its environment variable, the bad value (masked
 * when secret) and what is expected.
 */
import convict from "convict";
import { GROUP_NAMES, type GroupName, type Schedule } from "../groups/schedules.js";
import { normaliseTrueNasUrl } from "../truenas/url.js";
import { ConfigError } from "./configError.js";
import { readConfigFile, readSmallFile } from "./configFile.js";
import { keyName, shown } from "./describe.js";
import { ALL_FORMATS } from "./formats.js";
import { CONFIG_SCHEMA } from "./schema.js";

convict.addFormats(Object.fromEntries(ALL_FORMATS.map((f): [string, convict.Format] => [f.name ?? "", f])));

export interface AppConfig {
  readonly truenas: {
    readonly url: string;
    readonly apiKey: string;
    readonly apiKeyFile: string;
    readonly verifyTls: boolean;
    readonly caFile: string;
    readonly callTimeoutMs: number;
  };
  readonly mqtt: {
    readonly url: string;
    readonly username: string;
    readonly password: string;
    readonly clientId: string;
    readonly baseTopic: string;
    /** 0 = no limit. */
    readonly maxMessageBytes: number;
  };
  readonly homeassistant: {
    readonly discovery: boolean;
    readonly discoveryPrefix: string;
    readonly statusTopic: string;
  };
  readonly bridge: {
    readonly availabilityGraceMs: number;
    readonly removalPolls: number;
  };
  readonly datasets: {
    readonly include: readonly string[];
    readonly exclude: readonly string[];
    readonly maxDepth: number;
  };
  readonly log: { readonly level: string; readonly format: "auto" | "json" | "pretty" };
  readonly health: { readonly port: number; readonly host: string };
  readonly poll: Readonly<Record<GroupName, Schedule>>;
}

export interface LoadConfigInput {
  env: Readonly<Record<string, string | undefined>>;
  /** Path from --config; CONFIG_FILE in env is the fallback. */
  configFile?: string;
  /** Keys that may be missing (e.g. `check --help`, the simulator). */
  requireTrueNas?: boolean;
}

/** The validated values, as convict returns them (the file's nested shape). */
interface Raw {
  truenas: {
    url: string;
    api_key: string;
    api_key_file: string;
    verify_tls: boolean;
    ca_file: string;
    call_timeout_s: number;
  };
  mqtt: {
    url: string;
    username: string;
    password: string;
    password_file: string;
    client_id: string;
    base_topic: string;
    max_message_bytes: number;
  };
  homeassistant: { discovery: boolean; discovery_prefix: string; status_topic: string };
  bridge: { availability_grace_s: number; removal_polls: number };
  datasets: { include: string[]; exclude: string[]; max_depth: number };
  log: { level: string; format: string };
  health: { port: number; host: string };
  poll: Record<string, string>;
}

function lookup(obj: unknown, path: string): unknown {
  let node = obj;
  for (const part of path.split(".")) node = (node as Record<string, unknown> | undefined)?.[part];
  return node;
}

/** Turn convict's one-line-per-problem message into our messages. */
function convictProblems(message: string, raw: unknown): string[] {
  return message
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((line) => {
      const undeclared = /configuration param '([^']+)' not declared in the schema/.exec(line);
      if (undeclared) return `${undeclared[1]}: unknown option (see config/truenas2mqtt.example.yaml)`;
      // configFile.ts leaves such mappings out; kept so the message stays clear if convict finds another way.
      const overridden = /configuration param '([^']+)' missing from config/.exec(line);
      if (overridden) return `${keyName(overridden[1] ?? "")}: must be a single value, not a mapping`;
      const m = /^([\w.]+): (.*?)(?:: value was .*)?$/.exec(line);
      if (!m) return line;
      const [, path = "", what = ""] = m;
      return `${keyName(path)}: ${what}; got ${shown(path, lookup(raw, path))}`;
    });
}

/** A secret is a line (an API key is about 70 characters); a larger "secret" is the wrong file. */
const SECRET_FILE_MAX = 64 * 1024;
/** A CA bundle: the system's whole bundle is about 200 KiB. */
const CA_FILE_MAX = 1024 * 1024;

function readSecretFile(path: string, key: string, problems: string[]): string {
  const read = readSmallFile(path, SECRET_FILE_MAX);
  if ("why" in read) {
    problems.push(`${keyName(key)}: cannot read ${path} ${read.why}`);
    return "";
  }
  const value = read.text.trim();
  if (value === "") problems.push(`${keyName(key)}: the file ${path} is empty`);
  return value;
}

function checkTrueNas(raw: Raw, problems: string[], required: boolean): void {
  const t = raw.truenas;
  if (t.url === "") {
    if (required) problems.push(`${keyName("truenas.url")}: required, e.g. wss://truenas.local/api/current`);
  } else {
    try {
      normaliseTrueNasUrl(t.url);
    } catch (err) {
      problems.push(`${keyName("truenas.url")}: ${(err as Error).message}; got ${JSON.stringify(t.url)}`);
    }
  }
  if (t.api_key !== "" && t.api_key_file !== "") {
    problems.push(
      `${keyName("truenas.api_key")}: set either the key or ${keyName("truenas.api_key_file")}, not both`,
    );
  } else if (t.api_key_file !== "") {
    readSecretFile(t.api_key_file, "truenas.api_key_file", problems);
  } else if (t.api_key === "" && required) {
    problems.push(`${keyName("truenas.api_key")}: required (or ${keyName("truenas.api_key_file")})`);
  }
  // Read at every connect (truenas/tls.ts): a FIFO or /dev/zero there would hang the session, not fail it.
  const ca = t.ca_file === "" ? null : readSmallFile(t.ca_file, CA_FILE_MAX);
  if (ca !== null && "why" in ca) {
    const file = JSON.stringify(t.ca_file);
    const what = ca.why === "(ENOENT)" ? `no such file ${file}` : `cannot read ${file} ${ca.why}`;
    problems.push(`${keyName("truenas.ca_file")}: ${what}`);
  }
}

function toSchedule(expression: string): Schedule {
  const v = expression.trim();
  return v === "off" ? { kind: "off" } : { kind: "cron", expression: v };
}

function build(raw: Raw, mqttPassword: string): AppConfig {
  const poll = Object.fromEntries(GROUP_NAMES.map((g) => [g, toSchedule(raw.poll[g] ?? "off")])) as Record<
    GroupName,
    Schedule
  >;
  return {
    truenas: {
      url: raw.truenas.url === "" ? "" : normaliseTrueNasUrl(raw.truenas.url).url,
      apiKey: raw.truenas.api_key,
      apiKeyFile: raw.truenas.api_key_file,
      verifyTls: raw.truenas.verify_tls,
      caFile: raw.truenas.ca_file,
      callTimeoutMs: raw.truenas.call_timeout_s * 1000,
    },
    mqtt: {
      url: raw.mqtt.url,
      username: raw.mqtt.username,
      password: mqttPassword,
      clientId: raw.mqtt.client_id,
      baseTopic: raw.mqtt.base_topic,
      maxMessageBytes: raw.mqtt.max_message_bytes,
    },
    homeassistant: {
      discovery: raw.homeassistant.discovery,
      discoveryPrefix: raw.homeassistant.discovery_prefix,
      statusTopic: raw.homeassistant.status_topic,
    },
    bridge: {
      availabilityGraceMs: raw.bridge.availability_grace_s * 1000,
      removalPolls: raw.bridge.removal_polls,
    },
    datasets: {
      include: raw.datasets.include,
      exclude: raw.datasets.exclude,
      maxDepth: raw.datasets.max_depth,
    },
    log: { level: raw.log.level, format: raw.log.format as "auto" | "json" | "pretty" },
    health: { port: raw.health.port, host: raw.health.host },
    poll,
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Load, validate and freeze the configuration; throws ConfigError listing every problem. */
export function loadConfig(input: LoadConfigInput): AppConfig {
  const config = convict<Raw>(CONFIG_SCHEMA, {
    env: input.env,
    args: [],
  });
  const problems: string[] = [];
  const file = input.configFile ?? input.env.CONFIG_FILE;
  if (file) {
    const { settings, problems: shape } = readConfigFile(file);
    problems.push(...shape);
    try {
      config.load(settings);
      config.load(envOverrides(input.env)); // the environment wins over the file
    } catch (err) {
      throw new ConfigError([`config file ${file}: ${(err as Error).message}`]);
    }
  }
  const raw = config.getProperties();
  try {
    config.validate({ allowed: "strict" });
  } catch (err) {
    problems.push(...convictProblems((err as Error).message, raw));
  }
  checkTrueNas(raw, problems, input.requireTrueNas ?? true);
  let mqttPassword = raw.mqtt.password;
  if (raw.mqtt.password !== "" && raw.mqtt.password_file !== "") {
    problems.push(
      `${keyName("mqtt.password")}: set either the password or ${keyName("mqtt.password_file")}, not both`,
    );
  } else if (raw.mqtt.password_file !== "") {
    mqttPassword = readSecretFile(raw.mqtt.password_file, "mqtt.password_file", problems);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(build(raw, mqttPassword));
}

/** The environment's values as a nested object, so they can be loaded again over a config file. */
function envOverrides(env: Readonly<Record<string, string | undefined>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const walk = (node: Record<string, unknown>, path: string[]): void => {
    for (const [key, child] of Object.entries(node)) {
      const leaf = child as { env?: string; doc?: string };
      if (typeof leaf.doc === "string") {
        const value = leaf.env ? env[leaf.env] : undefined;
        if (value !== undefined) setPath(out, [...path, key], value);
      } else {
        walk(child as Record<string, unknown>, [...path, key]);
      }
    }
  };
  walk(CONFIG_SCHEMA, []);
  return out;
}

function setPath(obj: Record<string, unknown>, path: string[], value: unknown): void {
  let node = obj;
  for (const part of path.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
  node[path[path.length - 1] as string] = value;
}
