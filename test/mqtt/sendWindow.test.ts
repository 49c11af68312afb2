import { describe, expect, it } from "vitest";
import type { OutgoingMessage } from "../../src/mqtt/publisher.js";
import { SendWindow, type WindowTransport } from "../../src/mqtt/sendWindow.js";

/** A connection that records what it was given; its socket is full at `highWaterMark` bytes until flushed. */
class FakeConnection implements WindowTransport {
  readonly sent: OutgoingMessage[] = [];
  bufferedBytes = 0;
  drained: Array<() => void> = [];
  constructor(readonly highWaterMark = 1_000) {}
  blocked(): boolean {
    return this.bufferedBytes >= this.highWaterMark;
  }
  onceDrained(fn: () => void): void {
    this.drained.push(fn);
  }
  send(message: OutgoingMessage): void {
    this.sent.push(message);
    this.bufferedBytes += message.payload.length;
  }
  flush(): void {
    this.bufferedBytes = 0;
    for (const fn of this.drained.splice(0)) fn();
  }
}

const msg = (i: number, payload = "123456"): OutgoingMessage => ({
  topic: `t/${i}`,
  payload,
  retain: true,
  qos: 1,
});
const topics = (ms: readonly OutgoingMessage[]): string[] => ms.map((m) => m.topic);

describe("SendWindow", () => {
  it("pauses while the socket is full and resumes in order when it drains", () => {
    const w = new SendWindow();
    const c = new FakeConnection(10);
    w.attach(c);
    w.push([msg(1), msg(2), msg(3)]);
    expect(topics(c.sent)).toEqual(["t/1", "t/2"]);
    expect(w.pending).toBe(1);
    expect(c.drained).toHaveLength(1);
    w.push([msg(4, "x")]);
    // Still waiting for the one drain: nothing overtakes t/3 and no second listener is added.
    expect(topics(c.sent)).toEqual(["t/1", "t/2"]);
    expect(c.drained).toHaveLength(1);
    c.flush();
    expect(topics(c.sent)).toEqual(["t/1", "t/2", "t/3", "t/4"]);
    expect(w.pending).toBe(0);
  });

  it("sends nothing before a connection and everything once one is attached", () => {
    const w = new SendWindow();
    w.push([msg(1), msg(2)]);
    expect(w.pending).toBe(2);
    const c = new FakeConnection();
    w.attach(c);
    expect(topics(c.sent)).toEqual(["t/1", "t/2"]);
  });

  it("on detach returns what was never sent, and ignores the old connection's late drain", () => {
    const w = new SendWindow();
    const old = new FakeConnection(5);
    w.attach(old);
    w.push([msg(1), msg(2), msg(3)]);
    expect(topics(w.detach())).toEqual(["t/2", "t/3"]);
    expect(w.pending).toBe(0);
    const fresh = new FakeConnection(5);
    w.attach(fresh);
    w.push([msg(4), msg(5)]);
    expect(topics(fresh.sent)).toEqual(["t/4"]);
    old.flush(); // the closed socket's drain must not send on the new one past its own limit
    expect(topics(fresh.sent)).toEqual(["t/4"]);
    fresh.flush();
    expect(topics(fresh.sent)).toEqual(["t/4", "t/5"]);
  });

  it("keeps order across a long burst (the sent prefix is released as it goes)", () => {
    const w = new SendWindow();
    const c = new FakeConnection(100);
    w.attach(c);
    const burst = Array.from({ length: 5_000 }, (_, i) => msg(i));
    w.push(burst);
    while (c.drained.length > 0) c.flush();
    expect(topics(c.sent)).toEqual(topics(burst));
    expect(w.pending).toBe(0);
  });
});
