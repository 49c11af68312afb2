import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CallTimeoutError, ConnectionClosedError } from "../../src/truenas/errors.js";
import { makeClient, next, startReady, stopClients, type Harness } from "../support/truenasHarness.js";
import { HOLD, SCRIPTED_API_KEY, ScriptedServer } from "../support/truenasScriptedServer.js";

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

describe("TrueNasClient keepalive", () => {
  it("pings every interval while the server answers", async () => {
    server.handlers.set("x.echo", () => "echo");
    await startReady(h);
    expect(h.clock.pendingDelays()).toEqual([25_000]);
    for (let i = 1; i <= 3; i++) {
      h.clock.advance(25_000);
      await server.nextRequest("core.ping");
      // Answers come back in order on one socket: once this call is answered, the keepalive's ping was too.
      await h.client.call("x.echo");
      expect(h.clock.pendingDelays()).toEqual([25_000]);
    }
    expect(server.requestsFor("core.ping")).toHaveLength(3);
    expect(h.client.state).toBe("ready");
  });

  it("does not ping while frames keep arriving, and pings a full interval after the last one", async () => {
    server.handlers.set("x.echo", () => "echo");
    await startReady(h);
    for (let i = 0; i < 4; i++) {
      h.clock.advance(20_000);
      await h.client.call("x.echo"); // a reply every 20 s: the socket is never idle for 25 s
    }
    h.clock.advance(24_000);
    expect(server.requestsFor("core.ping")).toHaveLength(0);
    h.clock.advance(1_000);
    await server.nextRequest("core.ping");
    expect(server.requestsFor("core.ping")).toHaveLength(1);
  });

  it("declares the socket dead when a ping goes unanswered, and reconnects", async () => {
    await stopClients();
    h = makeClient({
      url: server.url,
      apiKey: SCRIPTED_API_KEY,
      pingIntervalMs: 20_000,
      pingTimeoutMs: 5_000,
    });
    await startReady(h);
    server.handlers.set("core.ping", () => HOLD);
    h.clock.advance(20_000);
    await server.nextRequest("core.ping");
    const down = next(h.client, "down");
    h.clock.advance(5_000);
    const d = await down;
    expect(d.reason).toBe("keepalive_timeout");
    expect(d.error).toBeInstanceOf(CallTimeoutError);
    expect(d.retryInMs).toBe(1_000);
    server.handlers.set("core.ping", () => "pong");
    const ready = next(h.client, "ready");
    h.clock.advance(1_000);
    await ready;
    expect(server.connectionCount).toBe(2);
    expect(h.states).toEqual([
      "connecting",
      "authenticating",
      "ready",
      "backoff",
      "connecting",
      "authenticating",
      "ready",
    ]);
  });
});

