import { describe, expect, it } from "vitest";
import { CallTracker } from "../../src/truenas/callTracker.js";
import {
  CallTimeoutError,
  ConnectionClosedError,
  MethodNotFoundError,
  TrueNasRpcError,
} from "../../src/truenas/errors.js";
import { ManualClock } from "../support/truenasClock.js";

interface Sent {
  id: number;
  method: string;
  params: readonly unknown[];
}

function setup(maxInFlight = 20): { clock: ManualClock; tracker: CallTracker; sent: Sent[] } {
  const clock = new ManualClock();
  const tracker = new CallTracker({ clock, maxInFlight });
  const sent: Sent[] = [];
  tracker.attach((id, method, params) => sent.push({ id, method, params }));
  tracker.openUserGate();
  return { clock, tracker, sent };
}

describe("CallTracker", () => {
  it("gives every call a unique id and matches answers by id in any order", async () => {
    const { tracker, sent } = setup();
    const a = tracker.call("a.one", [1], { timeoutMs: 1000 });
    const b = tracker.call("b.two", [2], { timeoutMs: 1000 });
    expect(new Set(sent.map((s) => s.id)).size).toBe(2);
    expect(tracker.settle(sent[1]!.id, "B")).toBe("settled");
    expect(tracker.settle(sent[0]!.id, "A")).toBe("settled");
    await expect(a).resolves.toBe("A");
    await expect(b).resolves.toBe("B");
    expect(tracker.inFlight).toBe(0);
  });

  it("maps error answers to typed errors", async () => {
    const { tracker, sent } = setup();
    const a = tracker.call("no.such", [], { timeoutMs: 1000 });
    const b = tracker.call("pool.get_instance", [99], { timeoutMs: 1000 });
    tracker.settle(sent[0]!.id, undefined, { code: -32601, message: "Method does not exist" });
    tracker.settle(sent[1]!.id, undefined, {
      code: -32602,
      message: "Invalid params",
      data: { error: 22, errname: "EINVAL", reason: "[ENOENT] None: Pool 99 does not exist" },
    });
    await expect(a).rejects.toBeInstanceOf(MethodNotFoundError);
    await expect(b).rejects.toMatchObject({ name: "TrueNasRpcError", code: -32602, errname: "EINVAL" });
    await expect(b).rejects.toBeInstanceOf(TrueNasRpcError);
  });

  it("reports unknown ids and ignores late answers after a timeout", async () => {
    const { clock, tracker, sent } = setup();
    const p = tracker.call("slow.call", [], { timeoutMs: 500 });
    clock.advance(499);
    expect(tracker.inFlight).toBe(1);
    clock.advance(1);
    await expect(p).rejects.toBeInstanceOf(CallTimeoutError);
    await expect(p).rejects.toThrow("slow.call: no answer within 500 ms");
    // The server still holds the slot until it answers.
    expect(tracker.inFlight).toBe(1);
    expect(tracker.abandoned).toBe(1);
    expect(tracker.settle(sent[0]!.id, "late")).toBe("late");
    expect(tracker.inFlight).toBe(0);
    expect(tracker.settle(12345, "x")).toBe("unknown");
    expect(tracker.settle("1", "x")).toBe("unknown");
    expect(tracker.timeouts).toBe(1);
  });

  it("caps calls in flight, keeps two slots for control calls, and sends queued calls as slots free", async () => {
    const { tracker, sent } = setup(20);
    const calls = Array.from({ length: 50 }, (_, i) => tracker.call("user.call", [i], { timeoutMs: 10_000 }));
    expect(sent).toHaveLength(18);
    expect(tracker.queued).toBe(32);
    const ping = tracker.call("core.ping", [], { timeoutMs: 1000, control: true });
    expect(sent).toHaveLength(19);
    expect(sent[18]!.method).toBe("core.ping");
    tracker.settle(sent[18]!.id, "pong");
    await expect(ping).resolves.toBe("pong");
    let answered = 0;
    while (answered < sent.length) {
      const s = sent[answered++]!;
      if (s.method === "user.call") tracker.settle(s.id, s.params[0]);
      expect(tracker.inFlight).toBeLessThanOrEqual(18);
    }
    expect(await Promise.all(calls)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(tracker.peakInFlight).toBe(19);
  });

  it("times out a queued call without ever sending it", async () => {
    const { clock, tracker, sent } = setup(3);
    tracker.call("hold", [], { timeoutMs: 10_000 }).catch(() => undefined);
    const queued = tracker.call("queued", [], { timeoutMs: 100 });
    expect(tracker.queued).toBe(1);
    clock.advance(100);
    await expect(queued).rejects.toBeInstanceOf(CallTimeoutError);
    expect(tracker.queued).toBe(0);
    tracker.settle(sent[0]!.id, 1);
    expect(sent.map((s) => s.method)).toEqual(["hold"]);
  });

  it("holds user calls until the gate opens, but lets control calls through", async () => {
    const clock = new ManualClock();
    const tracker = new CallTracker({ clock });
    const sent: string[] = [];
    const user = tracker.call("pool.query", [], { timeoutMs: 1000 });
    tracker.attach((_id, method) => sent.push(method));
    const login = tracker.call("auth.login_with_api_key", ["k"], { timeoutMs: 1000, control: true });
    expect(sent).toEqual(["auth.login_with_api_key"]);
    tracker.settle(2, true);
    await expect(login).resolves.toBe(true);
    tracker.openUserGate();
    expect(sent).toEqual(["auth.login_with_api_key", "pool.query"]);
    tracker.settle(1, []);
    await expect(user).resolves.toEqual([]);
  });

  it("rejects every pending and queued call when closed, and clears their timers", async () => {
    const { clock, tracker } = setup(3);
    const calls = [1, 2, 3, 4].map((i) => tracker.call(`m${i}`, [], { timeoutMs: 1000 }));
    tracker.closeAll("socket closed with code 1006");
    for (const c of calls) await expect(c).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(calls[3]).rejects.toThrow("m4: connection closed (socket closed with code 1006)");
    expect(clock.pendingDelays()).toEqual([]);
    expect(tracker.inFlight + tracker.queued).toBe(0);
  });

  it("rejects a call whose send throws", async () => {
    const clock = new ManualClock();
    const tracker = new CallTracker({ clock });
    tracker.attach(() => {
      throw new Error("WebSocket is not open");
    });
    tracker.openUserGate();
    await expect(tracker.call("x", [], { timeoutMs: 10 })).rejects.toThrow(/WebSocket is not open/);
    expect(tracker.inFlight).toBe(0);
    expect(clock.pendingDelays()).toEqual([]);
  });
});
