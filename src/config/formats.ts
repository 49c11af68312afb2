/**
 * Custom convict formats. convict's own `Boolean` turns any string but "false" into true (so
 * TRUENAS_VERIFY_TLS=maybe would silently mean true); these reject what they do not understand and say what
 * they expect, so every bad value gets a message that names it.
 */
import type convict from "convict";
import { isIP } from "node:net";
import nodeCron from "node-cron";

const TRUE = new Set(["true", "1", "yes", "on"]);
const FALSE = new Set(["false", "0", "no", "off"]);

export const booleanFormat: convict.Format = {
  name: "strict-boolean",
  validate(value: unknown) {
    if (typeof value !== "boolean") throw new Error("must be true or false");
  },
  coerce(value: unknown) {
    const s = String(value).trim().toLowerCase();
    if (TRUE.has(s)) return true;
    if (FALSE.has(s)) return false;
    return value;
  },
};

export const portFormat: convict.Format = {
  name: "port-or-zero",
  validate(value: unknown) {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 65535) {
      throw new Error("must be a TCP port from 0 to 65535 (0 disables)");
    }
  },
  coerce: (value: unknown) => (/^\d+$/.test(String(value).trim()) ? Number(value) : value),
};

/** A positive integer within [min, max]. */
export function intRange(name: string, min: number, max: number): convict.Format {
  return {
    name,
    validate(value: unknown) {
      if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
        throw new Error(`must be an integer from ${min} to ${max}`);
      }
    },
    coerce: (value: unknown) => (/^-?\d+$/.test(String(value).trim()) ? Number(value) : value),
  };
}

/** A node-cron expression (5 fields, or 6 with seconds first), or "off". */
export const scheduleFormat: convict.Format = {
  name: "schedule",
  validate(value: unknown) {
    if (typeof value !== "string") throw new Error('must be a cron expression or "off"');
    const v = value.trim();
    if (v === "off") return;
    if (!nodeCron.validate(v)) {
      throw new Error('must be a cron expression (e.g. "*/30 * * * * *" = every 30 s) or "off"');
    }
  },
};

/** A URL with one of the given schemes. */
export function urlFormat(name: string, schemes: readonly string[]): convict.Format {
  return {
    name,
    validate(value: unknown) {
      if (typeof value !== "string") throw new Error(`must be a URL (${schemes.join(", ")})`);
      if (value === "") return;
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        throw new Error(`must be a URL such as ${schemes[0]}://host:port`);
      }
      if (!schemes.includes(url.protocol.replace(/:$/, ""))) {
        throw new Error(`must use one of the schemes ${schemes.join(", ")}`);
      }
    },
  };
}

/** A list of strings, from a JSON array in a file or a comma-separated environment variable. */
export const stringListFormat: convict.Format = {
  name: "string-list",
  validate(value: unknown) {
    if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
      throw new Error("must be a list of strings (comma-separated in the environment)");
    }
  },
  coerce: (value: unknown) =>
    typeof value === "string"
      ? value
          .split(",")
          .map((s) => s.trim())
          .filter((s) => s !== "")
      : value,
};

/** MQTT strings are UTF-8 without U+0000 and at most 65,535 bytes (MQTT 3.1.1 §1.5.3). */
function mqttStringProblem(value: string): string | null {
  if (value.includes("\u0000")) return "must not contain the NUL character (MQTT forbids it)";
  if (Buffer.byteLength(value, "utf8") > 65_535) return "must be at most 65,535 bytes (MQTT's limit)";
  return null;
}

/**
 * A topic the bridge publishes under or subscribes to: not empty, no wildcards (a broker closes the connection
 * of a client publishing to `a/#`, so the bridge would reconnect forever), no NUL, not `$`-prefixed (reserved
 * for the broker, MQTT 3.1.1 §4.7.2). A trailing `/` is allowed: topics.ts strips it.
 */
export const topicFormat: convict.Format = {
  name: "mqtt-topic",
  validate(value: unknown) {
    if (typeof value !== "string" || value.replace(/\/+$/, "").trim() === "")
      throw new Error("must be an MQTT topic such as truenas2mqtt");
    const problem =
      mqttStringProblem(value) ??
      (/[+#]/.test(value) ? "must not contain the MQTT wildcards + or #" : null) ??
      (value.startsWith("$") ? "must not start with $ (reserved for the broker)" : null);
    if (problem !== null) throw new Error(problem);
  },
};

/** Text the broker reads as an MQTT string: the client id and user name. */
export const mqttTextFormat: convict.Format = {
  name: "mqtt-text",
  validate(value: unknown) {
    if (typeof value !== "string") throw new Error("must be text");
    const problem = mqttStringProblem(value);
    if (problem !== null) throw new Error(problem);
  },
};

const HOST_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** An address to bind: an IPv4/IPv6 literal or a DNS name (otherwise listen() fails at start-up). */
export const hostFormat: convict.Format = {
  name: "host",
  validate(value: unknown) {
    const v = typeof value === "string" ? value : "";
    const name = v.replace(/\.$/, "");
    const valid =
      isIP(v) !== 0 ||
      (name.length > 0 && name.length <= 253 && name.split(".").every((l) => HOST_LABEL.test(l)));
    if (!valid) throw new Error("must be an IP address (0.0.0.0, ::, 127.0.0.1) or a host name");
  },
};

export const ALL_FORMATS: convict.Format[] = [
  topicFormat,
  mqttTextFormat,
  hostFormat,
  booleanFormat,
  portFormat,
  scheduleFormat,
  stringListFormat,
  urlFormat("mqtt-url", ["mqtt", "mqtts", "ws", "wss"]),
  intRange("seconds", 1, 86_400),
  intRange("count", 1, 1000),
  intRange("depth", 0, 64),
  intRange("byte-limit", 0, 268_435_455),
];
