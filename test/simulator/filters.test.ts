/**
 * Filter conditions, rule by rule (truenas-api.md §4; `middlewared/utils/filter_list.py`), over the sample NAS
 * (../shared/docs/truenas-samples, as embedded in test/fixtures/filters.middleware.json) and a few small rows
 * for null and type corner cases. filtersAgreement.test.ts checks the same engine against the middleware on
 * thousands of cases; these tables say what each rule is.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { queryList } from "../../src/simulator/filters.js";
import { SimPythonError, SimValidationError } from "../../src/simulator/rpcErrors.js";
import { decodeEjson } from "../../src/truenas/ejson.js";

type Row = Record<string, unknown>;
const COLLECTIONS = (
  JSON.parse(readFileSync(new URL("../fixtures/filters.middleware.json", import.meta.url), "utf8")) as {
    collections: Record<string, unknown[]>;
  }
).collections;
const sample = (name: string): Row[] => decodeEjson(COLLECTIONS[name]) as Row[];

const DISKS = sample("disk.query");
const POOLS = sample("pool.query");
const APPS = sample("app.query");
const SERVICES = sample("service.query");

/** Small rows for null/type corners: `note` is null on row 2, `tags` a list, `meta` a dict or null. */
const ROWS: Row[] = [
  {
    id: 1,
    name: "tank",
    size: 100,
    flag: true,
    note: "hello",
    tags: ["a", "B"],
    meta: { k: "v" },
    "a.b": "dotted",
    a: { b: "nested" },
  },
  { id: 2, name: "Fast", size: 50, flag: false, note: null, tags: [], meta: null, a: { b: null } },
  { id: 3, name: "boot-pool", size: 10, flag: null, note: "", tags: ["b"], meta: { k: "w" }, a: "scalar" },
];

const key = (collection: Row[], field: string) => (filters: unknown) =>
  (queryList(collection, filters, { select: [field] }) as Row[]).map((r) => r[field]);
const disks = key(DISKS, "name");
const rows = key(ROWS, "id");

function pyError(fn: () => unknown): { cls: string; text: string; code: number } {
  try {
    fn();
  } catch (err) {
    if (err instanceof SimPythonError)
      return { cls: err.pyClass, text: err.text, code: err.toJsonRpc().code };
    throw err;
  }
  throw new Error("expected a Python exception");
}

describe("operators (Python semantics) over disk.query", () => {
  it.each<[string, unknown[], string[]]>([
    ["= string", ["type", "=", "SSD"], ["sda", "nvme0n1", "nvme1n1"]],
    ["!= string", ["type", "!=", "SSD"], ["sdb", "sdc", "sdd", "sde", "sdf"]],
    ["> int", ["size", ">", 1000204886016], ["sdb", "sdc", "sdd", "sde", "sdf"]],
    [">= int", ["size", ">=", 1000204886016], ["sdb", "sdc", "sdd", "sde", "sdf", "nvme0n1", "nvme1n1"]],
    ["< int", ["size", "<", 1000204886016], ["sda"]],
    ["<= int", ["size", "<=", 1000204886016], ["sda", "nvme0n1", "nvme1n1"]],
    ["> str compares code points", ["name", ">", "sdd"], ["sde", "sdf"]],
    ["in list", ["pool", "in", ["fast", "boot-pool"]], ["sda", "nvme0n1", "nvme1n1"]],
    ["in str is a substring test", ["name", "in", "xsdbx-sdc"], ["sdb", "sdc"]],
    ["nin list", ["pool", "nin", ["tank"]], ["sda", "nvme0n1", "nvme1n1"]],
    ["rin str field contains value", ["model", "rin", "980"], ["nvme0n1", "nvme1n1"]],
    ["rnin", ["model", "rnin", "WDC"], ["sda", "nvme0n1", "nvme1n1"]],
    ["~ is re.match: anchored at the start", ["name", "~", "d"], []],
    ["~ with a Python pattern", ["name", "~", "(?P<bus>nvme)\\d+n1$"], ["nvme0n1", "nvme1n1"]],
    ["^ startswith", ["serial", "^", "WD-"], ["sdb", "sdc", "sdd", "sde", "sdf"]],
    ["!^ not startswith", ["name", "!^", "sd"], ["nvme0n1", "nvme1n1"]],
    ["$ endswith", ["name", "$", "n1"], ["nvme0n1", "nvme1n1"]],
    ["!$ not endswith", ["model", "!$", "TB"], ["sda", "sdb", "sdc", "sdd", "sde", "sdf"]],
  ])("%s", (_label, filter, expected) => {
    expect(disks([filter])).toEqual(expected);
  });
});

