/**
 * Argument validation before any evaluation: the 25.10 `QueryArgs` pydantic model (`api/v25_10_0/common.py`,
 * strict, extra keys forbidden) wrapping `validate_filters`/`validate_options` of `utils/filter_list.py`.
 * Model failures are -32602 with `[loc, message, 22]` items; a validator that trips over a non-sequence raises a
 * plain Python exception, which pydantic does not catch, so the client sees -32001.
 */
import { describe, expect, it } from "vitest";
import { queryList } from "../../src/simulator/filters.js";
import { SimPythonError, SimValidationError } from "../../src/simulator/rpcErrors.js";

const ROWS = [{ id: 1, name: "tank" }];

function validationErrors(filters: unknown, options: unknown): unknown {
  try {
    queryList(ROWS, filters, options);
  } catch (err) {
    if (err instanceof SimValidationError) return err.errors;
    throw err;
  }
  throw new Error("expected a validation error");
}

describe("filters rejected by the argument model (-32602)", () => {
  it.each<[string, unknown, string]>([
    ["null", null, "Input should be a valid list"],
    ["a string", "name", "Input should be a valid list"],
    ["an object", { name: "tank" }, "Input should be a valid list"],
    ["an unknown operator", [["name", "==", "tank"]], "Value error, Invalid operation: =="],
    ["a lower-case C", [["name", "c=", "tank"]], "Value error, Invalid operation: c="],
    ["an unknown C operator", [["name", "Cxx", "tank"]], "Value error, Invalid operation: Cxx"],
    ["a bare C", [["name", "C", "tank"]], "Value error, Invalid operation: C"],
    ["C~", [["name", "C~", "t"]], "Value error, Invalid case-insensitive operation: C~"],
    ["two items that are not OR", [["name", "="]], "Value error, Invalid operation: name"],
    ["four items", [["name", "=", "tank", 1]], "Value error, Invalid filter ['name', '=', 'tank', 1]"],
    ["one item", [["name"]], "Value error, Invalid filter ['name']"],
    ["a string that is not a condition", ["name"], "Value error, Invalid filter name"],
    ["an empty OR", [["OR", []]], "Value error, OR filter requires at least one branch."],
    [
      "OR nested four deep",
      [["OR", [["OR", [["OR", [["OR", [["id", "=", 1]]]]]]]]]],
      "Value error, query-filters max recursion depth exceeded",
    ],
    [
      "a bad condition inside an AND group",
      [
        [
          "OR",
          [
            [
              ["id", "=", 1],
              ["id", "=~", 2],
            ],
          ],
        ],
      ],
      "Value error, Invalid operation: =~",
    ],
    [
      "a .$date with a non-comparison",
      [["t.$date", "in", "2025-11-01"]],
      "Value error, in: invalid timestamp operation.",
    ],
    [
      "a .$date with a bad timestamp",
      [["t.$date", ">", "yesterday"]],
      "Value error, yesterday: must be an ISO-8601 formatted timestamp string",
    ],
    [
      "a .$date with a non-string value",
      [["t.$date", ">", 5]],
      "Value error, 5: must be an ISO-8601 formatted timestamp string",
    ],
  ])("%s", (_label, filters, msg) => {
    expect(validationErrors(filters, {})).toEqual([["filters", msg, 22]]);
  });
});

