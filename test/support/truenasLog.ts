/**
 * A pino logger that records every line (at trace level) so tests can assert what was, and was not, logged.
 */
import { pino, type Logger } from "pino";

export interface CapturedLog {
  readonly log: Logger;
  /** Parsed JSON lines. */
  readonly lines: Array<Record<string, unknown>>;
  /** Everything written, raw. */
  text(): string;
  /** Lines with this message. */
  withMsg(msg: string): Array<Record<string, unknown>>;
}

export function captureLog(): CapturedLog {
  const raw: string[] = [];
  const lines: Array<Record<string, unknown>> = [];
  const log = pino(
    { level: "trace" },
    {
      write(chunk: string) {
        raw.push(chunk);
        lines.push(JSON.parse(chunk) as Record<string, unknown>);
      },
    },
  );
  return {
    log,
    lines,
    text: () => raw.join(""),
    withMsg: (msg) => lines.filter((l) => l.msg === msg),
  };
}
