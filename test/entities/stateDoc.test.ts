import { describe, expect, it } from "vitest";
import { isoTimestamp, normaliseDoc, stableStringify } from "../../src/entities/stateDoc.js";

describe("normaliseDoc", () => {
  const cases: [string, unknown, unknown][] = [
    ["NaN", Number.NaN, null],
    ["Infinity", Number.POSITIVE_INFINITY, null],
    ["-Infinity", Number.NEGATIVE_INFINITY, null],
    ["-0", -0, 0],
    ["undefined", undefined, null],
    ["a function", () => 1, null],
    ["a symbol", Symbol("s"), null],
    ["a safe bigint", 42n, 42],
    ["a huge bigint", 2n ** 70n, (2n ** 70n).toString()],
    ["a Date", new Date(Date.UTC(2026, 0, 5, 8, 12)), "2026-01-05T08:12:00.000+00:00"],
    ["an invalid Date", new Date(Number.NaN), null],
    ["a Set", new Set([1, Number.NaN]), [1, null]],
    ["a Map", new Map<unknown, unknown>([[1, undefined]]), { "1": null }],
    ["nested values", { a: [undefined, { b: Number.NaN }] }, { a: [null, { b: null }] }],
    ["plain JSON", { s: "x", n: 1.5, t: true, z: null }, { s: "x", n: 1.5, t: true, z: null }],
  ];

  it.each(cases)("turns %s into JSON", (_label, input, expected) => {
    expect(normaliseDoc(input)).toEqual(expected);
  });

  it("keeps an undefined field as a null field, so templates see it", () => {
    expect(Object.keys(normaliseDoc({ a: undefined }) as object)).toEqual(["a"]);
  });

  it("breaks cycles instead of recursing forever", () => {
    const doc: Record<string, unknown> = { name: "x" };
    doc.self = doc;
    expect(normaliseDoc(doc)).toEqual({ name: "x", self: null });
  });

  it("keeps a shared (non-cyclic) value in both places", () => {
    const shared = { v: 1 };
    expect(normaliseDoc({ a: shared, b: shared })).toEqual({ a: { v: 1 }, b: { v: 1 } });
  });

  it("keeps a __proto__ key as data", () => {
    const doc = JSON.parse('{"__proto__": {"polluted": true}}') as unknown;
    const out = normaliseDoc(doc) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(stableStringify(doc)).toBe('{"__proto__":{"polluted":true}}');
  });
});

describe("stableStringify", () => {
  it("gives the same bytes whatever the key order", () => {
    const a = stableStringify({ b: 1, a: { d: [3, 2], c: null } });
    const b = stableStringify({ a: { c: null, d: [3, 2] }, b: 1 });
    expect(a).toBe(b);
    expect(a).toBe('{"a":{"c":null,"d":[3,2]},"b":1}');
  });

  it("never emits NaN, Infinity or undefined", () => {
    const text = stableStringify({
      x: Number.NaN,
      y: Number.POSITIVE_INFINITY,
      z: undefined,
      w: [undefined],
    });
    expect(text).toBe('{"w":[null],"x":null,"y":null,"z":null}');
    expect(JSON.parse(text)).toEqual({ w: [null], x: null, y: null, z: null });
  });

  it("escapes text as JSON does", () => {
    expect(stableStringify({ s: 'a"b\\c\n\u0000' })).toBe(JSON.stringify({ s: 'a"b\\c\n\u0000' }));
  });
});

describe("isoTimestamp", () => {
  it("writes UTC with an explicit +00:00 offset (HA timestamp sensors need one)", () => {
    expect(isoTimestamp(new Date("2026-01-05T10:00:00+02:00"))).toBe("2026-01-05T08:00:00.000+00:00");
    expect(isoTimestamp(new Date("nope"))).toBeNull();
  });
});
