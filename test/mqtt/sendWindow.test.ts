import { describe, expect, it } from "vitest";
import type { OutgoingMessage } from "../../src/mqtt/publisher.js";
import { SendWindow, type WindowTransport } from "../../src/mqtt/sendWindow.js";

/** A connection that records what it was given and lets the test acknowledge and flush. */
class FakeConnection implements WindowTransport {
  readonly sent: OutgoingMessage[] = [];
  readonly acks: Array<() => void> = [];
  bufferedBytes = 0;
  drained: Array<() => void> = [];
  buffered(): number {
    return this.bufferedBytes;
  }
  onceDrained(fn: () => void): void {
    this.drained.push(fn);
  }
  send(message: OutgoingMessage, acked: () => void): void {
    this.sent.push(message);
    this.bufferedBytes += message.payload.length;
    if (message.qos === 1) this.acks.push(acked);
  }
  ackAll(): void {
    for (const ack of this.acks.splice(0)) ack();
  }
  flush(): void {
    this.bufferedBytes = 0;
    for (const fn of this.drained.splice(0)) fn();
  }
}

const msg = (i: number, qos: 0 | 1 = 1, payload = "x"): OutgoingMessage => ({
  topic: `t/${i}`,
  payload,
  retain: true,
  qos,
});
const topics = (ms: readonly OutgoingMessage[]): string[] => ms.map((m) => m.topic);

describe("SendWindow", () => {
  it("holds QoS 1 messages beyond maxUnacked until acknowledgements come, in order", () => {
    const w = new SendWindow({ maxUnacked: 3 });
    const c = new FakeConnection();
    w.attach(c);
    w.push([msg(1), msg(2), msg(3), msg(4), msg(5, 0), msg(6)]);
    expect(topics(c.sent)).toEqual(["t/1", "t/2", "t/3"]);
    expect(w.pending).toBe(3);
    expect(w.unacked).toBe(3);
    c.acks.shift()!();
    // One slot: t/4 takes it. t/5 needs no acknowledgement but waits behind it: nothing overtakes.
    expect(topics(c.sent)).toEqual(["t/1", "t/2", "t/3", "t/4"]);
    c.ackAll();
    expect(topics(c.sent)).toEqual(["t/1", "t/2", "t/3", "t/4", "t/5", "t/6"]);
    expect(w.pending).toBe(0);
  });

  it("pauses while the socket holds maxBufferedBytes unsent and resumes when it drains", () => {
    const w = new SendWindow({ maxUnacked: 100, maxBufferedBytes: 10 });
    const c = new FakeConnection();
    w.attach(c);
    w.push([msg(1, 0, "123456"), msg(2, 0, "123456"), msg(3, 0, "123456")]);
    expect(topics(c.sent)).toEqual(["t/1", "t/2"]);
    expect(c.drained).toHaveLength(1);
    w.push([msg(4, 0)]);
    // Still waiting for the one drain: nothing overtakes t/3 and no second listener is added.
    expect(topics(c.sent)).toEqual(["t/1", "t/2"]);
    expect(c.drained).toHaveLength(1);
    c.flush();
    expect(topics(c.sent)).toEqual(["t/1", "t/2", "t/3", "t/4"]);
  });

  it("sends nothing before a connection and everything once one is attached", () => {
    const w = new SendWindow();
    w.push([msg(1), msg(2)]);
    expect(w.pending).toBe(2);
    const c = new FakeConnection();
    w.attach(c);
    expect(topics(c.sent)).toEqual(["t/1", "t/2"]);
  });

  it("on detach returns what was never sent, and ignores the old connection's late callbacks", () => {
    const w = new SendWindow({ maxUnacked: 1, maxBufferedBytes: 1_000 });
    const old = new FakeConnection();
    w.attach(old);
    w.push([msg(1), msg(2), msg(3)]);
    expect(topics(w.detach())).toEqual(["t/2", "t/3"]);
    expect(w.pending).toBe(0);
    const fresh = new FakeConnection();
    w.attach(fresh);
    w.push([msg(4), msg(5)]);
    expect(topics(fresh.sent)).toEqual(["t/4"]);
    old.ackAll(); // a PUBACK callback of the closed connection must not open a slot on the new one
    expect(topics(fresh.sent)).toEqual(["t/4"]);
    expect(w.unacked).toBe(1);
    fresh.ackAll();
    expect(topics(fresh.sent)).toEqual(["t/4", "t/5"]);
  });

  it("keeps order across a long burst (the sent prefix is released as it goes)", () => {
    const w = new SendWindow({ maxUnacked: 7 });
    const c = new FakeConnection();
    w.attach(c);
    const burst = Array.from({ length: 5_000 }, (_, i) => msg(i, i % 3 === 0 ? 0 : 1));
    w.push(burst);
    while (c.acks.length > 0) c.ackAll();
    expect(topics(c.sent)).toEqual(topics(burst));
    expect(w.pending).toBe(0);
  });
});
