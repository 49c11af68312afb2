/**
 * fast-check arbitraries for hostile TrueNAS answers (issue 6, "Bad input"). A mutation plan is plain data (node
 * indexes and operations) drawn independently of the answer it is applied to, so one plan per call can be drawn
 * up front and still shrink well. Applied to a real answer in its wire form (JSON with the extended-JSON
 * wrappers of truenas-api.md §1.3), a plan deletes keys, nulls values, swaps types, invents enum values, puts in
 * huge or odd numbers, empties lists, duplicates rows, moves subtrees and plants odd wrappers, at any depth.
 */
import fc from "fast-check";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = readonly (string | number)[];

/** Strings that break naive code: prototype keys, number-like text, template syntax, NUL, lone surrogates. */
const SPECIAL_STRINGS = [
  "",
  " ",
  "UNKNOWN",
  "unknown",
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "NaN",
  "Infinity",
  "-Infinity",
  "1e309",
  "-0",
  "12.5",
  "0x10",
  "null",
  "undefined",
  "true",
  "\u0000",
  "\ud800",
  "a\nb",
  "'\"\\{{ value }}{% raw %}",
  "１２３",
  "💾 disk",
  "/dev/",
  "a/b/../c",
  "9".repeat(400),
  `0-${"9".repeat(400)}`,
  "2500Mb/s",
  "RUNNING",
];

/** Numbers JSON can carry that break arithmetic: overflow on sum, -0, rounding, beyond safe integers. */
export const ODD_NUMBERS = [
  1e308,
  -1e308,
  2 ** 64,
  -(2 ** 64),
  -0,
  0.1 + 0.2,
  5e-324,
  Number.MAX_VALUE,
  Number.MAX_SAFE_INTEGER + 2,
  -(2 ** 53),
  2 ** 31,
  -1,
  0,
  1,
  1.5,
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...SPECIAL_STRINGS), weight: 4 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 12 }), weight: 2 },
  { arbitrary: fc.string({ unit: "grapheme", maxLength: 12 }), weight: 1 },
  { arbitrary: fc.constantFrom(10_000, 100_000).map((n) => "x".repeat(n)), weight: 1 },
);

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  { arbitrary: fc.constantFrom(...ODD_NUMBERS), weight: 4 },
  { arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }), weight: 2 },
  { arbitrary: fc.integer(), weight: 1 },
);

/** Extended-JSON wrappers, valid and not: dates beyond JS range decode to Invalid Date. */
export const hostileWrapper: fc.Arbitrary<Json> = fc.oneof(
  fc.record({ $date: fc.oneof(hostileNumber, fc.constantFrom(8.64e15 + 1, -8.64e15 - 1, 1e20)) }),
  fc.record({ $date: hostileString }),
  fc.record({ $set: fc.array(fc.oneof(hostileString, hostileNumber), { maxLength: 3 }) }),
  fc.record({ $time: hostileString }),
  fc.record({ $type: fc.constant("date"), $value: hostileString }),
  fc.record({ $ipv4_interface: hostileString }),
);

/** Any hostile JSON value, nested a few levels (fc.letrec ties the knot). */
export const hostileJson: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    hostileNumber,
    hostileString,
    hostileWrapper,
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(fc.oneof(hostileString, fc.string({ maxLength: 6 })), tie("value"), { maxKeys: 3 }),
  ),
})).value;

/** One step of a plan, applied at node `at` (modulo the node count, root first, depth-first). */
export type MutationOp =
  | { readonly op: "delete" }
  | { readonly op: "null" }
  /** Replace with a value of another type: the first candidate whose type differs, from `turn` on. */
  | { readonly op: "swap"; readonly turn: number; readonly candidates: readonly Json[] }
  | { readonly op: "string"; readonly value: string }
  /** Re-case or extend an existing string: an enum value TrueNAS never sent. */
  | { readonly op: "enum"; readonly how: "upper" | "lower" | "suffix" | "prefix" }
  | { readonly op: "number"; readonly value: number }
  | { readonly op: "empty" }
  | { readonly op: "duplicate"; readonly index: number }
  | { readonly op: "transplant"; readonly from: number }
  | { readonly op: "junk"; readonly value: Json };

export interface MutationStep {
  readonly at: number;
  readonly mutation: MutationOp;
}

