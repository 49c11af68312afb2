import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CollectionUpdate } from "../../src/truenas/jsonrpc.js";
import type { SubscriptionEvent } from "../../src/truenas/subscriptions.js";
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

/** Every frame before this ping's answer has been handled when it resolves (one socket, in order). */
const flush = (): Promise<unknown> => h.client.call("core.ping");

const REALTIME = 'reporting.realtime:{"interval":2}';

describe("TrueNasClient subscriptions", () => {
  it("subscribes before ready (so no event is missed by the first poll), with names sent verbatim", async () => {
    h.client.subscribe("pool.query", () => undefined);
    h.client.subscribe(REALTIME, () => undefined);
    await startReady(h);
    expect(server.requests.map((r) => [r.method, r.params])).toEqual([
      ["auth.login_with_api_key", [SCRIPTED_API_KEY]],
      ["system.info", []],
      ["core.subscribe", ["pool.query"]],
      ["core.subscribe", [REALTIME]],
    ]);
  });

  it("routes collection_update by collection and fans out locally without double delivery", async () => {
    const a: SubscriptionEvent[] = [];
    const b: SubscriptionEvent[] = [];
    const other: SubscriptionEvent[] = [];
    const raw: CollectionUpdate[] = [];
    h.client.subscribe("pool.query", (e) => a.push(e));
    h.client.subscribe("pool.query", (e) => b.push(e));
    h.client.subscribe("app.query", (e) => other.push(e));
    h.client.on("notification", (p) => raw.push(p));
    await startReady(h);
    expect(server.requestsFor("core.subscribe")).toHaveLength(2);
    server.notify("collection_update", {
      msg: "changed",
      collection: "pool.query",
      id: 1,
      fields: { status: "DEGRADED", scan: { end_time: { $date: 1_000 } } },
    });
    await flush();
    const expected = {
      type: "collection_update",
      msg: "changed",
      collection: "pool.query",
      id: 1,
      fields: { status: "DEGRADED", scan: { end_time: new Date(1_000) } },
    };
    expect(a).toEqual([expected]);
    expect(b).toEqual([expected]);
    expect(other).toEqual([]);
    expect(raw).toEqual([{ msg: "changed", collection: "pool.query", id: 1, fields: expected.fields }]);
    expect(h.client.stats.notifications).toBe(1);
  });

  it("subscribes a name added while ready at once, and unsubscribes when its last listener leaves", async () => {
    await startReady(h);
    const got: SubscriptionEvent[] = [];
    const off1 = h.client.subscribe(REALTIME, (e) => got.push(e));
    const off2 = h.client.subscribe(REALTIME, () => undefined);
    const sub = await server.nextRequest("core.subscribe");
    expect(sub.params).toEqual([REALTIME]);
    server.notify("collection_update", { msg: "added", collection: REALTIME, fields: { cpu: {} } });
    await flush();
    expect(got).toHaveLength(1);
    off1();
    await flush();
    expect(server.requestsFor("core.unsubscribe")).toHaveLength(0);
    off2();
    const unsub = await server.nextRequest("core.unsubscribe");
    expect(unsub.params).toEqual(["ident-1"]);
    server.notify("collection_update", { msg: "added", collection: REALTIME, fields: { cpu: {} } });
    await flush();
    expect(got).toHaveLength(1);
  });

  it("re-subscribes every name after a reconnect, with fresh idents", async () => {
    h.client.subscribe("pool.query", () => undefined);
    h.client.subscribe(REALTIME, () => undefined);
    await startReady(h);
    const down = next(h.client, "down");
    server.dropAll();
    const ready = next(h.client, "ready");
    h.clock.advance((await down).retryInMs);
    await ready;
    const subs = server.requestsFor("core.subscribe");
    expect(subs.map((r) => r.params[0])).toEqual(["pool.query", REALTIME, "pool.query", REALTIME]);
    expect(new Set(subs.map((r) => r.conn)).size).toBe(2);
  });

  it("does not block ready on a failed subscription", async () => {
    server.handlers.set("core.subscribe", (r) => {
      server.replyError(r, {
        code: -32001,
        message: "Method call error",
        data: { error: 13, errname: "EACCES", reason: "[EACCES] Not authorized" },
      });
      return HOLD;
    });
    h.client.subscribe("alert.list", () => undefined);
    await startReady(h);
    expect(h.client.state).toBe("ready");
    expect(h.logs.withMsg("subscribe failed")).toHaveLength(1);
  });

  it("passes notify_unsubscribed to the listeners of that collection", async () => {
    const got: SubscriptionEvent[] = [];
    h.client.subscribe('reporting.realtime:{"interval":1}', (e) => got.push(e));
    await startReady(h);
    const error = { error: 22, errname: "EINVAL", reason: "[EINVAL] interval: must be at least 2" };
    server.notify("notify_unsubscribed", { collection: 'reporting.realtime:{"interval":1}', error });
    await flush();
    expect(got).toEqual([
      { type: "notify_unsubscribed", collection: 'reporting.realtime:{"interval":1}', error },
    ]);
  });

  it("keeps working when a subscription listener throws", async () => {
    const got: string[] = [];
    h.client.subscribe("pool.query", () => {
      throw new Error("listener bug");
    });
    h.client.subscribe("pool.query", (e) => got.push(e.collection));
    await startReady(h);
    server.notify("collection_update", { msg: "removed", collection: "pool.query", id: 3 });
    server.notify("collection_update", { msg: "added", collection: "pool.query", id: 4 });
    await flush();
    expect(got).toEqual(["pool.query", "pool.query"]);
    expect(h.client.state).toBe("ready");
    expect(h.logs.withMsg("subscription listener failed")).toHaveLength(2);
  });
});
