import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  AuthError,
  InsecureTransportError,
  InvalidUrlError,
  LoginRateLimitedError,
} from "../../src/truenas/errors.js";
import { makeClient, next, startReady, stopClients } from "../support/truenasHarness.js";
import { HOLD, SCRIPTED_API_KEY, ScriptedServer } from "../support/truenasScriptedServer.js";

let server: ScriptedServer;

beforeEach(async () => {
  server = await ScriptedServer.start();
});

afterEach(async () => {
  await stopClients();
  await server.stop();
});

describe("TrueNasClient connect flow", () => {
  it("logs in, reads system.info and becomes ready with the server version", async () => {
    const h = makeClient({ url: server.url, apiKey: SCRIPTED_API_KEY });
    let versionAtReady: string | undefined;
    h.client.on("ready", () => (versionAtReady = h.client.serverVersion));
    const ready = await startReady(h);
    expect(ready.version).toBe("25.10.0");
    expect(ready.info).toEqual({ version: "25.10.0", hostname: "scripted" });
    expect(versionAtReady).toBe("25.10.0");
    expect(h.client.systemInfo?.hostname).toBe("scripted");
    expect(h.client.state).toBe("ready");
    expect(h.states).toEqual(["connecting", "authenticating", "ready"]);
    expect(server.requests.map((r) => r.method)).toEqual(["auth.login_with_api_key", "system.info"]);
    expect(server.requests[0]!.params).toEqual([SCRIPTED_API_KEY]);
    expect(h.client.endpoint).toBe(server.url);
    expect(h.client.stats.sessions).toBe(1);
  });

  it("makes server version and info available to calls issued from the ready listener", async () => {
    const h = makeClient({ url: server.url, apiKey: SCRIPTED_API_KEY });
    server.handlers.set("pool.query", () => [{ id: 1, name: "tank" }]);
    const result = new Promise((resolve, reject) => {
      h.client.on("ready", ({ version }) => {
        h.client.call("pool.query").then((r) => resolve({ version, r }), reject);
      });
    });
    h.client.start();
    expect(await result).toEqual({ version: "25.10.0", r: [{ id: 1, name: "tank" }] });
  });

  it("start() is idempotent", async () => {
    const h = makeClient({ url: server.url, apiKey: SCRIPTED_API_KEY });
    await startReady(h);
    h.client.start();
    expect(server.connectionCount).toBe(1);
    expect(h.client.state).toBe("ready");
  });

  it("accepts a bare host:port and normalises it to /api/current", async () => {
    const h = makeClient({ url: `ws://127.0.0.1:${server.port}/ui/`, apiKey: SCRIPTED_API_KEY });
    await startReady(h);
    expect(h.client.endpoint).toBe(`ws://127.0.0.1:${server.port}/api/current`);
  });

  it("refuses ws:// to a non-loopback host before connecting", () => {
    // 0.0.0.0 reaches this loopback listener on Linux, so a connection attempt would be visible.
    const h = makeClient({ url: `ws://0.0.0.0:${server.port}/api/current`, apiKey: SCRIPTED_API_KEY });
    expect(() => h.client.start()).toThrow(InsecureTransportError);
    expect(() => h.client.start()).toThrow(/revokes an API key/);
    expect(h.client.state).toBe("idle");
    expect(h.states).toEqual([]);
    expect(server.connectionCount).toBe(0);
    expect(h.clock.pendingDelays()).toEqual([]);
  });

  it("refuses an unusable URL before connecting", () => {
    const h = makeClient({ url: "ftp://nas.local", apiKey: SCRIPTED_API_KEY });
    expect(() => h.client.start()).toThrow(InvalidUrlError);
    expect(h.client.state).toBe("idle");
  });
});