describe("options rejected by the argument model (-32602)", () => {
  it.each<[string, unknown, Array<[string, string, number]>]>([
    ["null", null, [["options", "Input should be a valid dictionary or instance of QueryOptions", 22]]],
    ["a list", [], [["options", "Input should be a valid dictionary or instance of QueryOptions", 22]]],
    ["an unknown key", { nope: 1 }, [["options.nope", "Extra inputs are not permitted", 22]]],
    ["a non-boolean count", { count: 1 }, [["options.count", "Input should be a valid boolean", 22]]],
    ["a null get", { get: null }, [["options.get", "Input should be a valid boolean", 22]]],
    [
      "a string limit (strict: no coercion)",
      { limit: "5" },
      [["options.limit", "Input should be a valid integer", 22]],
    ],
    ["a fractional offset", { offset: 1.5 }, [["options.offset", "Input should be a valid integer", 22]]],
    ["a boolean limit", { limit: true }, [["options.limit", "Input should be a valid integer", 22]]],
    [
      "extra that is not a dict",
      { extra: [] },
      [["options.extra", "Input should be a valid dictionary", 22]],
    ],
    [
      "order_by that is not a list",
      { order_by: "name" },
      [["options.order_by", "Input should be a valid list", 22]],
    ],
    [
      "a non-string order_by item",
      { order_by: ["name", 1] },
      [["options.order_by.1", "Input should be a valid string", 22]],
    ],
    [
      "an order_by item over 1024 characters",
      { order_by: ["x".repeat(1025)] },
      [["options.order_by.0", "String should have at most 1024 characters", 22]],
    ],
    [
      "a select item that is neither a string nor a list",
      { select: [5] },
      [
        ["options.select.0.constrained-str", "Input should be a valid string", 22],
        ["options.select.0.list[any]", "Input should be a valid list", 22],
      ],
    ],
    [
      "a select pair of the wrong length",
      { select: [["name"]] },
      [
        [
          "options",
          "Value error, ['name']: A select as list may only contain two parameters: the name of the parameter being selected, and the name to which to assign it in resulting data.",
          22,
        ],
      ],
    ],
    [
      "a select pair with a non-string",
      { select: [["name", 1]] },
      [["options", "Value error, ['name', 1]: second item must be a string.", 22]],
    ],
    [
      "several field errors at once, in field order, extra keys last",
      { zz: 1, limit: "x", count: 1 },
      [
        ["options.count", "Input should be a valid boolean", 22],
        ["options.limit", "Input should be a valid integer", 22],
        ["options.zz", "Extra inputs are not permitted", 22],
      ],
    ],
  ])("%s", (_label, options, errors) => {
    expect(validationErrors([], options)).toEqual(errors);
  });

  it("reports filter and option problems together", () => {
    expect(validationErrors([["id", "==", 1]], { get: true, limit: 5 })).toEqual([
      ["filters", "Value error, Invalid operation: ==", 22],
      ["options", "Value error, Invalid options combination. `get` implies a single result.", 22],
    ]);
  });

  it("has the wire shape of the middleware's ValidationErrors", () => {
    try {
      queryList(ROWS, [["name", "==", "tank"]]);
    } catch (err) {
      expect((err as SimValidationError).toJsonRpc()).toMatchObject({
        code: -32602,
        message: "Invalid params",
        data: {
          error: 22,
          errname: "EINVAL",
          reason: "[EINVAL] filters: Value error, Invalid operation: ==\n",
          extra: [["filters", "Value error, Invalid operation: ==", 22]],
        },
      });
    }
  });
});

describe("malformed filters that escape the model as Python exceptions (-32001)", () => {
  it.each<[string, unknown, string, string]>([
    ["a number as a condition", [5], "TypeError", "object of type 'int' has no len()"],
    ["null as a condition", [null], "TypeError", "object of type 'NoneType' has no len()"],
    ["a number as the operator", [["name", 5, "x"]], "TypeError", "'int' object is not subscriptable"],
    ["an empty operator", [["name", "", "x"]], "IndexError", "string index out of range"],
    ["a list as the operator", [["name", ["x"], "x"]], "TypeError", "unhashable type: 'list'"],
    ["an empty AND group", [["OR", [[]]]], "IndexError", "list index out of range"],
    ["OR over a number", [["OR", 5]], "TypeError", "'int' object is not iterable"],
    ["a 3-key object as a condition", [{ a: 1, b: 2, c: 3 }], "KeyError", "1"],
  ])("%s", (_label, filters, cls, text) => {
    let err: unknown;
    try {
      queryList(ROWS, filters);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SimPythonError);
    expect(err).toMatchObject({ pyClass: cls, text });
    expect((err as SimPythonError).toJsonRpc()).toMatchObject({
      code: -32001,
      data: { errname: "EINVAL", reason: text },
    });
  });

  it("accepts a three-character string as a condition, as Python unpacks it", () => {
    expect(queryList([{ a: "b" }, { a: "c" }], ["a=b"])).toEqual([{ a: "b" }]);
  });
});
