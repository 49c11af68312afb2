/**
 * Argument checks of a 25.10 query method, in the order the middleware runs them: the pydantic `QueryArgs`
 * model (`api/v25_10_0/common.py`: `filters: list` with an after-validator, `QueryOptions` strict with
 * `extra="forbid"` and `str_max_length=1024` from `api/base/model.py`), whose failures become -32602 with
 * `[loc, msg, 22]` (`api/base/handler/accept.py`), then `validate_filters`/`validate_options` of
 * `utils/filter_list.py`. A ValueError inside a validator reads "Value error, …"; any other exception escapes
 * pydantic and reaches the client as -32001 (e.g. a filter that is a number: "object of type 'int' has no len()").
 */
import { parseIsoDatetime } from "./filterIsoDate.js";
import type { Selector, ValueMaps } from "./filterOps.js";
import { OPMAP } from "./filterOps.js";
import { isDict, pyEq, pyError, pyGetItem, pyIter, pyLen, requireHashable, truthy } from "./filterPython.js";
import { pyStr } from "./filterRepr.js";
import { SimPythonError, SimValidationError } from "./rpcErrors.js";

const MAX_FILTERS_DEPTH = 3;
const TIMESTAMP_DESIGNATOR = ".$date";
const TIMESTAMP_OPS = new Set(["=", "!=", ">", ">=", "<", "<="]);
/** `MAX_LIMIT` arrived in 25.10.1 (absent from TS-25.10.0). */
export const MAX_LIMIT = 10_000;
const STR_MAX = 1024;

/** `QueryOptions.model_dump()`: every option with its default filled in. */
export interface QueryOptions {
  extra: Record<string, unknown>;
  order_by: string[];
  select: Selector[];
  count: boolean;
  get: boolean;
  offset: number;
  limit: number;
  force_sql_filters: boolean;
}

const DEFAULTS: QueryOptions = {
  extra: {},
  order_by: [],
  select: [],
  count: false,
  get: false,
  offset: 0,
  limit: 0,
  force_sql_filters: false,
};

function valueError(text: string): SimPythonError {
  return pyError("ValueError", text);
}

/** Check the `.$date` operands of one condition; record ISO strings into `maps`. */
function checkTimestamps(f0: unknown, op: string, f2: unknown, maps: ValueMaps | null): void {
  for (const operand of [f0, f2]) {
    if (typeof operand !== "string" || !operand.endsWith(TIMESTAMP_DESIGNATOR)) continue;
    if (!TIMESTAMP_OPS.has(op)) throw valueError(`${op}: invalid timestamp operation.`);
    const other = pyEq(operand, f0) ? f2 : f0;
    let ts;
    try {
      if (typeof other !== "string") throw new Error("not a str");
      ts = parseIsoDatetime(other);
    } catch {
      throw valueError(`${pyStr(other)}: must be an ISO-8601 formatted timestamp string`);
    }
    maps?.set(other, ts);
  }
}

/** The operator of a 3-item condition with any `C` prefix removed (`C~` is refused). */
function checkOperator(raw: unknown): string {
  let op = raw;
  if (pyEq(pyGetItem(op, 0), "C")) {
    op = typeof op === "string" ? Array.from(op).slice(1).join("") : (op as unknown[]).slice(1);
    if (op === "~") throw valueError(`Invalid case-insensitive operation: ${pyStr(raw)}`);
  }
  requireHashable(op);
  if (typeof op !== "string" || !OPMAP.has(op)) throw valueError(`Invalid operation: ${pyStr(raw)}`);
  return op;
}

/** `filters.validate_filters`. */
export function validateFilters(filters: unknown, depth = 0, maps: ValueMaps | null = null): void {
  if (depth > MAX_FILTERS_DEPTH) throw valueError("query-filters max recursion depth exceeded");
  for (const f of pyIter(filters)) {
    const n = pyLen(f);
    if (n === 2) {
      const [op, value] = pyIter(f);
      if (!pyEq(op, "OR")) throw valueError(`Invalid operation: ${pyStr(op)}`);
      if (!truthy(value)) throw valueError("OR filter requires at least one branch.");
      for (const branch of pyIter(value)) {
        validateFilters(Array.isArray(pyGetItem(branch, 0)) ? branch : [branch], depth + 1, maps);
      }
      continue;
    }
    if (n !== 3) throw valueError(`Invalid filter ${pyStr(f)}`);
    const op = checkOperator(pyGetItem(f, 1));
    checkTimestamps(pyGetItem(f, 0), op, pyGetItem(f, 2), maps);
  }
}

