/**
 * Faults added for issue 6: ending subscriptions with `notify_unsubscribed` (an event source that stops or
 * crashes, truenas-api.md §2.2) and a NAS reboot (system.reboot, dropped sockets, refused connections, a new
 * boot id and `system.ready` false until the boot finishes, §2.3 and §3.3).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SOURCE_CRASHED } from "../../src/simulator/faults.js";
import type { SimWorld } from "../../src/simulator/nas/world.js";
import { DEFAULT_SIM_API_KEY, SimulatorServer } from "../../src/simulator/server.js";
import { RawWsClient, type Received } from "../support/rawWsClient.js";

const REALTIME = 'reporting.realtime:{"interval":2}';
let sim: SimulatorServer;
let clients: RawWsClient[] = [];

async function loggedIn(): Promise<RawWsClient> {
  const c = await RawWsClient.connect(sim.url);
  clients.push(c);
  expect((await c.call("auth.login_with_api_key", [DEFAULT_SIM_API_KEY])).result).toBe(true);
  return c;
}

const unsubscribedFrom =
  (collection: string) =>
  (m: Received): boolean =>
    m.json?.method === "notify_unsubscribed" && m.json.params.collection === collection;
const updateOf =
  (collection: string) =>
  (m: Received): boolean =>
    m.json?.method === "collection_update" && m.json.params.collection === collection;

beforeEach(async () => {
  sim = new SimulatorServer({ profile: "small", driftIntervalMs: 0, jitterMs: 0, authFailDelayMs: [0, 0] });
  await sim.start();
});

afterEach(async () => {
  for (const c of clients) c.close();
  clients = [];
  await sim.stop();
});

describe("simulator fault: endSubscriptions", () => {
  it("ends an event source for every subscriber with notify_unsubscribed carrying the crash error", async () => {
    const a = await loggedIn();
    const b = await loggedIn();
    await a.call("core.subscribe", [REALTIME]);
    await b.call("core.subscribe", [REALTIME]);
    await a.waitFor(updateOf(REALTIME));
    expect(sim.faults.endSubscriptions(REALTIME)).toBe(2);
    for (const c of [a, b]) {
      const n = await c.waitFor(unsubscribedFrom(REALTIME));
      expect(n.json).toEqual({
        jsonrpc: "2.0",
        method: "notify_unsubscribed",
        params: { collection: REALTIME, error: { ...SOURCE_CRASHED } },
      });
    }
    // Nothing more from the stopped source; a new subscribe starts it again.
    const before = a.received.filter(updateOf(REALTIME)).length;
    await a.call("core.subscribe", [REALTIME]);
    await a.waitForCount(updateOf(REALTIME), before + 1);
    expect(b.received.filter(unsubscribedFrom(REALTIME))).toHaveLength(1);
  });

  it("ends plain subscriptions too (error null when asked), and events stop for that connection", async () => {
    const c = await loggedIn();
    await c.call("core.subscribe", ["service.query"]);
    await c.call("core.subscribe", ["pool.query"]);
    expect(sim.faults.endSubscriptions("service.query", null)).toBe(1);
    const n = await c.waitFor(unsubscribedFrom("service.query"));
    expect(n.json.params.error).toBeNull();
    const world = sim.world as SimWorld;
    world.control.setServiceRunning("cifs", false);
    world.control.degradePool(String(world.state.pools[0]!.name));
    await c.waitFor(updateOf("pool.query"));
    expect(c.received.filter(updateOf("service.query"))).toEqual([]);
  });

  it("returns 0 when nobody is subscribed", () => {
    expect(sim.faults.endSubscriptions("alert.list")).toBe(0);
  });
});

describe("simulator: reboot", () => {
  it("sends system.reboot, drops every connection, refuses new ones, then boots with a new boot id", async () => {
    const c = await loggedIn();
    await c.call("core.subscribe", ["system.reboot"]);
    await c.call("core.subscribe", ["system.ready"]);
    const bootId = (await c.call("system.boot_id")).result as string;
    await sim.reboot();
    const reboot = await c.waitFor(updateOf("system.reboot"));
    expect(reboot.json.params.fields).toEqual({ reason: "Simulated reboot" });
    await c.waitForClose();
    await expect(RawWsClient.connect(sim.url)).rejects.toThrow(/503/);

    sim.powerOn();
    const after = await loggedIn();
    expect((await after.call("system.ready")).result).toBe(false);
    expect((await after.call("system.state")).result).toBe("BOOTING");
    expect((await after.call("system.info")).result.uptime_seconds).toBe(0);
    const newBootId = (await after.call("system.boot_id")).result as string;
    expect(newBootId).not.toBe(bootId);
    const http = await fetch(sim.url.replace("ws://", "http://").replace("/api/current", "/api/boot_id"));
    expect(await http.json()).toBe(newBootId);

    await after.call("core.subscribe", ["system.ready"]);
    (sim.world as SimWorld).control.setReady(true);
    await after.waitFor(updateOf("system.ready"));
    expect((await after.call("system.ready")).result).toBe(true);
  });
});