describe("TrueNasClient authentication", () => {
  it("turns a false login into an AuthError and waits at least a minute before retrying", async () => {
    const h = makeClient({ url: server.url, apiKey: `7-${"x".repeat(64)}` });
    h.client.start();
    const down = await next(h.client, "down");
    expect(down.reason).toBe("auth_failed");
    expect(down.error).toBeInstanceOf(AuthError);
    expect(down.error?.message).toMatch(/wrong, revoked or expired/);
    expect(down.error?.message).toMatch(/ws:\/\//);
    expect(down.retryInMs).toBeGreaterThanOrEqual(60_000);
    expect(h.client.state).toBe("backoff");
    expect(h.clock.pendingDelays()).toEqual([60_000]);
    // No tight loop: nothing happens for the next 59.9 s.
    h.clock.advance(59_900);
    expect(server.connectionCount).toBe(1);
    expect(server.requestsFor("auth.login_with_api_key")).toHaveLength(1);
    expect(server.requestsFor("system.info")).toHaveLength(0);
    const again = next(h.client, "down");
    h.clock.advance(100);
    expect((await again).retryInMs).toBeGreaterThanOrEqual(60_000);
    expect(server.connectionCount).toBe(2);
  });

  it("grows the auth backoff to a 15 minute cap", async () => {
    const h = makeClient({ url: server.url, apiKey: "7-wrong", random: () => 1 });
    const delays: number[] = [];
    h.client.on("down", (d) => delays.push(d.retryInMs));
    h.client.start();
    for (let i = 0; i < 6; i++) {
      const down = next(h.client, "down");
      if (i > 0) h.clock.advance(delays[i - 1]!);
      await down;
    }
    expect(delays.slice(0, 6)).toEqual([60_000, 120_000, 240_000, 480_000, 900_000, 900_000]);
    expect(server.requestsFor("auth.login_with_api_key")).toHaveLength(6);
  });

  it("re-reads the key on every attempt, so a new key in the key file is picked up", async () => {
    let key = "7-old-and-revoked";
    let reads = 0;
    const h = makeClient({
      url: server.url,
      apiKey: () => {
        reads++;
        return Promise.resolve(key);
      },
    });
    h.client.start();
    await next(h.client, "down");
    key = SCRIPTED_API_KEY;
    const ready = next(h.client, "ready");
    h.clock.advance(60_000);
    await ready;
    expect(reads).toBe(2);
    expect(server.requestsFor("auth.login_with_api_key").map((r) => r.params[0])).toEqual([
      "7-old-and-revoked",
      SCRIPTED_API_KEY,
    ]);
  });

  it("resets the auth backoff after a successful login", async () => {
    let key = "7-wrong";
    const h = makeClient({ url: server.url, apiKey: () => key, random: () => 1 });
    h.client.start();
    expect((await next(h.client, "down")).retryInMs).toBe(60_000);
    key = SCRIPTED_API_KEY;
    const ready = next(h.client, "ready");
    h.clock.advance(60_000);
    await ready;
    key = "7-wrong-again";
    server.dropAll();
    expect((await next(h.client, "down")).reason).toBe("socket_closed");
    const authDown = next(h.client, "down");
    h.clock.advance(h.clock.pendingDelays()[0]!);
    expect((await authDown).retryInMs).toBe(60_000);
  });

  it("treats a key that cannot be read as an auth failure", async () => {
    const h = makeClient({
      url: server.url,
      apiKey: () => Promise.reject(new Error("ENOENT: /run/secrets/truenas_api_key")),
    });
    h.client.start();
    const down = await next(h.client, "down");
    expect(down.reason).toBe("auth_failed");
    expect(down.error?.message).toMatch(/Cannot read the TrueNAS API key: ENOENT/);
    expect(down.retryInMs).toBeGreaterThanOrEqual(60_000);
    expect(server.requestsFor("auth.login_with_api_key")).toHaveLength(0);
  });

  it("waits out TrueNAS's login rate limit (EBUSY) without calling it a refused key", async () => {
    server.handlers.set("auth.login_with_api_key", (r) => {
      server.replyError(r, {
        code: -32001,
        message: "Method call error",
        data: { error: 16, errname: "EBUSY", reason: "[EBUSY] Rate Limit Exceeded" },
      });
      return HOLD;
    });
    const h = makeClient({ url: server.url, apiKey: SCRIPTED_API_KEY });
    h.client.start();
    const down = await next(h.client, "down");
    expect(down.reason).toBe("rate_limited");
    expect(down.error).toBeInstanceOf(LoginRateLimitedError);
    expect(down.error?.message).toMatch(/Rate Limit Exceeded/);
    // The one-minute window has passed before the next attempt; the key-refused backoff does not grow.
    expect(down.retryInMs).toBeGreaterThanOrEqual(60_000);
    expect(down.retryInMs).toBeLessThanOrEqual(65_000);
  });

  it("treats another login error as an auth failure with the long backoff", async () => {
    server.handlers.set("auth.login_with_api_key", (r) => {
      server.replyError(r, { code: -32001, message: "Method call error", data: { errname: "EACCES" } });
      return HOLD;
    });
    const h = makeClient({ url: server.url, apiKey: SCRIPTED_API_KEY });
    h.client.start();
    const down = await next(h.client, "down");
    expect(down.reason).toBe("auth_failed");
    expect(down.retryInMs).toBeGreaterThanOrEqual(60_000);
  });

  it("never logs the API key, even at trace level", async () => {
    const h = makeClient({ url: server.url, apiKey: SCRIPTED_API_KEY });
    await startReady(h);
    await h.client.call("core.ping");
    const sent = h.logs.withMsg("request sent");
    expect(sent.map((l) => l.method)).toContain("auth.login_with_api_key");
    expect(sent.find((l) => l.method === "auth.login_with_api_key")?.params).toEqual(["[redacted]"]);
    expect(h.logs.text()).not.toContain(SCRIPTED_API_KEY);
    expect(h.logs.text()).not.toContain("k".repeat(64));
  });

  it("fails setup (normal backoff) when system.info fails after login", async () => {
    server.handlers.set("system.info", (r) => {
      server.replyError(r, {
        code: -32001,
        message: "Method call error",
        data: { error: 13, errname: "EACCES", reason: "[EACCES] Not authorized" },
      });
      return HOLD;
    });
    const h = makeClient({ url: server.url, apiKey: SCRIPTED_API_KEY });
    h.client.start();
    const down = await next(h.client, "down");
    expect(down.reason).toBe("setup_failed");
    expect(down.error).toMatchObject({ name: "TrueNasRpcError", errname: "EACCES" });
    expect(down.retryInMs).toBe(1_000);
  });
});
