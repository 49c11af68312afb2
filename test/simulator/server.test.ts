import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_SIM_API_KEY, SimulatorServer } from "../../src/simulator/server.js";
import { RawWsClient } from "../support/rawWsClient.js";

let sim: SimulatorServer;
let clients: RawWsClient[] = [];

async function connect(url = sim.url): Promise<RawWsClient> {
  const c = await RawWsClient.connect(url);
  clients.push(c);
  return c;
}

async function loggedIn(): Promise<RawWsClient> {
  const c = await connect();
  const r = await c.call("auth.login_with_api_key", [DEFAULT_SIM_API_KEY]);
  expect(r.result).toBe(true);
  return c;
}

beforeEach(async () => {
  sim = new SimulatorServer({
    profile: "small",
    driftIntervalMs: 0,
    jitterMs: 0,
    authFailDelayMs: [0, 0],
    rateLimitDelayMs: [0, 0],
  });
  await sim.start();
});

afterEach(async () => {
  for (const c of clients) c.close();
  clients = [];
  await sim.stop();
});

describe("simulator protocol: framing and errors", () => {
  it("answers core.ping before login and echoes string and int ids", async () => {
    const c = await connect();
    expect(await c.call("core.ping", [], 7)).toEqual({ jsonrpc: "2.0", result: "pong", id: 7 });
    expect((await c.call("core.ping", [], "abc")).id).toBe("abc");
  });

  it("refuses methods before login with ENOTAUTHENTICATED (207)", async () => {
    const c = await connect();
    const r = await c.call("pool.query");
    expect(r.error.code).toBe(-32001);
    expect(r.error.data).toMatchObject({
      error: 207,
      errname: "ENOTAUTHENTICATED",
      reason: "[ENOTAUTHENTICATED] Not authenticated",
    });
  });

  it("answers -32601 without data for an unknown method", async () => {
    const c = await loggedIn();
    const r = await c.call("no.such_method");
    expect(r.error).toEqual({ code: -32601, message: "Method does not exist" });
  });

  it("answers -32700 with a null id for invalid JSON and keeps the connection open", async () => {
    const c = await connect();
    c.sendRaw("{not json");
    const err = await c.waitFor((m) => m.json?.error?.code === -32700);
    expect(err.json.id).toBeNull();
    expect((await c.call("core.ping")).result).toBe("pong");
  });

  it("rejects batches (JSON arrays) with -32700", async () => {
    const c = await connect();
    c.sendRaw(JSON.stringify([{ jsonrpc: "2.0", id: 1, method: "core.ping" }]));
    const err = await c.waitFor((m) => m.json?.error?.code === -32700);
    expect(err.json).toEqual({
      jsonrpc: "2.0",
      id: null,
      error: { code: -32700, message: "Batch messages are not supported at this time" },
    });
  });

  it("rejects object params with -32600 and a missing jsonrpc member too", async () => {
    const c = await connect();
    c.sendRaw(JSON.stringify({ jsonrpc: "2.0", id: 3, method: "core.ping", params: {} }));
    const r = await c.waitFor((m) => m.json?.id === 3);
    expect(r.json.error).toEqual({ code: -32600, message: "'params' member must be of type array" });
    c.sendRaw(JSON.stringify({ id: 4, method: "core.ping" }));
    const r2 = await c.waitFor((m) => m.json?.id === 4);
    expect(r2.json.error).toEqual({ code: -32600, message: "Missing 'jsonrpc' member" });
  });

  it("sends nothing back for a notification (a request without id)", async () => {
    const c = await connect();
    c.sendRaw(JSON.stringify({ jsonrpc: "2.0", method: "core.ping", params: [] }));
    await c.call("core.ping", [], 99);
    expect(c.received).toHaveLength(1);
  });

  it("closes with 1007 when an anonymous frame exceeds 8 KiB", async () => {
    const c = await connect();
    c.sendRaw(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "core.ping", params: ["x".repeat(9000)] }));
    expect(await c.waitForClose()).toBe(1007);
    expect(c.closeReason).toBe("Anonymous connection max message length is 8 kB");
  });

  it("accepts up to 64 KiB after login and closes with 1009 beyond", async () => {
    const c = await loggedIn();
    const ok = await c.call("core.ping", ["x".repeat(20_000)]);
    expect(ok.error.code).toBe(-32602); // too many arguments, but the frame was accepted
    c.sendRaw(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "core.ping", params: ["x".repeat(70_000)] }));
    expect(await c.waitForClose()).toBe(1009);
  });

  it("closes with 1003 on a binary frame", async () => {
    const c = await connect();
    c.sendRaw(Buffer.from("{}"), true);
    expect(await c.waitForClose()).toBe(1003);
  });

  it("answers -32000 at once for calls beyond 20 in flight", async () => {
    const c = await loggedIn();
    sim.faults.delayMethod("system.info", 200);
    const ids = Array.from({ length: 25 }, (_, i) => c.send("system.info", [], 100 + i));
    const replies = await c.waitForCount((m) => ids.includes(m.json?.id), 25);
    const refused = replies.filter((m) => m.json.error?.code === -32000);
    expect(refused).toHaveLength(5);
    expect(refused[0]!.json.error.message).toBe("Maximum number of concurrent calls (20) has exceeded");
    expect(replies.filter((m) => m.json.result !== undefined)).toHaveLength(20);
  });

  it("sends responses out of order when an earlier call is slower", async () => {
    const c = await loggedIn();
    sim.faults.delayMethod("system.info", 100);
    c.send("system.info", [], "slow");
    c.send("core.ping", [], "fast");
    const both = await c.waitForCount((m) => m.json?.id === "slow" || m.json?.id === "fast", 2);
    expect(both.map((m) => m.json.id)).toEqual(["fast", "slow"]);
  });

  it("encodes datetimes as {$date: ms}", async () => {
    const c = await loggedIn();
    const r = await c.call("system.info");
    expect(r.result.boottime).toEqual({ $date: expect.any(Number) });
  });
});

