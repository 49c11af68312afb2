/**
 * `queryListSql`: the `datastore.query` path (`plugins/datastore/filter.py`, `read.py`) used by plain DB-backed
 * queries such as `service.query` without `state`/`pids` filters. Data: service.query sample plus a null row.
 * The last block replays test/fixtures/filters.sql.middleware.json: what the middleware's own FilterMixin and
 * query steps (TS-25.10.6, on SQLAlchemy 2 and SQLite) answered for the same rows as a `services_services` table.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { queryList, queryListSql } from "../../src/simulator/filters.js";
import { SimMatchNotFound, SimPythonError, SimValidationError } from "../../src/simulator/rpcErrors.js";
import { decodeEjson } from "../../src/truenas/ejson.js";

type Row = Record<string, unknown>;
const COLLECTIONS = (
  JSON.parse(readFileSync(new URL("../fixtures/filters.middleware.json", import.meta.url), "utf8")) as {
    collections: Record<string, unknown[]>;
  }
).collections;
/** cifs(4) ftp(8) iscsitarget(9) nfs(10) snmp(11) ssh(12) ups(17) nvmet(21); cifs/nfs/ssh enabled; + a null row. */
const SERVICES = [
  ...(decodeEjson(COLLECTIONS["service.query"]) as Row[]),
  { id: 30, service: null, enable: null },
];
const svc = (filters: unknown, options: Row = {}): unknown =>
  (queryListSql(SERVICES, filters, { select: ["service"], ...options }) as Row[]).map((r) => r.service);

describe("operators the SQL path lacks fail at run time, not validation", () => {
  it.each(["rin", "rnin", "!^", "!$", "C=", "Cin", "C^"])("%s → -32001 Invalid operation", (op) => {
    let err: unknown;
    try {
      svc([["service", op, "s"]]);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ pyClass: "ValueError", text: `Invalid operation: ${op}` });
    expect((err as SimPythonError).toJsonRpc().code).toBe(-32001);
  });

  it("still validates arguments first (-32602)", () => {
    expect(() => svc([["service", "==", "s"]])).toThrow(SimValidationError);
  });

  it("has no AND groups inside OR", () => {
    expect(() =>
      svc([
        [
          "OR",
          [
            [
              ["id", "=", 4],
              ["enable", "=", true],
            ],
            ["id", "=", 8],
          ],
        ],
      ]),
    ).toThrow("Invalid operation: ['id', '=', 4]");
  });
});

describe("SQL semantics", () => {
  it.each<[string, unknown[], unknown[]]>([
    ["= None is IS NULL", [["service", "=", null]], [null]],
    [
      "!= None is IS NOT NULL",
      [
        ["enable", "!=", null],
        ["id", ">", 16],
      ],
      ["ups", "nvmet"],
    ],
    [
      "!= on a NULL column is false (Python would say true)",
      [
        ["service", "!=", "cifs"],
        ["id", ">", 20],
      ],
      ["nvmet"],
    ],
    ["in with None also matches NULL", [["service", "in", ["ssh", null]]], ["ssh", null]],
    [
      "nin is false on NULL",
      [
        ["service", "nin", ["ssh"]],
        ["id", ">", 20],
      ],
      ["nvmet"],
    ],
    ["< on NULL is false, not a TypeError", [["service", "<", "d"]], ["cifs"]],
    ["^ is LIKE: ASCII case-insensitive", [["service", "^", "NF"]], ["nfs"]],
    ["$ is LIKE with % and _ wildcards", [["service", "$", "_p"]], ["ftp", "snmp"]],
    ["~ is a case-insensitive search", [["service", "~", "S$"]], ["cifs", "nfs", "ups"]],
    [
      "OR of conditions",
      [
        [
          "OR",
          [
            ["id", "=", 4],
            ["service", "=", "ups"],
          ],
        ],
      ],
      ["cifs", "ups"],
    ],
    ["a bool equals 1/0", [["enable", "=", 1]], ["cifs", "nfs", "ssh"]],
  ])("%s", (_label, filters, expected) => {
    expect(svc(filters)).toEqual(expected);
  });

  it("differs from the Python path where Python is strict", () => {
    expect((queryList(SERVICES, [["service", "^", "NF"]]) as Row[]).length).toBe(0);
    expect(() => queryList(SERVICES, [["service", "<", "d"]])).toThrow(SimPythonError);
  });
});

describe("SQL options", () => {
  it.each<[string, Row, unknown]>([
    [
      "ORDER BY: the first key is primary",
      { order_by: ["-enable", "service"] },
      ["cifs", "nfs", "ssh", "ftp", "iscsitarget", "nvmet", "snmp", "ups", null],
    ],
    ["NULLs sort lowest ascending", { order_by: ["service"], limit: 2 }, [null, "cifs"]],
    ["and last descending", { order_by: ["-service"], offset: 7 }, ["cifs", null]],
    ["nulls_last: overrides", { order_by: ["nulls_last:service"], offset: 7 }, ["ups", null]],
    ["a negative limit is no limit", { limit: -1, offset: 7 }, ["nvmet", null]],
  ])("%s", (_label, options, expected) => {
    expect(svc([], options)).toEqual(expected);
  });

  it("counts, gets, and selects after ordering", () => {
    expect(queryListSql(SERVICES, [["enable", "=", true]], { count: true })).toBe(3);
    expect(queryListSql(SERVICES, [], { get: true, order_by: ["-id"], select: ["id"] })).toEqual({ id: 30 });
    expect(queryListSql(SERVICES, [], { order_by: ["id"], select: ["service"], limit: 1 })).toEqual([
      { service: "cifs" },
    ]);
    expect(() => queryListSql(SERVICES, [["id", "=", 99]], { get: true })).toThrow(SimMatchNotFound);
  });
});

interface SqlCase {
  filters: unknown;
  options: unknown;
  result?: unknown;
  error?: { code: number; class: string; message: string };
}

const SQL_FIXTURE = JSON.parse(
  readFileSync(new URL("../fixtures/filters.sql.middleware.json", import.meta.url), "utf8"),
) as { source: { middleware: string }; rows: Row[]; cases: SqlCase[] };

/** The first line only: SQLAlchemy appends the SQL text and parameters to an OperationalError. */
function sqlOutcome(c: SqlCase): unknown {
  try {
    return { result: queryListSql(SQL_FIXTURE.rows, c.filters, c.options) };
  } catch (err) {
    if (err instanceof SimMatchNotFound)
      return { error: { code: -32001, class: "MatchNotFound", message: "MatchNotFound()" } };
    if (err instanceof SimPythonError)
      return { error: { code: err.toJsonRpc().code, class: err.pyClass, message: err.text } };
    throw err;
  }
}

describe(`agreement with the datastore code of ${SQL_FIXTURE.source.middleware}`, () => {
  it.each(SQL_FIXTURE.cases.map((c, i) => [i, JSON.stringify([c.filters, c.options]), c] as const))(
    "case %i %s",
    (_i, _label, c) => {
      const want = c.error
        ? { error: { ...c.error, message: c.error.message.split("\n")[0] } }
        : { result: c.result };
      expect(sqlOutcome(c)).toEqual(want);
    },
  );
});
