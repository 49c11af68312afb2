/**
 * Custom convict formats. convict's own `Boolean` turns any string but "false" into true (so
 * TRUENAS_VERIFY_TLS=maybe would silently mean true); these reject what they do not understand and say what
 * they expect, so every bad value gets a message that names it.
 */
import type convict from "convict";
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

export const ALL_FORMATS: convict.Format[] = [
  booleanFormat,
  portFormat,
  scheduleFormat,
  stringListFormat,
  urlFormat("mqtt-url", ["mqtt", "mqtts", "ws", "wss"]),
  intRange("seconds", 1, 86_400),
  intRange("count", 1, 1000),
  intRange("depth", 0, 64),
];
