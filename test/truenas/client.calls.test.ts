import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EjsonDate, EjsonIpInterface, EjsonSet, EjsonTime } from "../../src/truenas/ejson.js";
import {
  CallTimeoutError,
  ConnectionClosedError,
  MethodNotFoundError,
  TrueNasRpcError,
} from "../../src/truenas/errors.js";
import { makeClient, next, startReady, stopClients, type Harness } from "../support/truenasHarness.js";
import {
  HOLD,
  SCRIPTED_API_KEY,
  ScriptedServer,
  type ScriptedRequest,
} from "../support/truenasScriptedServer.js";

let server: ScriptedServer;
let h: Harness;

beforeEach(async () => {
  server = await ScriptedServer.start();
  h = makeClient({ url: server.url, apiKey: SCRIPTED_API_KEY });
});

afterEach(async () => {
  await stopClients();
  await server.stop();
});

describe("TrueNasClient calls", () => {
  it("sends positional params with unique ids and matches answers that arrive out of order", async () => {
    server.handlers.set("slow.a", () => HOLD);
    server.handlers.set("slow.b", () => HOLD);
    await startReady(h);
    const a = h.client.call("slow.a", [1, { x: 2 }]);
    const b = h.client.call("slow.b");
    const [ra, rb] = [await server.nextRequest("slow.a"), await server.nextRequest("slow.b")];
    expect(ra.params).toEqual([1, { x: 2 }]);
    expect(rb.params).toEqual([]);
    const ids = server.requests.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    server.reply(rb, "B");
    expect(await b).toBe("B");
    server.reply(ra, "A");
    expect(await a).toBe("A");
  });

  it("decodes extended JSON in results", async () => {
    server.handlers.set("x.ejson", () => ({
      boottime: { $date: 1_700_000_000_000 },
      roles: { $set: ["READONLY_ADMIN"] },
      day: { $type: "date", $value: "2025-01-02" },
      at: { $time: "03:04:05" },
      aliases: [{ $ipv4_interface: "192.0.2.1/24" }, { $ipv6_interface: "fd00::1/64" }],
    }));
    await startReady(h);
    const r = await h.client.call<Record<string, unknown>>("x.ejson");
    expect(r.boottime).toEqual(new Date(1_700_000_000_000));
    expect(r.roles).toEqual(new EjsonSet(["READONLY_ADMIN"]));
    expect(r.day).toEqual(new EjsonDate("2025-01-02"));
    expect(r.at).toEqual(new EjsonTime("03:04:05"));
    expect(r.aliases).toEqual([
      new EjsonIpInterface(4, "192.0.2.1/24"),
      new EjsonIpInterface(6, "fd00::1/64"),
    ]);
  });

  it("encodes Dates in params as $date", async () => {
    server.handlers.set("x.echo", (r) => r.params);
    await startReady(h);
    await h.client.call("x.echo", [new Date(5_000)]);
    expect(JSON.parse((await server.nextRequest("x.echo")).raw).params).toEqual([{ $date: 5_000 }]);
  });

  it.each([
    [{ code: -32601, message: "Method does not exist" }, MethodNotFoundError, { code: -32601 }],
    [
      {
        code: -32001,
        message: "Method call error",
        data: { error: 201, errname: "ENOMETHOD", reason: "[ENOMETHOD] Method 'x' not found in 'svc'" },
      },
      MethodNotFoundError,
      { code: -32001, errname: "ENOMETHOD" },
    ],
    [
      {
        code: -32602,
        message: "Invalid params",
        data: {
          error: 22,
          errname: "EINVAL",
          reason: "[ENOENT] None: Pool 99 does not exist",
          extra: [[null, "Pool 99 does not exist", 2]],
        },
      },
      TrueNasRpcError,
      { code: -32602, errname: "EINVAL", errno: 22, extra: [[null, "Pool 99 does not exist", 2]] },
    ],
    [
      {
        code: -32001,
        message: "Method call error",
        data: { error: 13, errname: "EACCES", reason: "[EACCES] Not authorized" },
      },
      TrueNasRpcError,
      { code: -32001, errname: "EACCES", reason: "[EACCES] Not authorized" },
    ],
  ])("maps error %j to a typed error", async (error, type, fields) => {
    server.handlers.set("x.fail", (r) => {
      server.replyError(r, error);
      return HOLD;
    });
    await startReady(h);
    const err = await h.client.call("x.fail").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(type);
    expect(err).toMatchObject({ method: "x.fail", ...fields });
    expect(h.client.stats.callErrors).toBe(1);
    expect(h.client.state).toBe("ready");
  });

  it("times out a call, ignores its late answer, and keeps working", async () => {
    server.handlers.set("x.slow", () => HOLD);
    await startReady(h);
    const p = h.client.call("x.slow", [], { timeoutMs: 5_000 });
    const req = await server.nextRequest("x.slow");
    h.clock.advance(4_999);
    h.clock.advance(1);
    await expect(p).rejects.toBeInstanceOf(CallTimeoutError);
    await expect(p).rejects.toMatchObject({ method: "x.slow", timeoutMs: 5_000 });
    server.reply(req, "too late");
    expect(await h.client.call("core.ping")).toBe("pong");
    expect(h.client.stats.callTimeouts).toBe(1);
    expect(h.client.stats.badFrames).toBe(0);
    expect(h.logs.withMsg("late answer ignored")).toHaveLength(1);
  });

  it("uses the default call timeout from the options", async () => {
    await stopClients();
    h = makeClient({ url: server.url, apiKey: SCRIPTED_API_KEY, callTimeoutMs: 2_000 });
    server.handlers.set("x.slow", () => HOLD);
    await startReady(h);
    const p = h.client.call("x.slow");
    await server.nextRequest("x.slow");
    h.clock.advance(2_000);
    await expect(p).rejects.toThrow("x.slow: no answer within 2000 ms");
  });

  it("keeps at most 20 calls in flight (18 user calls) and queues the rest", async () => {
    const held: ScriptedRequest[] = [];
    let maxHeld = 0;
    let arrived: (() => void) | undefined;
    server.handlers.set("x.held", (r) => {
      held.push(r);
      maxHeld = Math.max(maxHeld, held.length);
      arrived?.();
      return HOLD;
    });
    const waitForHeld = (n: number): Promise<void> =>
      new Promise((resolve) => {
        arrived = () => held.length >= n && resolve();
        arrived();
      });
    await startReady(h);
    const calls = Array.from({ length: 50 }, (_, i) => h.client.call("x.held", [i]));
    await waitForHeld(18);
    expect(h.client.stats.inFlight).toBe(18);
    expect(h.client.stats.queued).toBe(32);
    // The keepalive still gets through while the user slots are full.
    h.clock.advance(25_000);
    await server.nextRequest("core.ping");
    for (let answered = 0; answered < 50; answered++) {
      await waitForHeld(1);
      const r = held.shift()!;
      server.reply(r, r.params[0]);
    }
    expect(await Promise.all(calls)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(maxHeld).toBe(18);
    expect(h.client.stats.peakInFlight).toBeLessThanOrEqual(20);
  });

  it("survives malformed frames, unknown ids, binary frames and server errors without an id", async () => {
    await startReady(h);
    server.sendRaw("{not json");
    server.sendRaw("[1,2,3]");
    server.sendRaw("42");
    server.sendRaw(JSON.stringify({ jsonrpc: "2.0", id: 999_999, result: "who?" }));
    server.sendRaw(JSON.stringify({ jsonrpc: "2.0", id: 999_998, error: { code: -32001, message: "x" } }));
    server.sendRaw(JSON.stringify({ jsonrpc: "2.0", id: 1 }));
    server.sendRaw(JSON.stringify({ jsonrpc: "2.0", method: "collection_update", params: { msg: "added" } }));
    server.sendRaw(
      JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Invalid JSON" } }),
    );
    server.sendRaw(Buffer.from([1, 2, 3]));
    // Frames arrive in order: once ping is answered, everything above was handled.
    expect(await h.client.call("core.ping")).toBe("pong");
    expect(h.client.state).toBe("ready");
    expect(h.client.stats.badFrames).toBe(9);
    expect(h.logs.withMsg("malformed frame ignored")).toHaveLength(5);
    expect(h.logs.withMsg("answer for unknown call id")).toHaveLength(2);
    expect(h.logs.withMsg("server error without call id")).toHaveLength(1);
    expect(h.logs.withMsg("binary frame ignored")).toHaveLength(1);
  });

  it("accepts a huge result frame", async () => {
    const rows = Array.from({ length: 60_000 }, (_, i) => ({
      id: `tank/ds${i}`,
      used: { parsed: i * 1024 },
    }));
    server.handlers.set("pool.dataset.query", () => rows);
    await startReady(h);
    const r = await h.client.call<unknown[]>("pool.dataset.query");
    expect(r).toHaveLength(60_000);
    expect(h.client.stats.bytesIn).toBeGreaterThan(2_500_000);
  });

  it("drops the session when a frame exceeds maxFrameBytes", async () => {
    await stopClients();
    h = makeClient({ url: server.url, apiKey: SCRIPTED_API_KEY, maxFrameBytes: 4_096 });
    server.handlers.set("x.big", () => "x".repeat(10_000));
    await startReady(h);
    const down = next(h.client, "down");
    await expect(h.client.call("x.big")).rejects.toBeInstanceOf(ConnectionClosedError);
    expect((await down).reason).toBe("socket_closed");
    // ws closes with 1009 on its side; the socket error that explains it is logged.
    expect(h.logs.withMsg("socket error")[0]?.err).toMatchObject({ message: "Max payload size exceeded" });
  });

  it("rejects pending calls with ConnectionClosedError when the socket drops", async () => {
    server.handlers.set("x.held", () => HOLD);
    await startReady(h);
    const p = h.client.call("x.held");
    await server.nextRequest("x.held");
    const down = next(h.client, "down");
    server.dropAll();
    await expect(p).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(p).rejects.toThrow(/x\.held: connection closed \(socket closed with code 1006/);
    expect((await down).reason).toBe("socket_closed");
  });
});

describe("TrueNasClient calls while not ready", () => {
  it("rejects at once before start() and after stop()", async () => {
    await expect(h.client.call("core.ping")).rejects.toThrow(
      "core.ping: connection closed (not connected (idle))",
    );
    await startReady(h);
    await h.client.stop();
    await expect(h.client.call("core.ping")).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it("rejects at once during backoff, so nothing piles up offline", async () => {
    await startReady(h);
    const down = next(h.client, "down");
    server.dropAll();
    await down;
    expect(h.client.state).toBe("backoff");
    await expect(h.client.call("pool.query")).rejects.toThrow(/not connected \(backoff\)/);
  });

  it("lets a call made while connecting wait for ready", async () => {
    server.handlers.set("pool.query", () => [{ name: "tank" }]);
    h.client.start();
    expect(h.client.state).toBe("connecting");
    const p = h.client.call("pool.query");
    expect(await p).toEqual([{ name: "tank" }]);
    // It was sent only after the session was set up.
    expect(server.requests.map((r) => r.method)).toEqual([
      "auth.login_with_api_key",
      "system.info",
      "pool.query",
    ]);
  });

  it("bounds that wait by the call's timeout", async () => {
    server.handlers.set("auth.login_with_api_key", () => HOLD);
    h.client.start();
    const p = h.client.call("pool.query", [], { timeoutMs: 3_000 });
    await server.nextRequest("auth.login_with_api_key");
    expect(h.client.state).toBe("authenticating");
    h.clock.advance(3_000);
    await expect(p).rejects.toBeInstanceOf(CallTimeoutError);
    expect(server.requestsFor("pool.query")).toHaveLength(0);
  });

  it("rejects it with ConnectionClosedError when that attempt fails", async () => {
    server.handlers.set("auth.login_with_api_key", () => false);
    h.client.start();
    const p = h.client.call("pool.query");
    await expect(p).rejects.toBeInstanceOf(ConnectionClosedError);
    expect(h.client.state).toBe("backoff");
  });
});
