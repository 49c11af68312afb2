/**
 * The filter rules one by one (truenas-api.md §4), table-driven. The agreement test checks the same engine
 * against the middleware itself on 1,637 cases; these tables document each rule.
 */
import { describe, expect, it } from "vitest";
import { queryList } from "../../src/simulator/filters.js";
import { SimMatchNotFound, SimPythonError, SimValidationError } from "../../src/simulator/rpcErrors.js";

const ROWS = [
  {
    id: 1,
    name: "tank",
    size: 100,
    tags: ["a", "b"],
    note: null,
    nested: { state: "ONLINE", list: [{ s: "x" }, { s: "y" }] },
    "a.b": 1,
    when: new Date("2025-11-02T00:00:00Z"),
  },
  {
    id: 2,
    name: "Fast",
    size: 50,
    tags: ["b"],
    note: "hello",
    nested: { state: "DEGRADED", list: [] },
    when: new Date("2025-11-04T00:00:00Z"),
  },
  {
    id: 3,
    name: "boot-pool",
    size: 10,
    tags: [],
    note: "",
    nested: null,
    when: new Date("2025-11-06T00:00:00Z"),
  },
];

const ids = (filters: unknown, options: unknown = {}): unknown =>
  (queryList(ROWS, filters, { select: ["id"], ...(options as object) }) as Array<{ id: number }>).map(
    (r) => r.id,
  );

describe("filter operators", () => {
  it.each<[string, unknown[], number[]]>([
    ["= on a string", ["name", "=", "tank"], [1]],
    ["!= on a string", ["name", "!=", "tank"], [2, 3]],
    ["> < >= <= on numbers", ["size", ">=", 50], [1, 2]],
    ["in (value in list)", ["name", "in", ["tank", "boot-pool"]], [1, 3]],
    ["nin", ["name", "nin", ["tank"]], [2, 3]],
    ["rin (list field contains value)", ["tags", "rin", "b"], [1, 2]],
    ["rnin", ["tags", "rnin", "a"], [2, 3]],
    ["~ is re.match, anchored at the start only", ["name", "~", "a"], []],
    ["~ matches a prefix pattern", ["name", "~", "t.n"], [1]],
    ["^ startswith", ["name", "^", "bo"], [3]],
    ["!^ not startswith", ["name", "!^", "bo"], [1, 2]],
    ["$ endswith", ["name", "$", "pool"], [3]],
    ["!$ not endswith", ["name", "!$", "pool"], [1, 2]],
  ])("%s", (_name, filter, expected) => {
    expect(ids([filter])).toEqual(expected);
  });
});

describe("null handling", () => {
  it.each<[string, unknown[], number[]]>([
    ["= null matches null only", ["note", "=", null], [1]],
    ["!= null is Python's != (true for non-null)", ["note", "!=", null], [2, 3]],
    ["nin is false on null", ["note", "nin", ["x"]], [2, 3]],
    ["rin is false on null", ["note", "rin", "h"], [2]],
    ["^ is false on null", ["note", "^", ""], [2, 3]],
    ["$ is false on null", ["note", "$", "o"], [2]],
    ["~ treats null as an empty string", ["note", "~", "^$"], [1, 3]],
    ["a null in the middle of a path resolves to null", ["nested.state", "=", null], [3]],
  ])("%s", (_name, filter, expected) => {
    expect(ids([filter])).toEqual(expected);
  });

  it("raises TypeError for an ordering comparison with null", () => {
    expect(() => ids([["note", ">", "a"]])).toThrow(SimPythonError);
  });
});

describe("case-insensitive operators (C prefix)", () => {
  it.each<[string, unknown[], number[]]>([
    ["C=", ["name", "C=", "FAST"], [2]],
    ["Cin", ["name", "Cin", ["TANK", "fast"]], [1, 2]],
    ["C^", ["name", "C^", "BOOT"], [3]],
    ["C!=", ["name", "C!=", "TANK"], [2, 3]],
  ])("%s", (_name, filter, expected) => {
    expect(ids([filter])).toEqual(expected);
  });

  it("rejects C~ and refuses to casefold numbers", () => {
    expect(() => ids([["name", "C~", "x"]])).toThrow(SimValidationError);
    expect(() => ids([["size", "C=", 1]])).toThrow(/casefolding/);
  });
});

describe("OR and AND groups", () => {
  it.each<[string, unknown[], number[]]>([
    [
      "OR of single conditions",
      [
        "OR",
        [
          ["id", "=", 1],
          ["id", "=", 3],
        ],
      ],
      [1, 3],
    ],
    [
      "OR with an AND group",
      [
        "OR",
        [
          [
            ["size", ">", 20],
            ["name", "^", "F"],
          ],
          ["id", "=", 3],
        ],
      ],
      [2, 3],
    ],
    ["nested OR within the depth limit", ["OR", [["OR", [["OR", [["id", "=", 2]]]]]]], [2]],
  ])("%s", (_name, filter, expected) => {
    expect(ids([filter])).toEqual(expected);
  });

  it("rejects an empty OR and nesting deeper than 3", () => {
    expect(() => ids([["OR", []]])).toThrow(/at least one branch/);
    expect(() => ids([["OR", [["OR", [["OR", [["OR", [["id", "=", 1]]]]]]]]]])).toThrow(
      /max recursion depth/,
    );
  });

  it("ANDs the top-level conditions", () => {
    expect(
      ids([
        ["size", ">", 5],
        ["tags", "rin", "b"],
      ]),
    ).toEqual([1, 2]);
  });
});