describe("TrueNasClient reconnect", () => {
  it("reconnects after a drop with the base delay, and re-subscribes", async () => {
    h.client.subscribe("pool.query", () => undefined);
    await startReady(h);
    expect(server.requestsFor("core.subscribe").map((r) => r.params)).toEqual([["pool.query"]]);
    const down = next(h.client, "down");
    server.dropAll();
    expect(await down).toMatchObject({ reason: "socket_closed", retryInMs: 1_000 });
    expect(h.clock.pendingDelays()).toEqual([1_000]);
    h.clock.advance(999);
    expect(server.connectionCount).toBe(1);
    const ready = next(h.client, "ready");
    h.clock.advance(1);
    await ready;
    expect(server.requestsFor("core.subscribe").map((r) => r.params)).toEqual([
      ["pool.query"],
      ["pool.query"],
    ]);
    expect(h.client.stats.reconnects).toBe(1);
    expect(h.client.stats.sessions).toBe(2);
  });

  it("backs off exponentially with a cap while the NAS is unreachable", async () => {
    await stopClients();
    h = makeClient({ url: server.url, apiKey: SCRIPTED_API_KEY, random: () => 1 });
    await startReady(h);
    const delays: number[] = [];
    h.client.on("down", (d) => delays.push(d.retryInMs));
    await server.stop();
    const first = next(h.client, "down");
    server.dropAll();
    await first;
    for (let i = 1; i < 9; i++) {
      const down = next(h.client, "down");
      h.clock.advance(delays[i - 1]!);
      expect((await down).reason).toBe("connect_failed");
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
  });

  it("reports a refused upgrade (HTTP 503) as connect_failed", async () => {
    const port = server.port;
    await server.stop();
    const { createServer } = await import("node:http");
    const refusing = createServer((_req, res) => res.writeHead(503).end());
    refusing.on("upgrade", (_req, socket) =>
      socket.end("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"),
    );
    await new Promise<void>((resolve) => refusing.listen(port, "127.0.0.1", resolve));
    try {
      h.client.start();
      const d = await next(h.client, "down");
      expect(d.reason).toBe("connect_failed");
      expect(d.error?.message).toMatch(/503/);
    } finally {
      await h.client.stop();
      refusing.closeAllConnections();
      await new Promise<void>((resolve) => refusing.close(() => resolve()));
    }
  });

  it("times out a handshake that never completes", async () => {
    const { createServer } = await import("node:net");
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as { port: number }).port;
    await stopClients();
    h = makeClient({ url: `ws://127.0.0.1:${port}`, apiKey: SCRIPTED_API_KEY, connectTimeoutMs: 4_000 });
    try {
      h.client.start();
      const down = next(h.client, "down");
      h.clock.advance(4_000);
      expect((await down).error?.message).toMatch(/connect timed out after 4000 ms/);
    } finally {
      await h.client.stop();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it("starts from the base delay again after a stable session, but not after a flapping one", async () => {
    await stopClients();
    h = makeClient({ url: server.url, apiKey: SCRIPTED_API_KEY, random: () => 1, pingIntervalMs: 1e9 });
    await startReady(h);
    const drop = async (): Promise<number> => {
      const down = next(h.client, "down");
      server.dropAll();
      const { retryInMs } = await down;
      const ready = next(h.client, "ready");
      h.clock.advance(retryInMs);
      await ready;
      return retryInMs;
    };
    expect(await drop()).toBe(1_000);
    expect(await drop()).toBe(2_000);
    expect(await drop()).toBe(4_000);
    h.clock.advance(60_000);
    expect(await drop()).toBe(1_000);
  });

  it("closes with a server close code in the reason", async () => {
    await startReady(h);
    const down = next(h.client, "down");
    for (const c of server.connections) c.close(1008, "You are not allowed to access this resource");
    const d = await down;
    expect(d.error).toBeInstanceOf(ConnectionClosedError);
    expect(d.error?.message).toMatch(/code 1008: You are not allowed/);
  });

  it("reconnects when every user slot is held by calls the server never answers", async () => {
    server.handlers.set("x.hung", () => HOLD);
    await startReady(h);
    const calls = Array.from({ length: 18 }, () => h.client.call("x.hung", [], { timeoutMs: 1_000 }));
    for (let i = 0; i < 18; i++) await server.nextRequest("x.hung");
    const down = next(h.client, "down");
    h.clock.advance(1_000);
    for (const c of calls) await expect(c).rejects.toBeInstanceOf(CallTimeoutError);
    expect((await down).reason).toBe("calls_stuck");
  });
});

describe("TrueNasClient stop", () => {
  it("is idempotent, closes the socket politely, rejects pending calls and leaves no timers", async () => {
    server.handlers.set("x.held", () => HOLD);
    await startReady(h);
    const p = h.client.call("x.held").catch((e: unknown) => e);
    await server.nextRequest("x.held");
    const conn = [...server.connections][0]!;
    const closed = new Promise<number>((resolve) => conn.on("close", (code) => resolve(code)));
    await Promise.all([h.client.stop(), h.client.stop()]);
    await h.client.stop();
    expect(await p).toBeInstanceOf(ConnectionClosedError);
    expect(String(await p)).toMatch(/x\.held: connection closed \(client stopped\)/);
    expect(await closed).toBe(1000);
    expect(h.client.state).toBe("closed");
    expect(h.clock.pendingDelays()).toEqual([]);
    expect(h.states.at(-1)).toBe("closed");
    h.clock.advance(3_600_000);
    expect(server.connectionCount).toBe(1);
  });

  it("cancels a pending retry when stopped during backoff", async () => {
    await startReady(h);
    const down = next(h.client, "down");
    server.dropAll();
    await down;
    await h.client.stop();
    expect(h.clock.pendingDelays()).toEqual([]);
    h.clock.advance(3_600_000);
    expect(server.connectionCount).toBe(1);
    expect(h.client.state).toBe("closed");
  });

  it("abandons an attempt that is still connecting or authenticating", async () => {
    server.handlers.set("auth.login_with_api_key", () => HOLD);
    h.client.start();
    await server.nextRequest("auth.login_with_api_key");
    expect(h.client.state).toBe("authenticating");
    await h.client.stop();
    expect(h.client.state).toBe("closed");
    expect(h.clock.pendingDelays()).toEqual([]);
    const h2 = makeClient({ url: server.url, apiKey: SCRIPTED_API_KEY });
    h2.client.start();
    expect(h2.client.state).toBe("connecting");
    expect(h2.clock.pendingDelays()).toEqual([15_000]);
    await h2.client.stop();
    expect(h2.client.state).toBe("closed");
    expect(h2.clock.pendingDelays()).toEqual([]);
    expect(h2.states).toEqual(["connecting", "closed"]);
  });

  it("schedules no retry when a down listener stops the client", async () => {
    await startReady(h);
    const stopped = new Promise<void>((resolve) =>
      h.client.on("down", () => void h.client.stop().then(resolve)),
    );
    server.dropAll();
    await stopped;
    expect(h.client.state).toBe("closed");
    expect(h.clock.pendingDelays()).toEqual([]);
  });

  it("stop() before start() closes the client for good", async () => {
    await h.client.stop();
    h.client.start();
    expect(h.client.state).toBe("closed");
    expect(server.connectionCount).toBe(0);
  });

  it("keeps running, and keeps calling later listeners, when an event listener throws", async () => {
    h.client.on("ready", () => {
      throw new Error("listener bug");
    });
    h.client.on("state", () => {
      throw new Error("state listener bug");
    });
    await startReady(h);
    expect(h.client.state).toBe("ready");
    expect(h.states).toEqual(["connecting", "authenticating", "ready"]);
    expect(await h.client.call("core.ping")).toBe("pong");
    expect(h.logs.withMsg("truenas client listener failed").map((l) => l.event)).toEqual([
      "state",
      "state",
      "state",
      "ready",
    ]);
  });
});
