import { describe, expect, it } from "vitest";
import { SubscriptionRegistry, type SubscriptionEvent } from "../../src/truenas/subscriptions.js";
import { captureLog } from "../support/truenasLog.js";

function fakeTransport(): {
  subscribed: string[];
  unsubscribed: string[];
  subscribe(name: string): Promise<string>;
  unsubscribe(ident: string): Promise<void>;
} {
  const t = {
    subscribed: [] as string[],
    unsubscribed: [] as string[],
    subscribe: (name: string) => {
      t.subscribed.push(name);
      return Promise.resolve(`id-${t.subscribed.length}`);
    },
    unsubscribe: (ident: string) => {
      t.unsubscribed.push(ident);
      return Promise.resolve();
    },
  };
  return t;
}

const update = (collection: string, msg = "changed"): SubscriptionEvent => ({
  type: "collection_update",
  msg,
  collection,
});

describe("SubscriptionRegistry", () => {
  it("subscribes once per name and fans out to every listener", async () => {
    const { log } = captureLog();
    const reg = new SubscriptionRegistry({ log });
    const got: string[] = [];
    reg.add("pool.query", () => got.push("a"));
    reg.add("pool.query", () => got.push("b"));
    const t = fakeTransport();
    await reg.attach(t);
    expect(t.subscribed).toEqual(["pool.query"]);
    expect(reg.dispatch(update("pool.query"))).toBe(2);
    expect(got).toEqual(["a", "b"]);
  });

  it("delivers everything to `*` listeners as well", async () => {
    const { log } = captureLog();
    const reg = new SubscriptionRegistry({ log });
    const got: string[] = [];
    reg.add("*", (e) => got.push(`*:${e.collection}`));
    reg.add("alert.list", (e) => got.push(`alert:${e.collection}`));
    await reg.attach(fakeTransport());
    reg.dispatch(update("alert.list"));
    reg.dispatch(update("app.query"));
    expect(got).toEqual(["alert:alert.list", "*:alert.list", "*:app.query"]);
  });

  it("subscribes immediately when a session is up, and unsubscribes when the last listener leaves", async () => {
    const { log } = captureLog();
    const reg = new SubscriptionRegistry({ log });
    const t = fakeTransport();
    await reg.attach(t);
    const offA = reg.add("vm.query", () => undefined);
    const offB = reg.add("vm.query", () => undefined);
    await Promise.resolve();
    expect(t.subscribed).toEqual(["vm.query"]);
    offA();
    offA();
    expect(t.unsubscribed).toEqual([]);
    offB();
    expect(t.unsubscribed).toEqual(["id-1"]);
    expect(reg.names).toEqual([]);
  });

  it("unsubscribes an ident that arrives after every listener left", async () => {
    const { log } = captureLog();
    const reg = new SubscriptionRegistry({ log });
    const t = fakeTransport();
    let release!: (ident: string) => void;
    const attached = reg.attach({
      subscribe: (name) => {
        t.subscribed.push(name);
        return new Promise<string>((r) => (release = r));
      },
      unsubscribe: (ident) => t.unsubscribe(ident),
    });
    const off = reg.add("app.query", () => undefined);
    await Promise.resolve();
    off();
    release("late-ident");
    await attached;
    await Promise.resolve();
    expect(t.unsubscribed).toEqual(["late-ident"]);
  });

  it("re-subscribes every name after a reconnect and ignores answers from the old socket", async () => {
    const { log } = captureLog();
    const reg = new SubscriptionRegistry({ log });
    reg.add("pool.query", () => undefined);
    reg.add('reporting.realtime:{"interval":2}', () => undefined);
    const first = fakeTransport();
    await reg.attach(first);
    reg.detach();
    const second = fakeTransport();
    await reg.attach(second);
    expect(second.subscribed).toEqual(["pool.query", 'reporting.realtime:{"interval":2}']);
  });

  it("keeps delivering when a listener throws, and logs it", async () => {
    const captured = captureLog();
    const reg = new SubscriptionRegistry({ log: captured.log });
    const got: string[] = [];
    reg.add("pool.query", () => {
      throw new Error("listener bug");
    });
    reg.add("pool.query", () => got.push("ok"));
    await reg.attach(fakeTransport());
    expect(() => reg.dispatch(update("pool.query"))).not.toThrow();
    expect(got).toEqual(["ok"]);
    expect(captured.withMsg("subscription listener failed")).toHaveLength(1);
  });

  it("logs a failed subscribe and passes notify_unsubscribed to the listeners", async () => {
    const captured = captureLog();
    const reg = new SubscriptionRegistry({ log: captured.log });
    const got: SubscriptionEvent[] = [];
    reg.add("app.stats", (e) => got.push(e));
    await reg.attach({
      subscribe: () => Promise.reject(new Error("EACCES")),
      unsubscribe: () => Promise.resolve(),
    });
    expect(captured.withMsg("subscribe failed")).toHaveLength(1);
    reg.dispatch({ type: "notify_unsubscribed", collection: "app.stats", error: { errname: "EFAULT" } });
    expect(got).toEqual([
      { type: "notify_unsubscribed", collection: "app.stats", error: { errname: "EFAULT" } },
    ]);
    expect(captured.withMsg("subscription ended by server")).toHaveLength(1);
  });
});
