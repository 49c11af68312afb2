/**
 * The TrueNAS client against the project's simulator (src/simulator/server.ts): the protocol as the simulator
 * implements it from the middleware source (auth, limits, semaphore, errors, event sources), over real sockets.
 * Time on the client side is a manual clock; the simulator runs on real time with latency and delays set to 0.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SimWorld } from "../../src/simulator/nas/world.js";
import { SimulatorServer } from "../../src/simulator/server.js";
import {
  AuthError,
  CallTimeoutError,
  InsecureTransportError,
  MethodNotFoundError,
  TlsVerificationError,
  TrueNasRpcError,
} from "../../src/truenas/errors.js";
import type { SubscriptionEvent } from "../../src/truenas/subscriptions.js";
import { makeTestCa } from "../support/truenasCerts.js";
import { makeClient, next, startReady, stopClients, type Harness } from "../support/truenasHarness.js";

const KEY = `1-${"a".repeat(64)}`;
const REALTIME = 'reporting.realtime:{"interval":2}';

let sim: SimulatorServer;
let h: Harness;
let extraSims: SimulatorServer[] = [];

function simulator(opts: { tls?: { cert: string; key: string }; jitterMs?: number } = {}): SimulatorServer {
  return new SimulatorServer({
    host: "127.0.0.1",
    port: 0,
    profile: "small",
    version: "25.10",
    apiKey: KEY,
    driftIntervalMs: 0,
    jitterMs: opts.jitterMs ?? 0,
    authFailDelayMs: [0, 0],
    rateLimitDelayMs: [0, 0],
    ...(opts.tls ? { tls: opts.tls } : {}),
  });
}

beforeEach(async () => {
  sim = simulator();
  await sim.start();
  h = makeClient({ url: sim.url, apiKey: KEY });
});

afterEach(async () => {
  await stopClients();
  await Promise.all([sim, ...extraSims].map((s) => s.stop()));
  extraSims = [];
});

describe("TrueNasClient against the simulator: session", () => {
  it("logs in and exposes the version and the decoded system.info before ready", async () => {
    const ready = await startReady(h);
    expect(ready.version).toMatch(/^25\.10/);
    expect(h.client.serverVersion).toBe(ready.version);
    expect(typeof ready.info.hostname).toBe("string");
    expect(ready.info.boottime).toBeInstanceOf(Date);
    expect(sim.stats.calls("auth.login_with_api_key")).toBe(1);
    expect(sim.stats.calls("system.info")).toBe(1);
  });

  it("refuses a wrong key with an AuthError and does not retry for at least a minute", async () => {
    await stopClients();
    h = makeClient({ url: sim.url, apiKey: `1-${"b".repeat(64)}` });
    h.client.start();
    const down = await next(h.client, "down");
    expect(down.reason).toBe("auth_failed");
    expect(down.error).toBeInstanceOf(AuthError);
    expect(down.retryInMs).toBeGreaterThanOrEqual(60_000);
    h.clock.advance(59_999);
    expect(sim.stats.connections).toBe(1);
    expect(sim.stats.calls("auth.login_with_api_key")).toBe(1);
  });

  it("after the key is revoked and replaced, picks up the new key on the next attempt", async () => {
    let key = KEY;
    await stopClients();
    h = makeClient({ url: sim.url, apiKey: () => key });
    await startReady(h);
    const dropped = next(h.client, "down");
    sim.faults.revokeApiKey();
    expect((await dropped).reason).toBe("socket_closed");
    const refused = next(h.client, "down");
    h.clock.advance(1_000);
    const r = await refused;
    expect(r.reason).toBe("auth_failed");
    const fresh = `2-${"c".repeat(64)}`;
    sim.faults.setApiKey(fresh);
    key = fresh;
    const ready = next(h.client, "ready");
    h.clock.advance(r.retryInMs);
    await ready;
    expect(h.client.state).toBe("ready");
  });

  it("refuses ws:// to a non-loopback address before anything connects", () => {
    const port = new URL(sim.url).port;
    const c = makeClient({ url: `ws://0.0.0.0:${port}/api/current`, apiKey: KEY });
    expect(() => c.client.start()).toThrow(InsecureTransportError);
    expect(sim.stats.connections).toBe(0);
    expect(sim.openConnections).toBe(0);
  });
});

describe("TrueNasClient against the simulator: calls", () => {
  it("matches out-of-order answers to their calls", async () => {
    await startReady(h);
    sim.faults.delayMethod("system.info", 50);
    const order: string[] = [];
    const info = h.client.call<{ version: string }>("system.info").then((r) => (order.push("info"), r));
    const ping = h.client.call("core.ping").then((r) => (order.push("ping"), r));
    expect(await ping).toBe("pong");
    expect((await info).version).toBe(h.client.serverVersion);
    expect(order).toEqual(["ping", "info"]);
  });

  it("digests a reply frame so an unchanged answer matches and a changed one does not", async () => {
    await startReady(h);
    const first = await h.client.callWithDigest<Array<{ name: string; status: string }>>("pool.query");
    const again = await h.client.callWithDigest("pool.query");
    expect(first.digest).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(again.digest).toBe(first.digest);
    expect(again.result).toEqual(first.result);
    (sim.world as SimWorld).control.degradePool(first.result[0]!.name);
    const changed = await h.client.callWithDigest<Array<{ status: string }>>("pool.query");
    expect(changed.result[0]!.status).toBe("DEGRADED");
    expect(changed.digest).not.toBe(first.digest);
  });

  it("answers many concurrent calls with random latency correctly", async () => {
    await stopClients();
    await sim.stop();
    sim = simulator({ jitterMs: 15 });
    await sim.start();
    h = makeClient({ url: sim.url, apiKey: KEY });
    await startReady(h);
    const calls = Array.from({ length: 40 }, (_, i) =>
      i % 2 === 0 ? h.client.call("core.ping") : h.client.call<{ version: string }>("system.info"),
    );
    const results = await Promise.all(calls);
    results.forEach((r, i) => {
      if (i % 2 === 0) expect(r).toBe("pong");
      else expect((r as { version: string }).version).toBe(h.client.serverVersion);
    });
  });

  it("keeps 50 concurrent calls under the server's limit of 20: all succeed, none gets -32000", async () => {
    await startReady(h);
    sim.faults.delayMethod("system.info", 40);
    const before = sim.stats.calls("system.info");
    const results = await Promise.all(
      Array.from({ length: 50 }, () => h.client.call<{ version: string }>("system.info")),
    );
    expect(results.every((r) => r.version === h.client.serverVersion)).toBe(true);
    // -32000 answers are not counted as answered calls by the simulator; all 50 were really served.
    expect(sim.stats.calls("system.info") - before).toBe(50);
    expect(h.client.stats.peakInFlight).toBeLessThanOrEqual(20);
    expect(h.client.stats.callErrors).toBe(0);
  });

  it("times out a call the server never answers, and keeps the session", async () => {
    await startReady(h);
    sim.faults.hangMethod("system.info");
    const p = h.client.call("system.info", [], { timeoutMs: 5_000 });
    h.clock.advance(5_000);
    await expect(p).rejects.toBeInstanceOf(CallTimeoutError);
    expect(await h.client.call("core.ping")).toBe("pong");
    expect(h.client.state).toBe("ready");
  });

  it("maps -32601 and a removed method to MethodNotFoundError", async () => {
    await startReady(h);
    await expect(h.client.call("no.such_method")).rejects.toBeInstanceOf(MethodNotFoundError);
    sim.faults.removeMethod("system.info");
    const err = await h.client.call("system.info").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MethodNotFoundError);
    expect(err).toMatchObject({ code: -32601, method: "system.info" });
  });

  it.each([
    [
      "-32602 validation",
      () => ["core.ping", ["unexpected"]],
      { code: -32602, errname: "EINVAL", errno: 22 },
    ],
    [
      "-32001 EACCES",
      () => (sim.faults.denyMethod("system.info"), ["system.info", []]),
      { code: -32001, errname: "EACCES" },
    ],
    [
      "-32001 injected failure",
      () => (sim.faults.failMethod("system.info", { errname: "EBUSY", reason: "busy" }), ["system.info", []]),
      { code: -32001, errname: "EBUSY" },
    ],
  ])("maps %s to TrueNasRpcError", async (_what, arrange, fields) => {
    await startReady(h);
    const [method, params] = arrange() as [string, unknown[]];
    const err = await h.client.call(method, params).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrueNasRpcError);
    expect(err).not.toBeInstanceOf(MethodNotFoundError);
    expect(err).toMatchObject(fields);
  });

  it("survives garbage frames from the server", async () => {
    await startReady(h);
    sim.faults.sendRaw("{garbage");
    sim.faults.sendRaw("[]");
    sim.faults.sendRaw(JSON.stringify({ jsonrpc: "2.0", id: 424242, result: 1 }));
    expect(await h.client.call("core.ping")).toBe("pong");
    expect(h.client.stats.badFrames).toBe(3);
  });
});

describe("TrueNasClient against the simulator: keepalive, reconnect, subscriptions", () => {
  it("reconnects when a ping goes unanswered", async () => {
    await startReady(h);
    sim.faults.hangMethod("core.ping");
    h.clock.advance(25_000);
    const down = next(h.client, "down");
    h.clock.advance(10_000);
    expect((await down).reason).toBe("keepalive_timeout");
    sim.faults.clear();
    const ready = next(h.client, "ready");
    h.clock.advance(1_000);
    await ready;
    expect(sim.stats.connections).toBe(2);
  });

  it("reconnects with growing backoff while connections are refused, then recovers", async () => {
    await stopClients();
    h = makeClient({ url: sim.url, apiKey: KEY, random: () => 1 });
    await startReady(h);
    sim.faults.refuseConnections(true);
    const delays: number[] = [];
    h.client.on("down", (d) => delays.push(d.retryInMs));
    let down = next(h.client, "down");
    sim.faults.dropAll();
    await down;
    for (let i = 1; i < 4; i++) {
      down = next(h.client, "down");
      h.clock.advance(delays[i - 1]!);
      expect((await down).reason).toBe("connect_failed");
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000]);
    sim.faults.refuseConnections(false);
    const ready = next(h.client, "ready");
    h.clock.advance(8_000);
    await ready;
  });

  it("re-subscribes after a reconnect and receives events again (reporting.realtime source)", async () => {
    const events: SubscriptionEvent[] = [];
    let arrived: (() => void) | undefined;
    h.client.subscribe(REALTIME, (e) => {
      events.push(e);
      arrived?.();
    });
    const nextEvent = (): Promise<void> => new Promise((resolve) => (arrived = resolve));
    let first = nextEvent();
    await startReady(h);
    await first;
    expect(events[0]).toMatchObject({ type: "collection_update", msg: "added", collection: REALTIME });
    const down = next(h.client, "down");
    sim.faults.dropAll();
    const { retryInMs } = await down;
    const count = events.length;
    first = nextEvent();
    h.clock.advance(retryInMs);
    await first;
    expect(events.length).toBe(count + 1);
    expect(sim.stats.connections).toBe(2);
  });

  it("delivers a world change to a pool.query listener, before and after a reconnect", async () => {
    const events: SubscriptionEvent[] = [];
    let arrived: (() => void) | undefined;
    h.client.subscribe("pool.query", (e) => {
      events.push(e);
      arrived?.();
    });
    const nextEvent = (): Promise<void> => new Promise((resolve) => (arrived = resolve));
    await startReady(h);
    const pools = await h.client.call<Array<{ name: string }>>("pool.query");
    const name = pools[0]!.name;
    const control = (sim.world as SimWorld).control;
    let event = nextEvent();
    control.degradePool(name);
    await event;
    expect(events[0]).toMatchObject({
      collection: "pool.query",
      msg: "changed",
      fields: { name, status: "DEGRADED" },
    });
    const down = next(h.client, "down");
    sim.faults.dropAll();
    const ready = next(h.client, "ready");
    h.clock.advance((await down).retryInMs);
    await ready;
    event = nextEvent();
    control.degradePool(name);
    await event;
    expect(events).toHaveLength(2);
  });

  it("reports the simulator's refusal of bad event-source arguments", async () => {
    const got: SubscriptionEvent[] = [];
    const arrived = new Promise<void>((resolve) =>
      h.client.subscribe('reporting.realtime:{"interval":1}', (e) => {
        got.push(e);
        resolve();
      }),
    );
    await startReady(h);
    await arrived;
    expect(got[0]).toMatchObject({ type: "notify_unsubscribed", error: { errname: "EINVAL" } });
  });
});

describe("TrueNasClient against the simulator: TLS", () => {
  it("fails verification without the CA and connects with it", async () => {
    const ca = makeTestCa();
    const tlsSim = simulator({ tls: ca.leaf("sim", ["IP:127.0.0.1", "DNS:localhost"]) });
    extraSims.push(tlsSim);
    await tlsSim.start();
    const bad = makeClient({ url: tlsSim.url, apiKey: KEY });
    bad.client.start();
    const down = await next(bad.client, "down");
    expect(down.error).toBeInstanceOf(TlsVerificationError);
    expect(down.error?.message).toMatch(/TRUENAS_CA_FILE/);
    const good = makeClient({ url: tlsSim.url, apiKey: KEY, ca: ca.caPath });
    expect((await startReady(good)).version).toMatch(/^25\.10/);
  });
});
