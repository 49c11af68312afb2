/** The hostile-answer arbitraries themselves: they must reach every depth and leave the real answer alone. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyPlan, hostileVariant, jsonPaths, type Json } from "../support/arbitraries.js";

const ANSWER: Json = {
  pools: [{ name: "tank", topology: { data: [{ children: [{ stats: { read_errors: 0 } }] }] } }],
};

describe("hostile-answer arbitraries", () => {
  it("never change the answer they start from", () => {
    const before = JSON.stringify(ANSWER);
    fc.assert(
      fc.property(hostileVariant(ANSWER), () => JSON.stringify(ANSWER) === before),
      { numRuns: 200 },
    );
  });

  it("reach the deepest node: some variant changes the leaf nine levels down", () => {
    const leafPath = jsonPaths(ANSWER).at(-1)!;
    expect(leafPath).toHaveLength(9);
    const deepest = (v: Json): unknown =>
      leafPath.reduce<unknown>(
        (n, k) => (n !== null && typeof n === "object" ? (n as Record<string, unknown>)[k] : undefined),
        v,
      );
    const changed = fc
      .sample(hostileVariant(ANSWER, 1), { numRuns: 2000, seed: 1 })
      .filter((v) => deepest(v) !== 0);
    expect(changed.length).toBeGreaterThan(0);
  });

  it("apply the same plan the same way (a failing plan replays)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.nat(), mutation: fc.constant({ op: "null" as const }) })),
        (plan) => {
          expect(applyPlan(ANSWER, plan)).toEqual(applyPlan(ANSWER, plan));
        },
      ),
      { numRuns: 100 },
    );
  });
});