describe("simulator protocol: authentication", () => {
  it("answers false for a wrong key and true for the right one", async () => {
    const c = await connect();
    expect((await c.call("auth.login_with_api_key", ["1-wrong"])).result).toBe(false);
    expect((await c.call("auth.login_with_api_key", ["garbage"])).result).toBe(false);
    expect((await c.call("auth.login_with_api_key", [DEFAULT_SIM_API_KEY])).result).toBe(true);
    expect((await c.call("system.info")).result.hostname).toEqual(expect.any(String));
  });

  it("supports auth.login_ex with API_KEY_PLAIN", async () => {
    const c = await connect();
    const bad = await c.call("auth.login_ex", [
      { mechanism: "API_KEY_PLAIN", username: "x", api_key: "1-no" },
    ]);
    expect(bad.result).toEqual({ response_type: "AUTH_ERR" });
    const good = await c.call("auth.login_ex", [
      { mechanism: "API_KEY_PLAIN", username: "truenas_admin", api_key: DEFAULT_SIM_API_KEY },
    ]);
    expect(good.result).toMatchObject({ response_type: "SUCCESS", authenticator: "LEVEL_1" });
    expect(good.result.user_info.privilege.roles).toEqual({ $set: ["FULL_ADMIN"] });
  });

  it("rate-limits unauthenticated calls past 20 per minute with EBUSY", async () => {
    const c = await connect();
    const replies = [];
    for (let i = 0; i < 21; i += 1) replies.push(await c.call("core.ping"));
    expect(replies.slice(0, 20).every((r) => r.result === "pong")).toBe(true);
    expect(replies[20].error.data).toMatchObject({ errname: "EBUSY", reason: "[EBUSY] Rate Limit Exceeded" });
  });

  it("revoking the key closes its sessions and refuses the key afterwards", async () => {
    const c = await loggedIn();
    sim.faults.revokeApiKey();
    await c.waitForClose();
    const c2 = await connect();
    expect((await c2.call("auth.login_with_api_key", [DEFAULT_SIM_API_KEY])).result).toBe(false);
    sim.faults.setApiKey("2-newkey");
    expect((await c2.call("auth.login_with_api_key", ["2-newkey"])).result).toBe(true);
  });
});

