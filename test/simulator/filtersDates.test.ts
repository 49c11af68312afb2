/**
 * `.$date` filters (25.10 `utils/filter_list.py`): the field holds a datetime (a `Date` in the simulator), the
 * value is an ISO-8601 string read by Python 3.11 `datetime.fromisoformat`, and only `= != > >= < <=` apply.
 * Job times are naive UTC datetimes in the middleware (`job.py` `utc_now()`), so an offset-aware value raises
 * TypeError on ordering comparisons, exactly as on a real 25.10 box. Data: core.get_jobs sample.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { markAwareDatetime, queryList } from "../../src/simulator/filters.js";
import { SimPythonError, SimValidationError } from "../../src/simulator/rpcErrors.js";
import { decodeEjson } from "../../src/truenas/ejson.js";

type Row = Record<string, unknown>;
const COLLECTIONS = (
  JSON.parse(readFileSync(new URL("../fixtures/filters.middleware.json", import.meta.url), "utf8")) as {
    collections: Record<string, unknown[]>;
  }
).collections;
/** Jobs 405, 412 (Nov 3, 02:18:20 and 02:56:40 UTC), 418, 421, 423 (14:15, 14:05, 14:13); 418/423 unfinished. */
const jobs = (): Row[] => decodeEjson(COLLECTIONS["core.get_jobs"]) as Row[];
const JOBS = jobs();
const ids = (filters: unknown, rows: Row[] = JOBS): unknown =>
  (queryList(rows, filters, { select: ["id"] }) as Row[]).map((r) => r.id);

function pyError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    if (err instanceof SimPythonError) return { cls: err.pyClass, text: err.text };
    throw err;
  }
  throw new Error("expected a Python exception");
}

describe(".$date against naive job datetimes", () => {
  it.each<[string, unknown[], number[]]>([
    ["> a naive timestamp", ["time_started.$date", ">", "2025-11-03T14:00:00"], [418, 421, 423]],
    ["= to the second", ["time_started.$date", "=", "2025-11-03T02:18:20"], [405]],
    ["<= with a space separator", ["time_started.$date", "<=", "2025-11-03 02:56:40"], [405, 412]],
    ["a date alone is midnight", ["time_started.$date", ">=", "2025-11-03"], [405, 412, 418, 421, 423]],
    ["basic format", ["time_started.$date", "<", "20251103T030000"], [405, 412]],
    ["an ISO week date", ["time_started.$date", "<", "2025-W45-2"], [405, 412, 418, 421, 423]],
    ["microseconds count", ["time_started.$date", "<", "2025-11-03T02:18:20.000001"], [405]],
    ["!= keeps the rest", ["time_started.$date", "!=", "2025-11-03T02:18:20"], [412, 418, 421, 423]],
    ["null (unfinished) never equals", ["time_finished.$date", "=", "2025-11-03T02:18:50"], [405]],
  ])("%s", (_label, filter, expected) => {
    expect(ids([filter])).toEqual(expected);
  });

  it("offset-aware values: = never matches, != always does, ordering raises TypeError", () => {
    expect(ids([["time_started.$date", "=", "2025-11-03T02:18:20+00:00"]])).toEqual([]);
    expect(ids([["time_started.$date", "!=", "2025-11-03T02:18:20Z"]])).toEqual([405, 412, 418, 421, 423]);
    expect(pyError(() => ids([["time_started.$date", ">", "2025-11-01T00:00:00+00:00"]]))).toEqual({
      cls: "TypeError",
      text: "can't compare offset-naive and offset-aware datetimes",
    });
  });

  it("a null datetime cannot be ordered", () => {
    expect(pyError(() => ids([["time_finished.$date", ">", "2025-11-03"]]))).toEqual({
      cls: "TypeError",
      text: "'>' not supported between instances of 'NoneType' and 'datetime.datetime'",
    });
  });

  it("without .$date the string is compared as a string", () => {
    expect(ids([["time_started", "=", "2025-11-03T02:18:20"]])).toEqual([]);
    expect(pyError(() => ids([["time_started", ">", "2025-11-03T02:18:20"]]))).toEqual({
      cls: "TypeError",
      text: "'>' not supported between instances of 'datetime.datetime' and 'str'",
    });
  });

  it("select returns the Date objects themselves", () => {
    const [job] = queryList(JOBS, [["id", "=", 405]], { select: ["time_started"] }) as Row[];
    expect(job?.time_started).toEqual(new Date(1762136300000));
  });

  it("keeps 25.10's value-map quirk: another condition with a list value is unhashable", () => {
    expect(
      pyError(() =>
        ids([
          ["time_started.$date", ">", "2025-11-01"],
          ["state", "in", ["SUCCESS"]],
        ]),
      ),
    ).toEqual({
      cls: "TypeError",
      text: "unhashable type: 'list'",
    });
  });
});

describe(".$date against tz-aware datetimes (markAwareDatetime)", () => {
  const aware = jobs().map((j) => ({ ...j, time_started: markAwareDatetime(j.time_started as Date) }));

  it.each<[string, unknown[], number[]]>([
    ["Z", ["time_started.$date", "=", "2025-11-03T02:18:20Z"], [405]],
    ["+01:00 is an hour ahead", ["time_started.$date", "=", "2025-11-03T03:18:20+01:00"], [405]],
    ["-0130 without a colon", ["time_started.$date", "<", "2025-11-03T01:00:00-0130"], [405]],
  ])("%s", (_label, filter, expected) => {
    expect(ids([filter], aware)).toEqual(expected);
  });

  it("naive values cannot be ordered against them", () => {
    expect(pyError(() => ids([["time_started.$date", "<", "2025-11-03"]], aware))).toMatchObject({
      cls: "TypeError",
    });
  });
});

describe(".$date validation (-32602)", () => {
  it.each<[string, unknown, string]>([
    ["~", ["time_started.$date", "~", "2025"], "Value error, ~: invalid timestamp operation."],
    ["rin", ["time_started.$date", "rin", "2025-11-03"], "Value error, rin: invalid timestamp operation."],
    [
      "month 13",
      ["time_started.$date", ">", "2025-13-01"],
      "Value error, 2025-13-01: must be an ISO-8601 formatted timestamp string",
    ],
    [
      "hour 24",
      ["time_started.$date", ">", "2025-11-03T24:00"],
      "Value error, 2025-11-03T24:00: must be an ISO-8601 formatted timestamp string",
    ],
    [
      "year and month only",
      ["time_started.$date", ">", "2025-11"],
      "Value error, 2025-11: must be an ISO-8601 formatted timestamp string",
    ],
    [
      "a trailing separator",
      ["time_started.$date", ">", "2025-11-03T"],
      "Value error, 2025-11-03T: must be an ISO-8601 formatted timestamp string",
    ],
    [
      "null",
      ["time_started.$date", ">", null],
      "Value error, None: must be an ISO-8601 formatted timestamp string",
    ],
  ])("rejects %s", (_label, filter, msg) => {
    try {
      ids([filter]);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(SimValidationError);
      expect((err as SimValidationError).errors).toEqual([["filters", msg, 22]]);
    }
  });

  it("lets C= through validation, then fails to casefold the datetime", () => {
    expect(pyError(() => ids([["time_started.$date", "C=", "2025-11-03"]]))).toEqual({
      cls: "ValueError",
      text: "<class 'datetime.datetime'>: support for casefolding object type not implemented.",
    });
  });
});
