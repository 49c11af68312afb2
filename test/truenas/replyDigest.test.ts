import { describe, expect, it } from "vitest";
import { replyDigest } from "../../src/truenas/replyDigest.js";

const frame = (text: string): Buffer => Buffer.from(text, "utf8");

describe("replyDigest", () => {
  it("is equal for two answers that differ only in their id at the end of the frame", () => {
    const a = replyDigest(frame('{"jsonrpc":"2.0","result":[{"id":1,"name":"tank"}],"id":41}'), 41);
    const b = replyDigest(frame('{"jsonrpc":"2.0","result":[{"id":1,"name":"tank"}],"id":1234}'), 1234);
    expect(a).not.toBeNull();
    expect(a).toBe(b);
  });

  it("is equal for two answers that differ only in their id at the start, spaced as Python writes it", () => {
    const a = replyDigest(frame('{"jsonrpc": "2.0", "id": 7, "result": {"healthy": true}}'), 7);
    const b = replyDigest(frame('{"jsonrpc": "2.0", "id": 8, "result": {"healthy": true}}'), 8);
    const c = replyDigest(frame('{"id": 9, "result": {"healthy": true}}'), 9);
    expect(a).not.toBeNull();
    expect(a).toBe(b);
    expect(c).not.toBeNull();
  });

  it("differs when anything in the result differs, including non-ASCII text near the end", () => {
    const a = replyDigest(frame('{"jsonrpc":"2.0","result":{"name":"café"},"id":3}'), 3);
    const b = replyDigest(frame('{"jsonrpc":"2.0","result":{"name":"cafe"},"id":3}'), 3);
    const c = replyDigest(frame('{"jsonrpc":"2.0","result":{"name":"café "},"id":3}'), 3);
    expect(new Set([a, b, c]).size).toBe(3);
  });

  it("gives no digest when the id is not where an envelope puts it", () => {
    // In the middle: cutting it out would need a parse.
    expect(replyDigest(frame('{"jsonrpc":"2.0","result":1,"id":5,"extra":2}'), 5)).toBeNull();
    // The number at the edge is not the id the parser read (a result member, not the envelope's).
    expect(replyDigest(frame('{"jsonrpc":"2.0","result":{"a":1,"id":5}}'), 5)).toBeNull();
    expect(replyDigest(frame('{"jsonrpc":"2.0","result":[],"id":6}'), 5)).toBeNull();
  });

  it("never takes a result member that ends the frame's last object for the envelope id", () => {
    // The result ends in `"id": 5}` but more closing brackets follow; the envelope id is at the start.
    const a = replyDigest(frame('{"jsonrpc":"2.0","id":5,"result":{"x":{"id":5}}}'), 5);
    const b = replyDigest(frame('{"jsonrpc":"2.0","id":6,"result":{"x":{"id":5}}}'), 6);
    const c = replyDigest(frame('{"jsonrpc":"2.0","id":6,"result":{"x":{"id":6}}}'), 6);
    expect(a).toBe(b);
    expect(c).not.toBe(b);
  });
});
