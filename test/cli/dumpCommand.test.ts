/**
 * `truenas2mqtt dump` as a user runs it: a separate process against the simulator, no MQTT at all.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SIM_API_KEY, SimulatorServer } from "../../src/simulator/server.js";
import { runCli } from "../support/runCli.js";

let sim: SimulatorServer;

beforeAll(async () => {
  sim = new SimulatorServer({ profile: "small", driftIntervalMs: 0, jitterMs: 0, authFailDelayMs: [0, 0] });
  await sim.start();
});

afterAll(async () => {
  await sim.stop();
});

function env(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    TRUENAS_URL: sim.url,
    TRUENAS_API_KEY: DEFAULT_SIM_API_KEY,
    HEALTH_PORT: "0",
    // Logs go to stderr (src/cli/nasProbe.ts) and so into the suite's secret scan.
    LOG_LEVEL: "trace",
    ...overrides,
  };
}

interface DumpJson {
  version: string;
  nas: { id: string; hostname: string };
  groups: Record<
    string,
    {
      objects: Array<{ kind: string; id: string; doc: Record<string, unknown> }>;
      entities: Array<{ name: string | null; object: { kind: string; id: string }; value: unknown }>;
      error?: string;
    }
  >;
}

describe("truenas2mqtt dump", () => {
  it("--json prints one document with the pools group's objects, docs and entity values", async () => {
    const r = await runCli(["dump", "--json"], env());
    expect(r.code, r.output).toBe(0);
    const dump = JSON.parse(r.stdout) as DumpJson;
    expect(dump.version).toBe("25.10.0");
    expect(dump.nas.id).toMatch(/^nas_/);
    const pools = dump.groups.pools!;
    expect(pools.error).toBeUndefined();
    expect(pools.objects.length).toBeGreaterThan(0);
    const pool = pools.objects[0]!;
    expect(pool.kind).toBe("pool");
    expect(typeof pool.doc.name).toBe("string");
    expect(pool.doc.status).toBeDefined();
    const status = pools.entities.find((e) => e.name === "Status" && e.object.id === pool.id);
    expect(status?.value).toBe(pool.doc.status);
    expect(Object.keys(dump.groups)).toEqual(expect.arrayContaining(["system", "disks", "datasets"]));
  });

  it("prints a readable tree naming each pool, and reports groups it cannot read", async () => {
    sim.faults.denyMethod("alert.list");
    try {
      const json = JSON.parse((await runCli(["dump", "--json"], env())).stdout) as DumpJson;
      const poolName = String(json.groups.pools!.objects[0]!.doc.name);
      expect(json.groups.alerts!.error).toMatch(/not permitted/);
      const r = await runCli(["dump"], env());
      expect(r.code, r.output).toBe(0);
      expect(r.stdout).toMatch(/^TrueNAS 25\.10\.0, host /);
      expect(r.stdout).toMatch(/^pools: \d+ objects?, \d+ entities$/m);
      expect(r.stdout).toContain(`"${poolName}"`);
      expect(r.stdout).toMatch(/^ {4}Status \[sensor status\] = "\w+"$/m);
      expect(r.stdout).toMatch(/^alerts: not permitted for this API key/m);
    } finally {
      sim.faults.denyMethod("alert.list", false);
    }
  });

  it("exits 1 when TrueNAS refuses the API key", async () => {
    const r = await runCli(["dump"], env({ TRUENAS_API_KEY: "1-wrongkey" }));
    expect(r.code, r.output).toBe(1);
    expect(r.stderr).toMatch(/refused the API key/);
  });
});
