/**
 * Jinja value templates that read one field of an object's JSON state document and never fail: a missing field,
 * a null, a wrong type or a non-JSON payload renders `None`, which HA turns into the `unknown` state for sensors,
 * binary sensors and switches (`mqtt/sensor.py` `_update_state`: `payload == PAYLOAD_NONE`; ha-mqtt-discovery.md
 * §3.4, §3.5). Lookups use `.get()` so field names like `items` or `keys` are not taken for dict methods, and
 * `value_json` is only used after `is mapping` (it is undefined when the payload is not JSON).
 */

const FIELD_SEGMENT = /^[A-Za-z0-9_]+$/;
/** HA warns about, and then drops, text states longer than this (§3.4 `check_state_too_long`). */
const MAX_TEXT_STATE = 255;

/** A Jinja string literal for any text. */
export function jinjaString(text: string): string {
  const escaped = text
    .replace(/\\/g, "\\\\")
    .replace(/'/g, "\\'")
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r");
  return `'${escaped}'`;
}

/** Splits a dotted field path (`scrub.state`), refusing anything but `[A-Za-z0-9_]` segments. */
export function fieldPath(field: string): string[] {
  const segments = field.split(".");
  for (const segment of segments) {
    if (!FIELD_SEGMENT.test(segment))
      throw new TypeError(`field path segments must match [A-Za-z0-9_]+: ${field}`);
  }
  return segments;
}

/** Statements leaving the field's value (or none) in `name`. */
function lookup(name: string, field: string): string {
  const steps = fieldPath(field).map(
    (segment) => `{% set ${name} = ${name}.get(${jinjaString(segment)}) if ${name} is mapping else none %}`,
  );
  return `{% set ${name} = value_json if value_json is mapping else none %}${steps.join("")}`;
}

/** A number (not a boolean: Python's `True` is a number), else None. */
export function numberTemplate(field: string): string {
  return `${lookup("v", field)}{{ v if v is number and v is not boolean else none }}`;
}

/** A string cut to 255 characters, a number as text, else None. */
export function textTemplate(field: string): string {
  return `${lookup("v", field)}{{ v[:${MAX_TEXT_STATE}] if v is string else (v if v is number else none) }}`;
}

/** A non-empty string (an ISO-8601 timestamp in the document), else None. */
export function timestampTemplate(field: string): string {
  return `${lookup("v", field)}{{ v if v is string and v != '' else none }}`;
}

/** The value lower-cased if it is one of `options`, else `fallback` (an option) or None. */
export function enumTemplate(field: string, options: readonly string[], fallback?: string): string {
  const list = `[${options.map(jinjaString).join(", ")}]`;
  const otherwise = fallback === undefined ? "none" : jinjaString(fallback);
  return `${lookup("v", field)}{% set s = v | lower if v is string else none %}{{ s if s in ${list} else ${otherwise} }}`;
}

/** `ON`/`OFF` from a boolean (swapped by `invert`), None for anything else. */
export function onOffTemplate(field: string, invert = false): string {
  const [whenTrue, whenFalse] = invert ? ["OFF", "ON"] : ["ON", "OFF"];
  return `${lookup("v", field)}{{ ('${whenTrue}' if v else '${whenFalse}') if v is boolean else none }}`;
}

/**
 * A JSON object for the update entity (§3.8) with only the keys that have a usable value: HA reads
 * `installed_version`/`latest_version` as strings, so a null must be left out rather than sent.
 */
export function updateTemplate(fields: {
  readonly installed: string;
  readonly latest: string;
  readonly inProgress?: string;
  readonly percentage?: string;
}): string {
  const parts = [
    `${lookup("i", fields.installed)}${lookup("l", fields.latest)}`,
    fields.inProgress === undefined ? "{% set p = none %}" : lookup("p", fields.inProgress),
    fields.percentage === undefined ? "{% set u = none %}" : lookup("u", fields.percentage),
    `{"in_progress": {{ 'true' if p is boolean and p else 'false' }}`,
    `{% if i is string %}, "installed_version": {{ i | tojson }}{% endif %}`,
    `{% if l is string %}, "latest_version": {{ l | tojson }}{% endif %}`,
    `{% if u is number and u is not boolean %}, "update_percentage": {{ u }}{% endif %}}`,
  ];
  return parts.join("");
}

/** The field as a JSON object for `json_attributes_template`; `{}` when it is not a mapping. */
export function attributesTemplate(field?: string): string {
  if (field === undefined) return "{{ (value_json if value_json is mapping else {}) | tojson }}";
  return `${lookup("v", field)}{{ (v if v is mapping else {}) | tojson }}`;
}
