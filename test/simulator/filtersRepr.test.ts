/**
 * Python `repr()` of the values that end up inside middleware error texts ("Invalid filter ['a', 1]",
 * select messages, `{other}: must be an ISO-8601 ...`). Each row is what CPython 3.11 prints.
 */
import { describe, expect, it } from "vitest";
import { markAwareDatetime } from "../../src/simulator/filters.js";
import { pyRepr, pyStr } from "../../src/simulator/filterRepr.js";

describe("pyRepr", () => {
  it.each<[string, unknown, string]>([
    ["None", null, "None"],
    ["True", true, "True"],
    ["False", false, "False"],
    ["int", 1, "1"],
    ["float", 1.5, "1.5"],
    ["small float uses a 2-digit exponent", 1e-5, "1e-05"],
    ["1e-4 stays positional", 0.0001, "0.0001"],
    ["smaller float", 1.5e-7, "1.5e-07"],
    ["large float", 123456789.125, "123456789.125"],
    ["str with a single quote uses double quotes", "it's", `"it's"`],
    ["str with a double quote", 'a"b', `'a"b'`],
    ["str with both quotes escapes the single one", `both'"`, `'both\\'"'`],
    ["tab and newline", "tab\tnl\nq", "'tab\\tnl\\nq'"],
    ["control characters", "\x00\x7f", "'\\x00\\x7f'"],
    ["printable non-ASCII stays, format characters are escaped", "é\u200b😀", "'é\\u200b😀'"],
    ["list", [1, "a", null], "[1, 'a', None]"],
    ["dict", { a: 1, b: [true] }, "{'a': 1, 'b': [True]}"],
    ["empty set", new Set(), "set()"],
    ["set", new Set(["x"]), "{'x'}"],
    [
      "naive datetime",
      new Date(Date.UTC(2025, 10, 3, 2, 18, 20)),
      "datetime.datetime(2025, 11, 3, 2, 18, 20)",
    ],
    [
      "datetime on a whole minute",
      new Date(Date.UTC(2025, 10, 3, 2, 18)),
      "datetime.datetime(2025, 11, 3, 2, 18)",
    ],
    [
      "aware datetime with microseconds",
      markAwareDatetime(new Date(Date.UTC(2025, 10, 3, 2, 18, 20, 500))),
      "datetime.datetime(2025, 11, 3, 2, 18, 20, 500000, tzinfo=datetime.timezone.utc)",
    ],
  ])("%s", (_label, value, expected) => {
    expect(pyRepr(value)).toBe(expected);
  });

  it("str() is the text itself for strings and repr() otherwise", () => {
    expect(pyStr("a'b")).toBe("a'b");
    expect(pyStr(["a"])).toBe("['a']");
  });
});
