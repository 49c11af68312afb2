/**
 * Query options, rule by rule (truenas-api.md §4; `utils/filter_list.py` `filter_list`): select, order_by,
 * count, get, offset, limit, over the sample disks (../shared/docs/truenas-samples/disk.query.json as embedded
 * in test/fixtures/filters.middleware.json).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { queryList } from "../../src/simulator/filters.js";
import { SimMatchNotFound, SimPythonError, SimValidationError } from "../../src/simulator/rpcErrors.js";
import { decodeEjson } from "../../src/truenas/ejson.js";

type Row = Record<string, unknown>;
const COLLECTIONS = (
  JSON.parse(readFileSync(new URL("../fixtures/filters.middleware.json", import.meta.url), "utf8")) as {
    collections: Record<string, unknown[]>;
  }
).collections;
const DISKS = decodeEjson(COLLECTIONS["disk.query"]) as Row[];
const POOLS = decodeEjson(COLLECTIONS["pool.query"]) as Row[];

/** `name`s of the disks a query returns. */
const names = (filters: unknown, options: Row = {}): unknown =>
  (queryList(DISKS, filters, { select: ["name"], ...options }) as Row[]).map((r) => r.name);

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected an error");
}

describe("select", () => {
  it.each<[string, unknown[], Row]>([
    ["names", ["name", "type"], { name: "sda", type: "SSD" }],
    ["[source, alias] pairs", [["name", "disk"], "size"], { disk: "sda", size: 250059350016 }],
    ["missing keys are skipped", ["name", "nosuch", "nosuch.deeper"], { name: "sda" }],
    ["a path through a scalar keeps the scalar under its first key", ["pool.name"], { pool: "boot-pool" }],
  ])("%s", (_label, select, first) => {
    expect((queryList(DISKS, [], { select }) as Row[])[0]).toEqual(first);
  });

  it("builds nested output from dotted names and leaves the source untouched", () => {
    const [tank] = queryList(POOLS, [], {
      select: ["name", "scan.state", "scan.function", ["autotrim.parsed", "trim"]],
    }) as Row[];
    expect(tank).toEqual({ name: "tank", scan: { state: "FINISHED", function: "SCRUB" }, trim: "off" });
    expect(Object.keys(POOLS[0]?.scan as Row).length).toBeGreaterThan(2);
  });

  it("raises ValueError when a selected path runs through a list", () => {
    const err = thrown(() => queryList(POOLS, [], { select: ["topology.data.0.type"] }));
    expect(err).toBeInstanceOf(SimPythonError);
    expect(err).toMatchObject({ pyClass: "ValueError", text: "Selecting by list index is not supported" });
  });

  it("is applied to each match while filtering (get returns the selected entry)", () => {
    expect(queryList(DISKS, [["type", "=", "SSD"]], { get: true, select: ["name"] })).toEqual({
      name: "sda",
    });
  });
});

describe("order_by", () => {
  it.each<[string, string[], string[]]>([
    ["ascending", ["size"], ["sda", "nvme0n1", "nvme1n1", "sdb", "sdc", "sdd", "sde", "sdf"]],
    [
      "- is descending and keeps ties in order",
      ["-size"],
      ["sdb", "sdc", "sdd", "sde", "sdf", "nvme0n1", "nvme1n1", "sda"],
    ],
    [
      "the last key wins (type last)",
      ["name", "type"],
      ["sdb", "sdc", "sdd", "sde", "sdf", "nvme0n1", "nvme1n1", "sda"],
    ],
    [
      "the last key wins (name last)",
      ["type", "name"],
      ["nvme0n1", "nvme1n1", "sda", "sdb", "sdc", "sdd", "sde", "sdf"],
    ],
    [
      "nulls_first: keeps null rows first, in order",
      ["nulls_first:rotationrate"],
      ["sda", "nvme0n1", "nvme1n1", "sdb", "sdc", "sdd", "sde", "sdf"],
    ],
    [
      "nulls_last: with -",
      ["nulls_last:-rotationrate"],
      ["sdb", "sdc", "sdd", "sde", "sdf", "sda", "nvme0n1", "nvme1n1"],
    ],
    [
      "nulls_first: looks at the top-level key only",
      ["-size", "nulls_first:pool.x"],
      ["sdb", "sdc", "sdd", "sde", "sdf", "nvme0n1", "nvme1n1", "sda"],
    ],
  ])("%s", (_label, orderBy, expected) => {
    expect((queryList(DISKS, [], { order_by: orderBy }) as Row[]).map((d) => d.name)).toEqual(expected);
  });

  it("raises TypeError when nulls mix with values without a nulls_ prefix", () => {
    const err = thrown(() => queryList(DISKS, [], { order_by: ["rotationrate"] }));
    expect(err).toMatchObject({ pyClass: "TypeError" });
    expect((err as SimPythonError).text).toMatch(
      /^'<' not supported between instances of '(NoneType|int)' and '(NoneType|int)'$/,
    );
    expect((err as SimPythonError).toJsonRpc().code).toBe(-32001);
  });

  it("sorts the selected entries, so ordering by an unselected field compares None with None", () => {
    expect(thrown(() => names([], { order_by: ["size"] }))).toMatchObject({
      pyClass: "TypeError",
      text: "'<' not supported between instances of 'NoneType' and 'NoneType'",
    });
    expect(names([], { order_by: ["-name"] })).toEqual([
      "sdf",
      "sde",
      "sdd",
      "sdc",
      "sdb",
      "sda",
      "nvme1n1",
      "nvme0n1",
    ]);
  });
});

