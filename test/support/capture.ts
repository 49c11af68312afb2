/**
 * The whole-suite capture: everything the bridge writes or publishes during the tests lands in one directory
 * (made by test/support/captureGlobal.ts, named in T2M_CAPTURE_DIR), and the global teardown fails the run if a
 * known secret (test/support/secrets.ts) appears in it. Issue 6: "No secret in any log line at any level, in
 * /healthz, /metrics or any MQTT payload: asserted over the captured output of the whole suite."
 *
 * Each worker process writes its own files (`<pid>.<kind>`), one per source, so a secret can never be split
 * across chunks of two different writers.
 */
import { closeSync, mkdtempSync, openSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { format } from "node:util";
import type { Logger } from "pino";
import { createLogger } from "../../src/log.js";

/** The environment variable the global setup uses to hand the directory to the workers. */
export const CAPTURE_DIR_ENV = "T2M_CAPTURE_DIR";

/** Open files by path; kept on the process, not the module, because vitest re-evaluates modules per file. */
const FDS_KEY = Symbol.for("truenas2mqtt.test.captureFds");
const FALLBACK_KEY = Symbol.for("truenas2mqtt.test.captureFallbackDir");
type ProcessWithCapture = NodeJS.Process & { [FDS_KEY]?: Map<string, number>; [FALLBACK_KEY]?: string };

function fds(): Map<string, number> {
  const p = process as ProcessWithCapture;
  p[FDS_KEY] ??= new Map();
  return p[FDS_KEY];
}

/**
 * Where captured text goes. Outside the suite's global setup (a file run by a different config) the text
 * still goes somewhere harmless, so helpers never fail for lack of a scan.
 */
export function captureDir(): string {
  const dir = process.env[CAPTURE_DIR_ENV];
  if (dir) return dir;
  const p = process as ProcessWithCapture;
  p[FALLBACK_KEY] ??= mkdtempSync(join(tmpdir(), "t2m-capture-unscanned-"));
  return p[FALLBACK_KEY];
}

/** Append to this worker's file of one kind (log, stdout, mqtt, ...). Synchronous: nothing is lost at exit. */
export function appendCapture(kind: string, text: string): void {
  if (text === "") return;
  const path = join(captureDir(), `${process.pid}.${kind}`);
  const open = fds();
  let fd = open.get(path);
  if (fd === undefined) {
    fd = openSync(path, "a");
    open.set(path, fd);
  }
  writeSync(fd, text);
}

/** Close every capture file this process opened (the worker's exit would too; this is for tidy tests). */
export function closeCaptureFiles(): void {
  const open = fds();
  for (const fd of open.values()) closeSync(fd);
  open.clear();
}

/**
 * The project's own logger (src/log.ts: the same redaction paths) at trace level, JSON lines, written to the
 * capture: tests get silent output and the secret scan reads every line the components logged.
 */
export function testLogger(level = "trace"): Logger {
  return createLogger({
    level,
    format: "json",
    destination: { write: (line: string) => appendCapture("log", line) },
  });
}

/** Add a body the bridge served or published (/healthz, /metrics, an MQTT payload) to the scan. */
export function captureText(label: string, text: string): void {
  appendCapture("text", `### ${label}\n${text}\n`);
}

/** Unique per spawned process and stream, so concurrent children never interleave within one file. */
export function captureChildStream(
  childPid: number | undefined,
  stream: "stdout" | "stderr",
): (t: string) => void {
  const kind = `child-${childPid ?? "nopid"}.${stream}`;
  return (text) => appendCapture(kind, text);
}

const TEED = Symbol.for("truenas2mqtt.test.teed");
type Teeable = { [TEED]?: true };

/**
 * Tee this worker's stdout/stderr writes and console calls into the capture. vitest routes a worker's console
 * through its own RPC streams rather than process.stdout, so both are wrapped. Idempotent per object.
 */
export function teeProcessOutput(): void {
  for (const [name, stream] of [
    ["stdout", process.stdout],
    ["stderr", process.stderr],
  ] as const) {
    const s = stream as typeof stream & Teeable;
    if (s[TEED]) continue;
    s[TEED] = true;
    const original = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = (chunk: unknown, ...rest: unknown[]) => {
      appendCapture(name, typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString());
      return original(chunk, ...rest);
    };
  }
  const con = console as unknown as Record<string, ((...args: unknown[]) => void) & Teeable>;
  for (const method of ["log", "info", "warn", "error", "debug", "trace"]) {
    const fn = con[method];
    if (!fn || fn[TEED]) continue;
    const wrapped = ((...args: unknown[]) => {
      appendCapture("console", `${format(...args)}\n`);
      fn.apply(console, args);
    }) as typeof fn;
    wrapped[TEED] = true;
    con[method] = wrapped;
  }
}

export interface RecordedLog {
  readonly log: Logger;
  /** Every line written, parsed, in order. */
  readonly lines: Array<Record<string, unknown>>;
  /** Raw text of every line (to check that secrets never appear). */
  text(): string;
  /** The first line (already written or to come) matching. */
  waitFor(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
}

/** testLogger() that also keeps its lines for the test to assert on (what was logged, at which level). */
export function recordingTestLogger(level = "trace"): RecordedLog {
  const raw: string[] = [];
  const lines: Array<Record<string, unknown>> = [];
  let waiters: Array<{
    match: (l: Record<string, unknown>) => boolean;
    resolve: (l: Record<string, unknown>) => void;
  }> = [];
  const log = createLogger({
    level,
    format: "json",
    destination: {
      write(chunk: string) {
        raw.push(chunk);
        appendCapture("log", chunk);
        const line = JSON.parse(chunk) as Record<string, unknown>;
        lines.push(line);
        waiters = waiters.filter((w) => (w.match(line) ? (w.resolve(line), false) : true));
      },
    },
  });
  return {
    log,
    lines,
    text: () => raw.join(""),
    waitFor(match) {
      const found = lines.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
  };
}