const mutationOp: fc.Arbitrary<MutationOp> = fc.oneof(
  fc.constant({ op: "delete" } as const),
  fc.constant({ op: "null" } as const),
  fc.record({
    op: fc.constant("swap" as const),
    turn: fc.nat(4),
    candidates: fc.tuple(
      hostileString,
      hostileNumber,
      fc.boolean(),
      fc.dictionary(fc.string({ maxLength: 4 }), hostileJson, { maxKeys: 2 }),
      fc.array(hostileJson, { maxLength: 2 }),
    ),
  }),
  fc.record({ op: fc.constant("string" as const), value: hostileString }),
  fc.record({ op: fc.constant("enum" as const), how: fc.constantFrom("upper", "lower", "suffix", "prefix") }),
  fc.record({ op: fc.constant("number" as const), value: hostileNumber }),
  fc.constant({ op: "empty" } as const),
  fc.record({ op: fc.constant("duplicate" as const), index: fc.nat() }),
  fc.record({ op: fc.constant("transplant" as const), from: fc.nat() }),
  fc.record({ op: fc.constant("junk" as const), value: fc.oneof(hostileJson, hostileWrapper) }),
);

export const mutationStep: fc.Arbitrary<MutationStep> = fc.record({ at: fc.nat(), mutation: mutationOp });

/** A plan of 0..maxSteps steps (an empty plan leaves the answer as TrueNAS sent it). */
export function mutationPlan(maxSteps = 6): fc.Arbitrary<readonly MutationStep[]> {
  return fc.array(mutationStep, { minLength: 0, maxLength: maxSteps });
}

function isObject(v: unknown): v is { [key: string]: Json } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Every node's path, root first, depth-first. */
export function jsonPaths(value: Json): Path[] {
  const out: Path[] = [];
  const walk = (v: Json, path: Path): void => {
    out.push(path);
    if (Array.isArray(v)) v.forEach((item, i) => walk(item, [...path, i]));
    else if (isObject(v)) for (const [k, item] of Object.entries(v)) walk(item, [...path, k]);
  };
  walk(value, []);
  return out;
}

function getAt(root: Json, path: Path): Json {
  let node: Json = root;
  for (const step of path) node = (node as Record<string | number, Json>)[step] as Json;
  return node;
}

/** The parent of `path` and the last step, or null for the root. */
function parentOf(root: Json, path: Path): { parent: Json; step: string | number } | null {
  if (path.length === 0) return null;
  return { parent: getAt(root, path.slice(0, -1)), step: path[path.length - 1] as string | number };
}

function setAt(root: Json, path: Path, value: Json): Json {
  const at = parentOf(root, path);
  if (at === null) return value;
  // defineProperty keeps a `__proto__` key an own data property, as JSON.parse makes it.
  Object.defineProperty(at.parent, at.step, { value, writable: true, enumerable: true, configurable: true });
  return root;
}

function deleteAt(root: Json, path: Path): Json {
  const at = parentOf(root, path);
  if (at === null) return null;
  if (Array.isArray(at.parent)) at.parent.splice(at.step as number, 1);
  else delete (at.parent as Record<string, Json>)[at.step];
  return root;
}

function typeOf(v: Json): string {
  return v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
}

function reEnum(v: Json, how: "upper" | "lower" | "suffix" | "prefix"): Json {
  if (typeof v !== "string") return how === "suffix" ? "EXTRA" : "other";
  if (how === "upper") return v.toUpperCase();
  if (how === "lower") return v.toLowerCase();
  return how === "suffix" ? `${v}_NEW` : `NEW_${v}`;
}

function applyStep(root: Json, step: MutationStep): Json {
  const paths = jsonPaths(root);
  const path = paths[step.at % paths.length] as Path;
  const node = getAt(root, path);
  const m = step.mutation;
  switch (m.op) {
    case "delete":
      return deleteAt(root, path);
    case "null":
      return setAt(root, path, null);
    case "swap": {
      const n = m.candidates.length;
      const order = Array.from({ length: n }, (_, i) => m.candidates[(m.turn + i) % n] as Json);
      return setAt(root, path, order.find((c) => typeOf(c) !== typeOf(node)) ?? null);
    }
    case "string":
      return setAt(root, path, m.value);
    case "enum":
      return setAt(root, path, reEnum(node, m.how));
    case "number":
      return setAt(root, path, m.value);
    case "empty":
      return setAt(root, path, isObject(node) ? {} : []);
    case "duplicate": {
      if (!Array.isArray(node) || node.length === 0) return root;
      const i = m.index % node.length;
      node.splice(i, 0, structuredClone(node[i] as Json));
      return root;
    }
    case "transplant":
      return setAt(root, path, structuredClone(getAt(root, paths[m.from % paths.length] as Path)));
    case "junk":
      return setAt(root, path, m.value);
  }
}

/** The plan applied to a copy of `value` (the original is left alone). */
export function applyPlan(value: Json, plan: readonly MutationStep[]): Json {
  let root = structuredClone(value);
  for (const step of plan) root = applyStep(root, step);
  return root;
}

/** Hostile variants of one real answer. */
export function hostileVariant(value: Json, maxSteps = 6): fc.Arbitrary<Json> {
  return mutationPlan(maxSteps).map((plan) => applyPlan(value, plan));
}
