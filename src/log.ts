/**
 * The one pino root logger; components take `log.child({ component })` (architecture.md rule 7).
 * Secrets are redacted by path wherever they could appear: config objects, call params of the login methods,
 * MQTT connect options, HTTP headers.
 */
import { pino, type DestinationStream, type Logger } from "pino";

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

export interface LogOptions {
  level: string;
  /** Destination stream (default stdout). */
  destination?: DestinationStream;
}

export function createLogger(opts: LogOptions): Logger {
  return pino(
    {
      level: opts.level,
      base: { name: "truenas2mqtt" },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      serializers: { err: pino.stdSerializers.err },
    },
    opts.destination,
  );
}