describe("count, get, offset, limit", () => {
  it.each<[string, unknown[], Row, unknown]>([
    [
      "count counts matches before order/offset/limit",
      [["type", "=", "HDD"]],
      { count: true, offset: 3, limit: 1 },
      5,
    ],
    ["count without filters", [], { count: true }, 8],
    ["get returns the first match", [["type", "=", "SSD"]], { get: true, select: ["name"] }, { name: "sda" }],
    [
      "get after order_by (the selection must keep the sort key)",
      [["type", "=", "SSD"]],
      { get: true, order_by: ["-size"], select: ["name", "size"] },
      { name: "nvme0n1", size: 1000204886016 },
    ],
    [
      "get with filters stops at the first match and ignores count",
      [["type", "=", "SSD"]],
      { get: true, count: true, select: ["name"] },
      { name: "sda" },
    ],
    ["get without filters lets count win", [], { get: true, count: true }, 8],
    ["get with limit 1 is allowed", [], { get: true, limit: 1, select: ["name"] }, { name: "sda" }],
    ["offset then limit", [], { offset: 2, limit: 3 }, ["sdc", "sdd", "sde"]],
    [
      "limit 0 means no limit",
      [],
      { limit: 0 },
      ["sda", "sdb", "sdc", "sdd", "sde", "sdf", "nvme0n1", "nvme1n1"],
    ],
    ["a negative offset counts from the end (Python slice)", [], { offset: -2 }, ["nvme0n1", "nvme1n1"]],
    ["a negative limit drops from the end (Python slice)", [], { limit: -6 }, ["sda", "sdb"]],
    ["offset past the end is empty", [], { offset: 20 }, []],
    ["limit 10000 is the largest allowed", [["name", "^", "nvme"]], { limit: 10000 }, ["nvme0n1", "nvme1n1"]],
    [
      "extra and force_sql_filters are accepted",
      [["pool", "=", "fast"]],
      { extra: { pools: true }, force_sql_filters: true },
      ["nvme0n1", "nvme1n1"],
    ],
  ])("%s", (_label, filters, options, expected) => {
    const got = queryList(DISKS, filters, options);
    expect(Array.isArray(got) && !options.select ? (got as Row[]).map((d) => d.name) : got).toEqual(expected);
  });

  it("answers get with no match as MatchNotFound (-32001 EINVAL)", () => {
    const err = thrown(() => queryList(DISKS, [["name", "=", "sdz"]], { get: true }));
    expect(err).toBeInstanceOf(SimMatchNotFound);
    expect((err as SimMatchNotFound).toJsonRpc()).toMatchObject({
      code: -32001,
      data: { error: 22, reason: "MatchNotFound()" },
    });
    expect(thrown(() => queryList([], [], { get: true }))).toBeInstanceOf(SimMatchNotFound);
  });

  it.each<[string, Row, string]>([
    [
      "get with limit > 1",
      { get: true, limit: 2 },
      "Value error, Invalid options combination. `get` implies a single result.",
    ],
    [
      "get with offset",
      { get: true, offset: 1 },
      "Value error, Invalid options combination. `get` implies a single result.",
    ],
    [
      "get with a negative offset",
      { get: true, offset: -1 },
      "Value error, Invalid options combination. `get` implies a single result.",
    ],
    [
      "limit above 10000 (25.10.1+)",
      { limit: 10001 },
      "Value error, Options limit must be between 1 and 10000",
    ],
  ])("rejects %s as -32602", (_label, options, msg) => {
    const err = thrown(() => queryList(DISKS, [], options));
    expect(err).toBeInstanceOf(SimValidationError);
    expect((err as SimValidationError).errors).toEqual([["options", msg, 22]]);
  });
});
