/**
 * Shared helpers for the world tests: the reference samples from ../shared (present in the repository checkout
 * and CI, never shipped), wire round-trips through the server's extended-JSON encoder, and shape signatures.
 */
import { readFileSync } from "node:fs";
import { SAMPLE_NOW_MS } from "../../../src/simulator/world/profiles/typicalSystem.js";
import { SimWorld, type SimWorldOptions } from "../../../src/simulator/world/world.js";
import type { CollectionEvent, SimVersion } from "../../../src/simulator/types.js";
import { stringifyEjson } from "../../../src/truenas/ejson.js";

export { SAMPLE_NOW_MS };

const SAMPLES = new URL("../../../../shared/docs/truenas-samples/", import.meta.url);

/** A sample file's `result`, `error` (responses) or `params` (events), as JSON (dates stay `{"$date": ms}`). */
export function sample(file: string): any {
  const doc = JSON.parse(readFileSync(new URL(file, SAMPLES), "utf8"));
  return "result" in doc ? doc.result : "error" in doc ? doc.error : doc.params;
}

/** What the client would receive: the value through the server's encoder and back as plain JSON. */
export function wire(value: unknown): any {
  return JSON.parse(stringifyEjson(value));
}

/**
 * A value's shape: objects map keys to shapes, arrays take the shape of their first element, scalars their JSON
 * type ("null" stays distinct). Two values with equal shapes have the same keys and value types.
 */
export function shape(value: unknown): unknown {
  if (value === null) return "null";
  if (Array.isArray(value)) return value.length === 0 ? [] : [shape(value[0])];
  if (typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (Object.keys(obj).length === 1 && "$date" in obj) return "date";
    return Object.fromEntries(
      Object.keys(obj)
        .sort()
        .map((k) => [k, shape(obj[k])]),
    );
  }
  return typeof value;
}

/** A world on a fixed clock that tests move by hand; `tick(ms)` advances the clock and the drift together. */
export function clockedWorld(opts: Partial<SimWorldOptions> & { version?: SimVersion } = {}) {
  let now = opts.now?.() ?? SAMPLE_NOW_MS;
  const world = new SimWorld({ profile: "typical", version: "25.10", ...opts, now: () => now });
  const events: CollectionEvent[] = [];
  world.onEvent((e) => events.push(e));
  return {
    world,
    events,
    tick(ms: number): void {
      now += ms;
      world.advance(ms);
    },
    setNow(ms: number): void {
      now = ms;
    },
    /** Events of one collection, as the client receives them. */
    of(collection: string): any[] {
      return events.filter((e) => e.collection === collection).map(wire);
    },
  };
}

/** Call and return what the client would see. */
export function callWire(world: SimWorld, method: string, params: unknown[] = []): any {
  return wire(world.call(method, params));
}

/** The JSON-RPC error object a call fails with (throws if it succeeds). */
export function callError(world: SimWorld, method: string, params: unknown[] = []): any {
  try {
    world.call(method, params);
  } catch (err) {
    const e = err as { toJsonRpc?: () => unknown };
    if (typeof e.toJsonRpc === "function") return e.toJsonRpc();
    throw err;
  }
  throw new Error(`${method} did not fail`);
}