describe("simulator protocol: subscriptions", () => {
  it("validates reporting.realtime interval through notify_unsubscribed but still returns an ident", async () => {
    const c = await loggedIn();
    const r = await c.call("core.subscribe", ['reporting.realtime:{"interval": 1}']);
    expect(r.result).toEqual(expect.any(String));
    const n = await c.waitFor((m) => m.json?.method === "notify_unsubscribed");
    expect(n.json.params).toEqual({
      collection: 'reporting.realtime:{"interval": 1}',
      error: {
        error: 22,
        errname: "EINVAL",
        reason: "[EINVAL] interval: Input should be greater than or equal to 2\n",
        trace: null,
        extra: [["interval", "Input should be greater than or equal to 2", 22]],
      },
    });
  });

  it("sends reporting.realtime events under the name as subscribed, and stops on unsubscribe", async () => {
    const c = await loggedIn();
    const name = 'reporting.realtime:{"interval":2}';
    const ident = (await c.call("core.subscribe", [name])).result;
    const ev = await c.waitFor((m) => m.json?.method === "collection_update");
    expect(ev.json.params.msg).toBe("added");
    expect(ev.json.params.collection).toBe(name);
    expect(ev.json.params.fields.cpu).toBeDefined();
    await c.call("core.unsubscribe", [ident]);
    const n = await c.waitFor((m) => m.json?.method === "notify_unsubscribed");
    expect(n.json.params).toEqual({ collection: name, error: null });
  });
});

describe("simulator faults", () => {
  it("refuses connections while told to, and accepts again after", async () => {
    sim.faults.refuseConnections(true);
    await expect(RawWsClient.connect(sim.url)).rejects.toThrow(/503/);
    sim.faults.refuseConnections(false);
    expect((await (await connect()).call("core.ping")).result).toBe("pong");
  });

  it("drops every connection", async () => {
    const a = await connect();
    const b = await loggedIn();
    sim.faults.dropAll();
    await Promise.all([a.waitForClose(), b.waitForClose()]);
    expect(sim.openConnections).toBe(0);
  });

  it("fails, denies, removes and hangs methods on demand", async () => {
    const c = await loggedIn();
    sim.faults.failMethod("system.info", { errname: "EBUSY", reason: "busy" });
    expect((await c.call("system.info")).error.data.reason).toBe("[EBUSY] busy");
    sim.faults.denyMethod("pool.query");
    expect((await c.call("pool.query")).error.data.errname).toBe("EACCES");
    sim.faults.removeMethod("alert.list");
    expect((await c.call("alert.list")).error.code).toBe(-32601);
    sim.faults.hangMethod("system.ready");
    c.send("system.ready", [], "hung");
    await c.call("core.ping"); // the hung call has been taken in by now
    sim.faults.clear();
    expect((await c.call("system.info")).result).toBeDefined();
    expect(c.received.some((m) => m.json?.id === "hung")).toBe(false);
  });

  it("sends raw frames to every connection", async () => {
    const c = await connect();
    sim.faults.sendRaw("}{ malformed");
    expect((await c.waitFor((m) => m.raw === "}{ malformed")).json).toBeUndefined();
  });

  it("counts calls and response bytes per method", async () => {
    const c = await loggedIn();
    await c.call("system.info");
    await c.call("system.info");
    expect(sim.stats.calls("system.info")).toBe(2);
    expect(sim.stats.methods.get("system.info")!.bytes).toBeGreaterThan(100);
  });
});

describe("simulator HTTP endpoints", () => {
  it("lists API versions and refuses unknown WebSocket paths", async () => {
    const base = sim.url.replace("ws://", "http://").replace("/api/current", "");
    const res = await fetch(`${base}/api/versions`);
    expect(await res.json()).toContain("v25.10.0");
    await expect(RawWsClient.connect(`${base.replace("http", "ws")}/websocket`)).rejects.toThrow(/404/);
  });
});