describe("Python equality and containment", () => {
  it.each<[string, unknown[], number[]]>([
    ["True == 1", ["flag", "=", 1], [1]],
    ["False == 0", ["flag", "=", 0], [2]],
    ["int == float", ["size", "=", 50.0], [2]],
    ["list == list", ["tags", "=", ["a", "B"]], [1]],
    ["dict == dict", ["meta", "=", { k: "w" }], [3]],
    ["str is never == int", ["name", "=", 100], []],
    ["rin on a list field is membership", ["tags", "rin", "b"], [3]],
    ["rin on a dict field tests its keys", ["meta", "rin", "k"], [1, 3]],
    ["in a dict value tests its keys", ["name", "in", { tank: 1 }], [1]],
    ["None in a list", ["note", "in", [null, ""]], [2, 3]],
  ])("%s", (_label, filter, expected) => {
    expect(rows([filter])).toEqual(expected);
  });

  it.each<[string, unknown[], string, string]>([
    [
      "> between str and int",
      ["name", ">", 5],
      "TypeError",
      "'>' not supported between instances of 'str' and 'int'",
    ],
    [
      "< with None on one side",
      ["note", "<", "x"],
      "TypeError",
      "'<' not supported between instances of 'NoneType' and 'str'",
    ],
    [
      "in a str with a non-str left side",
      ["size", "in", "100"],
      "TypeError",
      "'in <string>' requires string as left operand, not int",
    ],
    [
      "in something that is not a container",
      ["size", "in", 100],
      "TypeError",
      "argument of type 'int' is not iterable",
    ],
    ["rin on an int field", ["size", "rin", 1], "TypeError", "argument of type 'int' is not iterable"],
    [
      "^ on a list field",
      ["tags", "^", "a"],
      "AttributeError",
      "'list' object has no attribute 'startswith'",
    ],
    [
      "^ with a list argument",
      ["name", "^", ["t"]],
      "TypeError",
      "startswith first arg must be str or a tuple of str, not list",
    ],
    ["~ on an int field", ["size", "~", "1"], "TypeError", "expected string or bytes-like object, got 'int'"],
    [
      "~ with a non-str pattern",
      ["name", "~", 5],
      "TypeError",
      "first argument must be string or compiled pattern",
    ],
    [
      "~ with a broken pattern",
      ["name", "~", "("],
      "error",
      "missing ), unterminated subpattern at position 0",
    ],
    [
      "in with an unhashable key for a dict",
      ["tags", "in", { a: 1 }],
      "TypeError",
      "unhashable type: 'list'",
    ],
  ])("%s raises %s (-32001)", (_label, filter, cls, text) => {
    expect(pyError(() => rows([filter]))).toEqual({ cls, text, code: -32001 });
  });
});

describe("null handling per operator (field `note` is null on row 2)", () => {
  it.each<[string, unknown[], number[]]>([
    ["= None matches null", ["note", "=", null], [2]],
    ["!= on null is Python-true", ["note", "!=", "hello"], [2, 3]],
    ["!= None excludes only null", ["note", "!=", null], [1, 3]],
    ["in: None can be a member", ["note", "in", [null]], [2]],
    ["nin is false on null", ["note", "nin", ["hello"]], [3]],
    ["rin is false on null", ["note", "rin", "e"], [1]],
    ["rnin is false on null", ["note", "rnin", "e"], [3]],
    ["^ is false on null", ["note", "^", ""], [1, 3]],
    ["!^ is false on null", ["note", "!^", "h"], [3]],
    ["$ is false on null", ["note", "$", ""], [1, 3]],
    ["!$ is false on null", ["note", "!$", "o"], [3]],
    ["~ reads null as ''", ["note", "~", "$"], [2, 3]],
  ])("%s", (_label, filter, expected) => {
    expect(rows([filter])).toEqual(expected);
  });

  it("~ reads any falsy value as '' (row 1, True, is skipped by the first condition)", () => {
    expect(
      rows([
        ["id", ">", 1],
        ["flag", "~", "^$"],
      ]),
    ).toEqual([2, 3]);
  });

  it("raises TypeError for an ordering comparison with null", () => {
    expect(pyError(() => rows([["note", ">", "a"]])).text).toBe(
      "'>' not supported between instances of 'NoneType' and 'str'",
    );
  });
});

describe("C prefix: casefold both sides", () => {
  it.each<[string, unknown[], number[]]>([
    ["C=", ["name", "C=", "FAST"], [2]],
    ["C!=", ["name", "C!=", "TANK"], [2, 3]],
    ["Cin with a list", ["name", "Cin", ["TANK", "FAST"]], [1, 2]],
    ["Crin on a list of strings", ["tags", "Crin", "b"], [1, 3]],
    ["C^", ["name", "C^", "BOOT"], [3]],
    ["C$ on null is false", ["note", "C$", "O"], [1]],
    ["C> compares folded text", ["name", "C>", "FAST"], [1]],
  ])("%s", (_label, filter, expected) => {
    expect(rows([filter])).toEqual(expected);
  });

  it("folds like str.casefold (ß → ss, final sigma)", () => {
    const words = [{ w: "Straße" }, { w: "ΟΔΟΣ" }];
    expect(queryList(words, [["w", "C=", "STRASSE"]])).toEqual([words[0]]);
    expect(queryList(words, [["w", "C=", "οδοσ"]])).toEqual([words[1]]);
  });

  it("refuses to casefold anything but strings and lists of strings", () => {
    expect(pyError(() => rows([["size", "C=", 5]]))).toEqual({
      cls: "ValueError",
      text: "<class 'int'>: support for casefolding object type not implemented.",
      code: -32001,
    });
    expect(pyError(() => rows([["name", "Cin", [1]]])).text).toBe("'int' object has no attribute 'casefold'");
  });

  it("rejects C~ before evaluation", () => {
    expect(() => rows([["name", "C~", "t"]])).toThrow(SimValidationError);
  });
});

