/**
 * The template strings are pinned exactly: each was rendered with Jinja2 3.1's ImmutableSandboxedEnvironment
 * (HA's engine) against documents with the field present, null, missing, of the wrong type, a non-JSON payload
 * and a JSON array, and rendered the value or `None` without raising. Change them only after re-checking that.
 */
import { describe, expect, it } from "vitest";
import {
  attributesTemplate,
  enumTemplate,
  fieldPath,
  jinjaString,
  numberTemplate,
  onOffTemplate,
  textTemplate,
  timestampTemplate,
  updateTemplate,
} from "../../src/entities/templates.js";

const LOOKUP_A_B =
  "{% set v = value_json if value_json is mapping else none %}" +
  "{% set v = v.get('a') if v is mapping else none %}" +
  "{% set v = v.get('b') if v is mapping else none %}";

describe("value templates", () => {
  const cases: [string, string, string][] = [
    ["number", numberTemplate("a.b"), "{{ v if v is number and v is not boolean else none }}"],
    ["text", textTemplate("a.b"), "{{ v[:255] if v is string else (v if v is number else none) }}"],
    ["timestamp", timestampTemplate("a.b"), "{{ v if v is string and v != '' else none }}"],
    [
      "enum",
      enumTemplate("a.b", ["online", "degraded"]),
      "{% set s = v | lower if v is string else none %}{{ s if s in ['online', 'degraded'] else none }}",
    ],
    [
      "enum with fallback",
      enumTemplate("a.b", ["online", "unknown"], "unknown"),
      "{% set s = v | lower if v is string else none %}{{ s if s in ['online', 'unknown'] else 'unknown' }}",
    ],
    ["on/off", onOffTemplate("a.b"), "{{ ('ON' if v else 'OFF') if v is boolean else none }}"],
    ["inverted on/off", onOffTemplate("a.b", true), "{{ ('OFF' if v else 'ON') if v is boolean else none }}"],
    ["attributes", attributesTemplate("a.b"), "{{ (v if v is mapping else {}) | tojson }}"],
  ];

  it.each(cases)("%s: looks the field up safely, then renders", (_label, template, render) => {
    expect(template).toBe(`${LOOKUP_A_B}${render}`);
  });

  it("reads a whole detail document as attributes", () => {
    expect(attributesTemplate()).toBe("{{ (value_json if value_json is mapping else {}) | tojson }}");
  });

  it("builds the update JSON leaving out what is not a string", () => {
    const template = updateTemplate({ installed: "version", latest: "latest" });
    expect(template).toContain("{% set i = i.get('version') if i is mapping else none %}");
    expect(template).toContain("{% set p = none %}{% set u = none %}");
    expect(template).toContain(`{% if i is string %}, "installed_version": {{ i | tojson }}{% endif %}`);
    expect(template).toContain(`{% if l is string %}, "latest_version": {{ l | tojson }}{% endif %}`);
    expect(template.startsWith("{% set i = value_json")).toBe(true);
    expect(template.endsWith("{% endif %}}")).toBe(true);
  });

  it("reads progress fields when given", () => {
    const template = updateTemplate({
      installed: "v",
      latest: "l",
      inProgress: "job.running",
      percentage: "job.pct",
    });
    expect(template).toContain("{% set p = p.get('running') if p is mapping else none %}");
    expect(template).toContain("{% set u = u.get('pct') if u is mapping else none %}");
  });
});

describe("template literals and field paths", () => {
  it("quotes any text as a Jinja string", () => {
    expect(jinjaString("it's")).toBe("'it\\'s'");
    expect(jinjaString("a\\b")).toBe("'a\\\\b'");
    expect(jinjaString("}} {% x %}\n")).toBe("'}} {% x %}\\n'");
  });

  it("escapes enum options", () => {
    expect(enumTemplate("s", ["it's"])).toContain("['it\\'s']");
  });

  it("accepts dotted identifier paths only", () => {
    expect(fieldPath("scrub.state")).toEqual(["scrub", "state"]);
    for (const bad of ["", "a..b", "a b", "a'b", "a}}", "a.b-c"]) {
      expect(() => fieldPath(bad)).toThrow(TypeError);
    }
  });
});
