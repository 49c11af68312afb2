/**
 * The `~` operator is Python's `re.match` (CPython 3.11 `re`), not a JavaScript RegExp: the pattern is
 * translated (src/simulator/filterRegex.ts). Each row is what Python answers for `re.match(pattern, text)`.
 */
import { describe, expect, it } from "vitest";
import { queryList } from "../../src/simulator/filters.js";
import { pyReMatch } from "../../src/simulator/filterRegex.js";
import { SimPythonError } from "../../src/simulator/rpcErrors.js";

describe("re.match semantics", () => {
  it.each<[string, string, string, boolean]>([
    ["anchored at the start", "d", "sdb", false],
    ["a prefix is enough", "sd", "sdb", true],
    ["alternation is anchored too", "x|s", "sdb", true],
    ["$ matches before a final newline", "abc$", "abc\n", true],
    ["\\Z is the very end", "abc\\Z", "abc\n", false],
    [". matches \\r but not \\n", ".", "\r", true],
    [". does not match \\n", ".", "\n", false],
    ["(?s) lets . match \\n", "(?s).", "\n", true],
    ["\\d is Unicode", "\\d", "٣", true],
    ["(?a) makes \\d ASCII", "(?a)\\d", "٣", false],
    ["\\w is Unicode", "\\w+$", "naïve", true],
    ["\\b is a Unicode word boundary", "é\\b", "é!", true],
    ["\\B never matches an empty string (3.11)", "\\B", "", false],
    ["named group and back-reference", "(?P<x>a)(?P=x)", "aa", true],
    ["{,2} is {0,2}", "a{,2}b", "aab", true],
    ["{ that is not a repeat is literal", "x{", "x{", true],
    ["] first in a class is literal", "[]a]+$", "]a]", true],
    ["negated category inside a class", "[^\\W\\d]", "1", false],
    ["negated category inside a class (letter)", "[^\\W\\d]", "a", true],
    ["(?i) at the start", "(?i)ABC", "abc", true],
    ["verbose mode ignores spaces and comments", "(?x) a b  # comment", "ab", true],
    ["(?m) $ before each newline", "(?m)a$\nb", "a\nb", true],
    ["scoped flags", "(?s:a.)b", "a\nb", true],
    ["\\x \\u \\U escapes", "\\x41\\u0042\\U00000043", "ABC", true],
    ["octal escape", "\\101", "A", true],
    ["a comment group is skipped", "a(?#note)*", "aaa", true],
  ])("%s: re.match(%j, %j)", (_label, pattern, text, expected) => {
    expect(pyReMatch(pattern, text)).toBe(expected);
  });
});

describe("compile errors are re.error with Python's text (-32001)", () => {
  it.each<[string, string]>([
    ["*", "nothing to repeat at position 0"],
    ["a**", "multiple repeat at position 2"],
    ["^*", "nothing to repeat at position 1"],
    ["(", "missing ), unterminated subpattern at position 0"],
    ["a)", "unbalanced parenthesis at position 1"],
    ["[a", "unterminated character set at position 0"],
    ["\\q", "bad escape \\q at position 0"],
    ["a{3,2}", "min repeat greater than max repeat at position 2"],
    ["(?P<1a>x)", "bad character in group name '1a' at position 4"],
    ["(a)\\2", "invalid group reference 2 at position 4"],
    ["(a\\1)", "cannot refer to an open group at position 2"],
    ["(?i)a(?s)b", "global flags not at the start of the expression at position 5"],
    ["[z-a]", "bad character range z-a at position 1"],
    ["a\n*(", "missing ), unterminated subpattern at position 3 (line 2, column 2)"],
  ])("%j", (pattern, text) => {
    let err: unknown;
    try {
      queryList([{ name: "x" }], [["name", "~", pattern]]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SimPythonError);
    expect(err).toMatchObject({ pyClass: "error", text });
    expect((err as SimPythonError).toJsonRpc().code).toBe(-32001);
  });

  it("compiles only when a row reaches the operator", () => {
    expect(queryList([{ other: 1 }], [["name", "~", "("]])).toEqual([]);
  });

  it("says so when a valid Python construct has no JavaScript equivalent", () => {
    expect(() => pyReMatch("(?>a)", "a")).toThrow(/not supported by the simulator/);
  });
});
