/**
 * The filter engine gives the middleware's own answers. test/fixtures/filters.middleware.json holds, for each
 * case, what truenas/middleware TS-25.10.6 answered when its `QueryArgs` model (api/v25_10_0/common.py, run
 * through api/base/handler/accept.py) and `utils/filter_list.py` `filter_list` ran on the same items, filters
 * and options: the result, or the error (JSON-RPC code, then the validation errors or the exception class and
 * text). The items are embedded in the fixture (sample data from ../shared/docs/truenas-samples plus small
 * edge-case collections), so this test does not drift when the simulator's world changes.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { markAwareDatetime, queryList } from "../../src/simulator/filters.js";
import { SimMatchNotFound, SimPythonError, SimValidationError } from "../../src/simulator/rpcErrors.js";
import { decodeEjson, stringifyEjson } from "../../src/truenas/ejson.js";

type Outcome =
  | { result: unknown }
  | { error: { code: number; errors: unknown } }
  | { error: { code: number; class: string; message: string } };

interface Case {
  collection: string;
  filters: unknown;
  options: unknown;
  aware?: boolean;
  result?: unknown;
  error?: { code: number; errors?: unknown; class?: string; message?: string };
}

interface Fixture {
  source: { middleware: string };
  collections: Record<string, unknown[]>;
  cases: Case[];
}

const fixture = JSON.parse(
  readFileSync(new URL("../fixtures/filters.middleware.json", import.meta.url), "utf8"),
) as Fixture;

function markAll(value: unknown): void {
  if (value instanceof Date) markAwareDatetime(value);
  else if (Array.isArray(value)) value.forEach(markAll);
  else if (typeof value === "object" && value !== null) Object.values(value).forEach(markAll);
}

/** The collection as the simulator holds it: Dates (naive unless the case says aware) and Sets. */
function items(c: Case): unknown[] {
  const decoded = decodeEjson(fixture.collections[c.collection]) as unknown[];
  if (c.aware) markAll(decoded);
  return decoded;
}

function outcome(c: Case): Outcome {
  try {
    return { result: JSON.parse(stringifyEjson(queryList(items(c), c.filters, c.options))) as unknown };
  } catch (err) {
    if (err instanceof SimValidationError)
      return { error: { code: -32602, errors: err.toJsonRpc().data?.extra } };
    if (err instanceof SimMatchNotFound) {
      return { error: { code: -32001, class: "MatchNotFound", message: "MatchNotFound()" } };
    }
    if (err instanceof SimPythonError) {
      return { error: { code: err.toJsonRpc().code, class: err.pyClass, message: err.text } };
    }
    throw err;
  }
}

function expected(c: Case): Outcome {
  return c.error ? ({ error: c.error } as Outcome) : { result: c.result };
}

describe(`the filter engine answers as ${fixture.source.middleware} does`, () => {
  it(`covers every kind of answer (${fixture.cases.length} cases)`, () => {
    const kinds = new Set(fixture.cases.map((c) => (c.error ? (c.error.class ?? "validation") : "result")));
    expect([...kinds].sort()).toEqual(
      [
        "AttributeError",
        "IndexError",
        "KeyError",
        "MatchNotFound",
        "TypeError",
        "ValueError",
        "error",
        "result",
        "validation",
      ].sort(),
    );
  });

  it.each(fixture.cases.map((c, i) => [i, JSON.stringify([c.collection, c.filters, c.options]), c] as const))(
    "case %i %s",
    (_i, _label, c) => {
      expect(outcome(c)).toEqual(expected(c));
    },
  );
});
