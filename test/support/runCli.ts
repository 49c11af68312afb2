/**
 * Run `truenas2mqtt <args>` as a user would: the built CLI in a separate process, with its own
 * environment. Resolves with the exit code and everything it printed.
 */
import { spawn } from "node:child_process";

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

export function runCli(args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  // Only what the test gives (plus PATH/HOME): no TRUENAS_*/MQTT_* leaking from the developer's shell.
  const base = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };
  const proc = spawn(NODE, [MAIN, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...base, ...env } });
  let stdout = "";
  let stderr = "";
  let output = "";
  proc.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
    output += d.toString();
  });
  proc.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
    output += d.toString();
  });
  return new Promise((resolve, reject) => {
    proc.once("error", reject);
    proc.once("close", (code) => resolve({ code, stdout, stderr, output }));
  });
}
