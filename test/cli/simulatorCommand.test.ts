/**
 * `truenas2mqtt simulator` as a user runs it: a separate process that prints its URL, serves the protocol,
 * and stops on SIGTERM (the built CLI, through test/support/runCli.ts).
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { RawWsClient } from "../support/rawWsClient.js";
import { startCli, type CliProcess } from "../support/runCli.js";

let child: CliProcess | undefined;

afterEach(() => {
  child?.kill("SIGKILL");
  child = undefined;
});

function run(args: string[]): CliProcess {
  child = startCli(args, {});
  return child;
}

describe("truenas2mqtt simulator", () => {
  it("prints its ws:// URL and key, serves the API, and exits 0 on SIGTERM", async () => {
    const cli = run(["simulator", "--profile", "small", "--version", "25.04.2", "--api-key", "7-clikey"]);
    const [, url] = await cli.waitFor(/listening on (ws:\/\/\S+)/);
    const c = await RawWsClient.connect(url!);
    expect((await c.call("auth.login_with_api_key", ["7-clikey"])).result).toBe(true);
    expect((await c.call("system.info")).result.version).toBe("25.04.2.6");
    c.close();
    cli.kill("SIGTERM");
    expect(await cli.exited).toBe(0);
  });

  it("serves wss:// with --tls and prints the CA to trust", async () => {
    // A key of its own: without --api-key the simulator prints its default key, which the suite's secret
    // scan (test/support/captureGlobal.ts) treats as a secret of the bridge.
    const cli = run(["simulator", "--tls", "--api-key", "8-tlstestkey"]);
    const [, url] = await cli.waitFor(/listening on (wss:\/\/\S+)/);
    const [, caPath] = await cli.waitFor(/CA certificate: (\S+)/);
    const c = await RawWsClient.connect(url!, { ca: readFileSync(caPath!) });
    expect((await c.call("core.ping")).result).toBe("pong");
    c.close();
    await expect(RawWsClient.connect(url!)).rejects.toThrow(/self.signed|certificate/i);
  });

  it("exits 2 with the usage on a bad option", async () => {
    const cli = run(["simulator", "--profile", "huge"]);
    expect(await cli.exited).toBe(2);
    expect(cli.output()).toMatch(/--profile must be one of small, typical, large/);
    expect(cli.output()).toMatch(/Usage: truenas2mqtt simulator/);
  });
});