function validateSelect(select: readonly unknown[]): void {
  for (const s of select) {
    if (typeof s === "string") continue;
    if (!Array.isArray(s)) {
      throw valueError(
        `${pyStr(s)}: selectors must be either a parameter name as a string or a list containing two items ` +
          "[<parameter name>, <as name>] to emulate SELECT <parameter name> AS <as name>.",
      );
    }
    if (s.length !== 2) {
      throw valueError(
        `${pyStr(s)}: A select as list may only contain two parameters: the name of the parameter being ` +
          "selected, and the name to which to assign it in resulting data.",
      );
    }
    s.forEach((selector, idx) => {
      if (typeof selector !== "string")
        throw valueError(`${pyStr(s)}: ${idx === 0 ? "first" : "second"} item must be a string.`);
    });
  }
}

/** `filters.validate_options` (on the dumped model, so types are already right). */
export function validateOptions(o: QueryOptions): void {
  if ((o.get && o.limit > 1) || (o.get && o.offset)) {
    throw valueError("Invalid options combination. `get` implies a single result.");
  }
  if (o.limit > MAX_LIMIT) throw valueError(`Options limit must be between 1 and ${MAX_LIMIT}`);
  validateSelect(o.select);
}

type Problem = [string, string, number];

const strictBool = (v: unknown): string | null =>
  typeof v === "boolean" ? null : "Input should be a valid boolean";
const strictInt = (v: unknown): string | null =>
  typeof v === "number" && Number.isInteger(v) ? null : "Input should be a valid integer";

function strictStr(v: unknown): string | null {
  if (typeof v !== "string") return "Input should be a valid string";
  return Array.from(v).length > STR_MAX ? `String should have at most ${STR_MAX} characters` : null;
}

/** Field checks of the strict `QueryOptions` model, in field order, then the forbidden extra keys. */
function optionProblems(o: Record<string, unknown>): Problem[] {
  const out: Problem[] = [];
  const add = (loc: string, msg: string | null): void => void (msg && out.push([`options.${loc}`, msg, 22]));
  const has = (k: string): boolean => Object.hasOwn(o, k) && o[k] !== undefined;
  if (has("extra") && !isDict(o.extra)) add("extra", "Input should be a valid dictionary");
  if (has("order_by")) {
    if (!Array.isArray(o.order_by)) add("order_by", "Input should be a valid list");
    else o.order_by.forEach((v, i) => add(`order_by.${i}`, strictStr(v)));
  }
  if (has("select")) {
    if (!Array.isArray(o.select)) add("select", "Input should be a valid list");
    else {
      o.select.forEach((v, i) => {
        if (Array.isArray(v) || (typeof v === "string" && !strictStr(v))) return;
        add(`select.${i}.constrained-str`, strictStr(v));
        add(`select.${i}.list[any]`, "Input should be a valid list");
      });
    }
  }
  for (const k of ["count", "get"]) if (has(k)) add(k, strictBool(o[k]));
  for (const k of ["offset", "limit"]) if (has(k)) add(k, strictInt(o[k]));
  if (has("force_sql_filters")) add("force_sql_filters", strictBool(o.force_sql_filters));
  for (const k of Object.keys(o))
    if (!(k in DEFAULTS) && o[k] !== undefined) add(k, "Extra inputs are not permitted");
  return out;
}

/** Run the validator, turning its ValueError into a pydantic "Value error, …" problem; others escape. */
function asProblem(attr: string, check: () => void): Problem[] {
  try {
    check();
    return [];
  } catch (err) {
    if (err instanceof SimPythonError && err.pyClass === "ValueError")
      return [[attr, `Value error, ${err.text}`, 22]];
    throw err;
  }
}

/** The `QueryArgs` model: validated filters and the dumped options, or -32602 listing every problem. */
export function checkQueryArgs(
  filters: unknown,
  options: unknown,
): { filters: unknown[]; options: QueryOptions } {
  const problems: Problem[] = [];
  if (!Array.isArray(filters)) problems.push(["filters", "Input should be a valid list", 22]);
  else problems.push(...asProblem("filters", () => validateFilters(filters)));
  let dumped = DEFAULTS;
  if (!isDict(options))
    problems.push(["options", "Input should be a valid dictionary or instance of QueryOptions", 22]);
  else {
    const fieldProblems = optionProblems(options);
    problems.push(...fieldProblems);
    if (!fieldProblems.length) {
      const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
      dumped = { ...DEFAULTS, ...defined };
      problems.push(...asProblem("options", () => validateOptions(dumped)));
    }
  }
  if (problems.length) throw new SimValidationError(problems);
  return { filters: filters as unknown[], options: dumped };
}
