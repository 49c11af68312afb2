/**
 * The one pino root logger; components take `log.child({ component })` (architecture.md rule 7).
 * Secrets are redacted by path wherever they could appear: config objects, call params of the login methods,
 * MQTT connect options, HTTP headers. Redaction happens in pino, before a line is formatted, so JSON and
 * pretty output carry the same censored values.
 */
import { pino, type DestinationStream, type Logger } from "pino";
import { createRequire } from "node:module";
import type * as PinoPretty from "pino-pretty";

/** Paths pino censors in every log line (wildcards cover one nesting level each). */
export const REDACT_PATHS = [
  "apiKey",
  "api_key",
  "password",
  "token",
  "*.apiKey",
  "*.api_key",
  "*.password",
  "*.token",
  "*.*.apiKey",
  "*.*.api_key",
  "*.*.password",
  "*.*.token",
  "headers.authorization",
  "*.headers.authorization",
];

/** `log.format`: JSON lines, human-readable lines, or pretty only on a terminal. */
export type LogFormat = "auto" | "json" | "pretty";

export interface LogOptions {
  level: string;
  /** Default `json`. */
  format?: LogFormat;
  /** Whether stdout is a terminal: decides `auto`, and colours pretty output (default false). */
  isTty?: boolean;
  /** Destination stream (default stdout). */
  destination?: DestinationStream;
}

/** What `auto` means here: pretty on a terminal, JSON lines for log collectors. */
export function resolveLogFormat(format: LogFormat, isTty: boolean): "json" | "pretty" {
  return format === "auto" ? (isTty ? "pretty" : "json") : format;
}

export function createLogger(opts: LogOptions): Logger {
  const isTty = opts.isTty ?? false;
  const options = {
    level: opts.level,
    base: { name: "truenas2mqtt" },
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    serializers: { err: pino.stdSerializers.err },
  };
  if (resolveLogFormat(opts.format ?? "json", isTty) === "json") return pino(options, opts.destination);
  // A stream in this thread, not a worker transport: nothing to resolve or spawn at run time, so it works
  // with a read-only root filesystem; sync so the last lines before exit are not lost.
  // Loaded only for pretty output: JSON (the container's format) does not pay its start-up cost.
  const { build: pretty } = createRequire(import.meta.url)("pino-pretty") as typeof PinoPretty;
  const stream = pretty({
    colorize: isTty,
    sync: true,
    destination: opts.destination ?? 1,
    translateTime: "SYS:yyyy-mm-dd HH:MM:ss.l",
    ignore: "pid,hostname,name,component",
    messageFormat: "{if component}[{component}] {end}{msg}",
  });
  return pino(options, stream);
}
