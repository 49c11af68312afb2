/**
 * Run `truenas2mqtt <args>` as a user would: the built CLI in a separate process, with its own environment.
 * Everything the child prints is also appended to the whole-suite secret-scan capture (test/support/capture.ts).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { captureChildStream } from "./capture.js";

/** The built CLI, as users run it (`npm test` builds first). */
const NODE = process.execPath;
const MAIN = new URL("../../dist/main.js", import.meta.url).pathname;

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr together, in arrival order. */
  readonly output: string;
}

/** A CLI process still running: its output so far, and ways to wait for lines and for its end. */
export interface CliProcess {
  readonly proc: ChildProcess;
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  /** stdout and stderr together, in arrival order. */
  output(): string;
  /** Resolves with the first match in the output so far or to come; rejects if the process ends first. */
  waitFor(re: RegExp): Promise<RegExpMatchArray>;
  /** The exit code (null when killed by a signal), once both pipes have closed. */
  readonly exited: Promise<number | null>;
  /** Signal the process unless it has already ended. */
  kill(signal?: NodeJS.Signals): void;
}

export function startCli(args: readonly string[], env: Record<string, string>): CliProcess {
  // Only what the test gives (plus PATH/HOME): no TRUENAS_*/MQTT_* leaking from the developer's shell.
  const base = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };
  const proc = spawn(NODE, [MAIN, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...base, ...env } });
  let stdout = "";
  let stderr = "";
  let output = "";
  let ended = false;
  const waiters = new Set<() => void>();
  const wake = (): void => {
    for (const w of waiters) w();
  };
  const toCapture = {
    stdout: captureChildStream(proc.pid, "stdout"),
    stderr: captureChildStream(proc.pid, "stderr"),
  };
  proc.stdout.on("data", (d: Buffer) => {
    const text = d.toString();
    toCapture.stdout(text);
    stdout += text;
    output += text;
    wake();
  });
  proc.stderr.on("data", (d: Buffer) => {
    const text = d.toString();
    toCapture.stderr(text);
    stderr += text;
    output += text;
    wake();
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    proc.once("error", reject);
    proc.once("close", (code) => {
      ended = true;
      wake();
      resolve(code);
    });
  });
  return {
    proc,
    pid: proc.pid ?? -1,
    stdout: () => stdout,
    stderr: () => stderr,
    output: () => output,
    exited,
    kill(signal = "SIGTERM") {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    },
    waitFor(re) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const m = re.exec(output);
          if (m) {
            waiters.delete(check);
            resolve(m);
          } else if (ended) {
            waiters.delete(check);
            reject(new Error(`exited (${proc.exitCode ?? proc.signalCode}) before ${re}: ${output}`));
          }
        };
        waiters.add(check);
        check();
      });
    },
  };
}

export async function runCli(args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  const cli = startCli(args, env);
  const code = await cli.exited;
  return { code, stdout: cli.stdout(), stderr: cli.stderr(), output: cli.output() };
}
