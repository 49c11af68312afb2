/**
 * The accelerated clock: the bridge and the TrueNAS client take their timers from an injected Clock
 * (architecture.md rule 8), so the soak runs them `speed` times faster than real time. Backoff, keepalive,
 * call timeouts, the availability grace and event debounce all keep their configured values and their
 * ratios; only the wall time they cost shrinks. Sockets, the simulator and the broker stay real.
 */
import type { Clock } from "../../src/truenas/clock.js";

export function acceleratedClock(speed: number): Clock {
  if (!(speed >= 1)) throw new Error(`speed must be >= 1, got ${speed}`);
  const origin = Date.now();
  return {
    now: () => origin + (Date.now() - origin) * speed,
    setTimeout: (callback, ms) => globalThis.setTimeout(callback, Math.max(0, ms) / speed),
    clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
  };
}
