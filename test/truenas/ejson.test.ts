import { describe, expect, it } from "vitest";
import { decodeEjson, parseEjson, stringifyEjson } from "../../src/truenas/ejson.js";

describe("parseEjson", () => {
  it("decodes wrappers whose key is written plainly", () => {
    const v = parseEjson('{"result":{"t":{"$date":1700000000000},"s":{"$set":[1,2]}}}') as any;
    expect(v.result.t).toEqual(new Date(1700000000000));
    expect(v.result.s).toBeInstanceOf(Set);
    expect([...v.result.s]).toEqual([1, 2]);
  });

  it("decodes to values whose JSON is faithful (sets and dates keep their content)", () => {
    const a = parseEjson('{"s":{"$set":[1]},"t":{"$date":1}}');
    const b = parseEjson('{"s":{"$set":[2]},"t":{"$date":2}}');
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(b));
    expect(JSON.parse(JSON.stringify(a))).toEqual({ s: { $set: [1] }, t: "1970-01-01T00:00:00.001Z" });
  });

  it("decodes wrappers whose `$` is escaped as \\u0024", () => {
    const v = parseEjson('{"t":{"\\u0024date":5}}') as any;
    expect(v.t).toEqual(new Date(5));
  });

  it("parses a frame without wrappers exactly as JSON.parse does", () => {
    const text =
      '{"jsonrpc":"2.0","id":7,"result":[{"name":"tank","price":"$5","n":null,"a":[1,{"b":"x$"}]}]}';
    expect(parseEjson(text)).toEqual(JSON.parse(text));
  });

  it("leaves a `$` key that is not a wrapper as a plain object", () => {
    expect(parseEjson('{"$date":"not a number"}')).toEqual({ $date: "not a number" });
  });

  it("decodeEjson keeps a __proto__ key an own property, as JSON.parse does", () => {
    const decoded = decodeEjson(
      JSON.parse('{"__proto__":{"$date":1},"a":{"__proto__":{"$set":[1]}}}'),
    ) as any;
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(decoded, "__proto__")).toBe(true);
    expect(decoded instanceof Date).toBe(false);
    expect(() => stringifyEjson(decoded)).not.toThrow();
  });

  it("parseEjson keeps a __proto__ key an own property when it decodes wrappers in place", () => {
    const decoded = parseEjson('{"__proto__":{"$date":1},"a":[{"__proto__":{"$set":[1]}}]}') as any;
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(decoded, "__proto__")?.value).toEqual(new Date(1));
    expect(Object.getPrototypeOf(decoded.a[0])).toBe(Object.prototype);
    expect([...(Object.getOwnPropertyDescriptor(decoded.a[0], "__proto__")!.value as Set<number>)]).toEqual([
      1,
    ]);
  });

  it("parseEjson decodes a set's wrapped elements once, as decodeEjson does", () => {
    const text =
      '{"r":[{"s":{"$set":[{"$date":2},{"$time":"01:02:03"}]}},{"$type":"date","$value":"2026-01-02"}]}';
    const decoded = parseEjson(text) as any;
    expect(decoded).toEqual(decodeEjson(JSON.parse(text)));
    expect([...decoded.r[0].s][0]).toEqual(new Date(2));
    expect(stringifyEjson(decoded)).toBe(stringifyEjson(decodeEjson(JSON.parse(text))));
  });

  it("stringifyEjson writes real dates and sets as their wrappers", () => {
    expect(JSON.parse(stringifyEjson({ t: new Date(3), s: new Set([2]) }))).toEqual({
      t: { $date: 3 },
      s: { $set: [2] },
    });
  });
});