describe("paths", () => {
  it.each<[string, unknown[], number[]]>([
    ["dotted", ["nested.state", "=", "DEGRADED"], [2]],
    ["list index", ["tags.0", "=", "b"], [2]],
    ["out-of-range index is null", ["tags.5", "=", null], [1, 2, 3]],
    ["* matches any element", ["nested.list.*.s", "=", "y"], [1]],
    ["escaped dot is a literal key", ["a\\.b", "=", 1], [1]],
    ["a missing key is false, never an error", ["nosuch", "=", null], []],
  ])("%s", (_name, filter, expected) => {
    expect(ids([filter])).toEqual(expected);
  });

  it("raises ValueError for a name segment on a list", () => {
    expect(() => ids([["tags.x", "=", 1]])).toThrow(/must be array index or wildcard/);
  });
});

describe("datetimes", () => {
  it("compares .$date fields with ISO-8601 strings", () => {
    expect(ids([["when.$date", ">", "2025-11-03T00:00:00+00:00"]])).toEqual([2, 3]);
    expect(ids([["when.$date", "<=", "2025-11-02T00:00:00+00:00"]])).toEqual([1]);
  });

  it("allows only comparisons, with a valid timestamp", () => {
    expect(() => ids([["when.$date", "in", "2025-11-03T00:00:00+00:00"]])).toThrow(
      /invalid timestamp operation/,
    );
    expect(() => ids([["when.$date", ">", "yesterday"]])).toThrow(/ISO-8601/);
  });
});

describe("options", () => {
  it("select: names, aliases, nested output, missing keys skipped", () => {
    expect(
      queryList(ROWS.slice(0, 1), [], { select: ["name", ["size", "bytes"], "nested.state", "nosuch"] }),
    ).toEqual([{ name: "tank", bytes: 100, nested: { state: "ONLINE" } }]);
    expect(() => queryList(ROWS, [], { select: ["tags.0"] })).toThrow(/Selecting by list index/);
  });

  it("order_by: each key is a stable sort, so the last key wins; - reverses", () => {
    const rows = [
      { a: 1, b: "y" },
      { a: 2, b: "x" },
      { a: 1, b: "x" },
    ];
    expect(queryList(rows, [], { order_by: ["a", "b"] })).toEqual([rows[2], rows[1], rows[0]]);
    expect(queryList(rows, [], { order_by: ["-a"] })).toEqual([rows[1], rows[0], rows[2]]);
  });

  it("order_by: nulls_first / nulls_last, and a TypeError when nulls mix with values", () => {
    expect(ids([], { order_by: ["nulls_first:note"], select: ["id", "note"] })).toEqual([1, 3, 2]);
    expect(ids([], { order_by: ["nulls_last:-note"], select: ["id", "note"] })).toEqual([2, 3, 1]);
    expect(() => ids([], { order_by: ["note"], select: ["id", "note"] })).toThrow(/not supported between/);
  });

  it("count (before limit), get, MatchNotFound, offset and limit", () => {
    expect(queryList(ROWS, [], { count: true, limit: 1 })).toBe(3);
    expect(queryList(ROWS, [["size", "<", 60]], { get: true, select: ["id"] })).toEqual({ id: 2 });
    expect(() => queryList(ROWS, [["id", "=", 9]], { get: true })).toThrow(SimMatchNotFound);
    expect(ids([], { offset: 1, limit: 1 })).toEqual([2]);
    expect(ids([], { limit: 0 })).toEqual([1, 2, 3]);
  });

  it("rejects invalid combinations and shapes as -32602", () => {
    for (const bad of [
      { get: true, limit: 2 },
      { get: true, offset: 1 },
      { select: [["a"]] },
      { order_by: [1] },
      { limit: 10_001 },
    ]) {
      const err = (() => {
        try {
          queryList(ROWS, [], bad);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(SimValidationError);
      expect((err as SimValidationError).toJsonRpc().code).toBe(-32602);
    }
  });

  it("rejects bad filters with the middleware's messages", () => {
    expect(() => queryList(ROWS, [["id", "==", 1]])).toThrow(/Invalid operation: ==/);
    // A two-item condition is read as an OR: its first item must be "OR".
    expect(() => queryList(ROWS, [["id", "="]])).toThrow(/Invalid operation: id/);
    expect(() => queryList(ROWS, [["id", "=", 1, 2]])).toThrow(/Invalid filter \['id', '=', 1, 2\]/);
    expect(() => queryList(ROWS, "nope")).toThrow(/valid list/);
  });
});