describe("OR, AND groups and nesting", () => {
  it.each<[string, unknown[], number[]]>([
    [
      "top-level conditions are ANDed",
      [
        ["size", ">", 20],
        ["flag", "=", true],
      ],
      [1],
    ],
    [
      "OR of single conditions",
      [
        [
          "OR",
          [
            ["id", "=", 1],
            ["name", "=", "Fast"],
          ],
        ],
      ],
      [1, 2],
    ],
    [
      "OR with an AND group",
      [
        [
          "OR",
          [
            [
              ["size", ">", 20],
              ["flag", "=", false],
            ],
            ["id", "=", 3],
          ],
        ],
      ],
      [2, 3],
    ],
    [
      "an AND group needs all its conditions",
      [
        [
          "OR",
          [
            [
              ["id", "=", 1],
              ["id", "=", 2],
            ],
          ],
        ],
      ],
      [],
    ],
    ["OR nested three deep is allowed", [["OR", [["OR", [["OR", [["id", "=", 3]]]]]]]], [3]],
    [
      "OR next to an AND condition",
      [
        [
          "OR",
          [
            ["id", "=", 1],
            ["id", "=", 2],
          ],
        ],
        ["flag", "=", false],
      ],
      [2],
    ],
  ])("%s", (_label, filters, expected) => {
    expect(rows(filters)).toEqual(expected);
  });

  it.each<[string, unknown[], string]>([
    ["an empty OR", [["OR", []]], "Value error, OR filter requires at least one branch."],
    [
      "four nested ORs",
      [["OR", [["OR", [["OR", [["OR", [["id", "=", 1]]]]]]]]]],
      "Value error, query-filters max recursion depth exceeded",
    ],
    ["an OR of a bad condition", [["OR", [["id", "==", 1]]]], "Value error, Invalid operation: =="],
  ])("rejects %s as -32602", (_label, filters, msg) => {
    expect(() => rows(filters)).toThrow(SimValidationError);
    try {
      rows(filters);
    } catch (err) {
      expect((err as SimValidationError).errors).toEqual([["filters", msg, 22]]);
    }
  });
});

describe("dotted paths", () => {
  it.each<[string, () => unknown, unknown]>([
    ["dict walk", () => key(POOLS, "name")([["scan.state", "=", "SCANNING"]]), ["fast"]],
    [
      "numeric segment indexes a list",
      () => key(POOLS, "name")([["topology.data.0.type", "=", "RAIDZ2"]]),
      ["tank"],
    ],
    [
      "out-of-range index is null",
      () => key(POOLS, "name")([["topology.data.1.type", "=", null]]),
      ["tank", "fast"],
    ],
    [
      "* is true if any element matches",
      () => key(POOLS, "name")([["topology.data.*.children.*.stats.checksum_errors", ">", 0]]),
      ["fast"],
    ],
    [
      "* over a list of strings",
      () => key(APPS, "name")([["active_workloads.images.*", "^", "postgres"]]),
      ["nextcloud"],
    ],
    ["* over ints", () => key(SERVICES, "service")([["pids.*", "<", 2000]]), ["ssh"]],
    ["* over an empty list is false", () => rows([["tags.*", "!=", "x"]]), [1, 3]],
    ["escaped dot is a literal key", () => rows([["a\\.b", "=", "dotted"]]), [1]],
    ["unescaped dot walks", () => rows([["a.b", "=", "nested"]]), [1]],
    ["a path stops at a scalar (`a.b` reads `a`)", () => rows([["a.b", "=", "scalar"]]), [3]],
    ["a null on the way reads as null", () => rows([["meta.k", "=", null]]), [2]],
    ["a missing key is false, never an error", () => rows([["nosuch", "!=", 1]]), []],
    [
      "a key missing under a dict is false (the null parent of row 2 reads as null)",
      () => rows([["meta.nosuch", "!=", "x"]]),
      [2],
    ],
    ["an empty path is the item itself", () => rows([["", "rin", "flag"]]), [1, 2, 3]],
  ])("%s", (_label, run, expected) => {
    expect(run()).toEqual(expected);
  });

  it("raises ValueError for a name segment on a list", () => {
    expect(pyError(() => key(POOLS, "name")([["topology.data.type", "=", "MIRROR"]]))).toEqual({
      cls: "ValueError",
      text: "type: must be array index or wildcard character",
      code: -32001,
    });
  });

  it("raises IndexError for an empty segment", () => {
    expect(pyError(() => rows([["a..b", "=", 1]]))).toMatchObject({
      cls: "IndexError",
      text: "string index out of range",
    });
  });
});
