/**
 * `truenas2mqtt simulator` as a user runs it: a separate process that prints its URL, serves the protocol,
 * and stops on SIGTERM. Runs the TypeScript entry through tsx so `npm test` needs no build.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { RawWsClient } from "../support/rawWsClient.js";

/** The built CLI, as users run it (`npm test` builds first). */
const NODE = process.execPath;
const MAIN = new URL("../../dist/main.js", import.meta.url).pathname;
let child: ChildProcess | undefined;

afterEach(() => {
  child?.kill("SIGKILL");
  child = undefined;
});

function run(args: string[]): {
  proc: ChildProcess;
  output: () => string;
  line: (re: RegExp) => Promise<RegExpMatchArray>;
} {
  const proc = spawn(NODE, [MAIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  child = proc;
  let out = "";
  const waiters: Array<() => void> = [];
  const onData = (d: Buffer): void => {
    out += d.toString();
    for (const w of waiters.splice(0)) w();
  };
  proc.stdout.on("data", onData);
  proc.stderr.on("data", onData);
  proc.on("exit", () => {
    for (const w of waiters.splice(0)) w();
  });
  const line = async (re: RegExp): Promise<RegExpMatchArray> => {
    for (;;) {
      const m = out.match(re);
      if (m) return m;
      if (proc.exitCode !== null) throw new Error(`exited ${proc.exitCode}: ${out}`);
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  return { proc, output: () => out, line };
}

function exited(proc: ChildProcess): Promise<number | null> {
  if (proc.exitCode !== null) return Promise.resolve(proc.exitCode);
  return new Promise((resolve) => proc.once("exit", (code) => resolve(code)));
}

describe("truenas2mqtt simulator", () => {
  it("prints its ws:// URL and key, serves the API, and exits 0 on SIGTERM", async () => {
    const { proc, line } = run([
      "simulator",
      "--profile",
      "small",
      "--version",
      "25.04.2",
      "--api-key",
      "7-clikey",
    ]);
    const [, url] = await line(/listening on (ws:\/\/\S+)/);
    const c = await RawWsClient.connect(url!);
    expect((await c.call("auth.login_with_api_key", ["7-clikey"])).result).toBe(true);
    expect((await c.call("system.info")).result.version).toBe("25.04.2.6");
    c.close();
    proc.kill("SIGTERM");
    expect(await exited(proc)).toBe(0);
  });

  it("serves wss:// with --tls and prints the CA to trust", async () => {
    const { line } = run(["simulator", "--tls"]);
    const [, url] = await line(/listening on (wss:\/\/\S+)/);
    const [, caPath] = await line(/CA certificate: (\S+)/);
    const c = await RawWsClient.connect(url!, { ca: readFileSync(caPath!) });
    expect((await c.call("core.ping")).result).toBe("pong");
    c.close();
    await expect(RawWsClient.connect(url!)).rejects.toThrow(/self.signed|certificate/i);
  });

  it("exits 2 with the usage on a bad option", async () => {
    const { proc, output } = run(["simulator", "--profile", "huge"]);
    expect(await exited(proc)).toBe(2);
    expect(output()).toMatch(/--profile must be one of small, typical, large/);
    expect(output()).toMatch(/Usage: truenas2mqtt simulator/);
  });
});
