/**
 * Reconnect delays: capped exponential backoff with jitter (architecture.md rule 6). Pure.
 *
 * Jitter is "full jitter above a floor": the delay is uniform in [base, min(cap, base * factor^attempt)].
 * Full jitter spreads many clients apart (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015); the floor
 * keeps even an unlucky draw from becoming a tight loop, which matters because every new socket's login counts
 * against TrueNAS's 20/min unauthenticated rate limit (truenas-api.md §1.8).
 */

/** A backoff policy. All times in milliseconds. */
export interface BackoffPolicy {
  /** First delay and the floor of every delay. */
  readonly baseMs: number;
  /** Growth per attempt. */
  readonly factor: number;
  /** Upper bound of every delay. */
  readonly maxMs: number;
}

/** Connection failures: 1 s, then up to 2 s, 4 s, ... capped at 60 s. */
export const CONNECT_BACKOFF = { baseMs: 1_000, factor: 2, maxMs: 60_000 } as const satisfies BackoffPolicy;

/**
 * Login refused: at least 60 s, growing to 15 min. A refused key will not fix itself quickly, each login counts
 * against the rate limit, and a revoked key must not be hammered (truenas-api.md §1.4, §7 step 3).
 */
export const AUTH_BACKOFF = { baseMs: 60_000, factor: 2, maxMs: 900_000 } as const satisfies BackoffPolicy;

/**
 * The delay before retry number `attempt` (0 = first retry).
 * @param random uniform in [0, 1); inject a fixed one in tests.
 */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const base = Math.max(0, policy.baseMs);
  const cap = Math.max(base, policy.maxMs);
  const n = Math.max(0, Math.floor(Number.isFinite(attempt) ? attempt : 0));
  // factor^n overflows to Infinity for large n; min() with the cap keeps it finite.
  const ceiling = Math.min(cap, base * Math.pow(Math.max(1, policy.factor), n));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(base + r * (ceiling - base));
}
