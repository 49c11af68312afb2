import { describe, expect, it } from "vitest";
import { AUTH_BACKOFF, backoffDelay, CONNECT_BACKOFF } from "../../src/truenas/backoff.js";

const low = (): number => 0;
const high = (): number => 1; // the top of the range (Math.random never quite gets there)
const mid = (): number => 0.5;

describe("backoffDelay", () => {
  it.each([
    [0, high, 1_000],
    [1, high, 2_000],
    [2, high, 4_000],
    [5, high, 32_000],
    [6, high, 60_000],
    [50, high, 60_000],
    [5000, high, 60_000],
    [3, mid, 4_500],
    [0, low, 1_000],
    [10, low, 1_000],
  ])("connect policy: attempt %i -> %i ms", (attempt, random, expected) => {
    expect(backoffDelay(attempt, CONNECT_BACKOFF, random)).toBe(expected);
  });

  it.each([
    [0, high, 60_000],
    [1, high, 120_000],
    [2, high, 240_000],
    [3, high, 480_000],
    [4, high, 900_000],
    [9, high, 900_000],
    [7, low, 60_000],
  ])("auth policy: attempt %i -> %i ms (never under a minute)", (attempt, random, expected) => {
    expect(backoffDelay(attempt, AUTH_BACKOFF, random)).toBe(expected);
  });

  it("stays within [base, cap] for any random draw and attempt", () => {
    for (let attempt = 0; attempt < 40; attempt++) {
      for (const r of [0, 0.1, 0.37, 0.5, 0.99, 1, -1, 2]) {
        const d = backoffDelay(attempt, CONNECT_BACKOFF, () => r);
        expect(d).toBeGreaterThanOrEqual(1_000);
        expect(d).toBeLessThanOrEqual(60_000);
      }
    }
  });

  it("treats odd attempts and policies safely", () => {
    expect(backoffDelay(-3, CONNECT_BACKOFF, high)).toBe(1_000);
    expect(backoffDelay(Number.NaN, CONNECT_BACKOFF, high)).toBe(1_000);
    expect(backoffDelay(2, { baseMs: 500, factor: 0.5, maxMs: 100 }, high)).toBe(500);
  });

  it("uses Math.random by default", () => {
    const d = backoffDelay(3, CONNECT_BACKOFF);
    expect(d).toBeGreaterThanOrEqual(1_000);
    expect(d).toBeLessThanOrEqual(8_000);
  });
});
