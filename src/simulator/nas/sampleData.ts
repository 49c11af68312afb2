/**
 * The reference NAS "nas01" (../shared/docs/truenas-samples, imported by scripts/importSamples.ts into
 * typicalData.json), decoded from extended JSON so datetimes are Date objects as in the middleware.
 * Every call returns a fresh deep copy: worlds mutate their state.
 */
import { decodeEjson } from "../../truenas/ejson.js";
import raw from "./typicalData.json" with { type: "json" };

/** A TrueNAS object as the middleware returns it: plain JSON-ish with Dates and Sets. */
export type Row = Record<string, any>;

export function sample<T = Row[]>(name: string): T {
  const value = (raw as Record<string, unknown>)[name];
  if (value === undefined) throw new Error(`no sample named ${name}`);
  return decodeEjson(value) as T;
}
