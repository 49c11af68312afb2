/**
 * Time as a dependency (architecture.md rule 8): the client takes its timers and now() from a Clock, so tests
 * can drive keepalive, call timeouts and backoff without sleeping, while the sockets stay real.
 */

/** Timers and the current time. Handles are opaque: pass back what setTimeout returned. */
export interface Clock {
  /** Milliseconds since the epoch (or any fixed origin; only differences are used). */
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * The real clock. It looks the globals up on every call (not at import), so `vi.useFakeTimers()` installed after
 * import still takes effect.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};
