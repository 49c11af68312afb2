/** Argument checks the middleware's models make before a method runs (answered as -32602). */
import { SimValidationError } from "../rpcErrors.js";
import type { Row } from "./sampleData.js";

export function expectArgs(params: unknown[], max: number): void {
  if (params.length > max) {
    throw new SimValidationError([["", `Too many arguments (expected ${max}, found ${params.length})`, 22]]);
  }
}

/** `[filters = [], options = {}]` of a query method; shapes are checked by the filter engine. */
export function queryArgs(params: unknown[]): { filters: unknown; options: Row } {
  expectArgs(params, 2);
  const options = params[1] ?? {};
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new SimValidationError([["options", "Input should be a valid dictionary", 22]]);
  }
  return { filters: params[0] ?? [], options: options };
}

export function stringList(value: unknown, attr: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw new SimValidationError([[attr, "Input should be a valid list", 22]]);
  }
  return value as string[];
}
