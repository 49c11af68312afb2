/**
 * The filter engine agrees with the middleware's own filter_list on the same data: every case in
 * test/fixtures/filters.middleware.json was answered by truenas/middleware TS-25.10.0 utils/filter_list.py
 * over src/simulator/nas/typicalData.json (results, or the error's phase and class).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { queryList } from "../../src/simulator/filters.js";
import { sample } from "../../src/simulator/nas/sampleData.js";
import { SimMatchNotFound, SimPythonError, SimValidationError } from "../../src/simulator/rpcErrors.js";
import { stringifyEjson } from "../../src/truenas/ejson.js";

interface Case {
  collection: string;
  filters: unknown;
  options: unknown;
  result?: unknown;
  error?: { phase: "validation" | "runtime"; class: string; message: string };
}

const fixture = JSON.parse(
  readFileSync(new URL("../fixtures/filters.middleware.json", import.meta.url), "utf8"),
) as { cases: Case[] };

function outcome(c: Case): { result: unknown } | { phase: string; class: string } {
  try {
    return { result: JSON.parse(stringifyEjson(queryList(sample(c.collection), c.filters, c.options))) };
  } catch (err) {
    if (err instanceof SimValidationError) return { phase: "validation", class: "ValueError" };
    if (err instanceof SimMatchNotFound) return { phase: "runtime", class: "MatchNotFound" };
    if (err instanceof SimPythonError) return { phase: "runtime", class: err.pyClass };
    throw err;
  }
}

describe("filter engine agrees with the middleware's filter_list", () => {
  it(`has a large case set (${fixture.cases.length} cases)`, () => {
    expect(fixture.cases.length).toBeGreaterThan(1000);
  });

  it.each(fixture.cases.map((c, i) => [i, JSON.stringify([c.collection, c.filters, c.options]), c] as const))(
    "case %i %s",
    (_i, _label, c) => {
      const got = outcome(c);
      if (c.error) expect(got).toEqual({ phase: c.error.phase, class: c.error.class });
      else expect(got).toEqual({ result: c.result });
    },
  );
});
