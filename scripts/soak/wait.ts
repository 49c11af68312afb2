/** Bounded waits for the soak's convergence points (a session back, a broker reconnected, sockets closed). */
import type { EventEmitter } from "node:events";

/** Resolves true on the first `event` (whose first argument passes `match`), false after `ms`. */
export function waitForEvent<A>(
  emitter: Pick<EventEmitter, "on" | "off">,
  event: string,
  ms: number,
  match: (arg: A) => boolean = () => true,
): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      emitter.off(event, listener);
      resolve(ok);
    };
    const listener = (arg: A): void => {
      if (match(arg)) done(true);
    };
    const timer = setTimeout(() => done(false), ms);
    emitter.on(event, listener);
  });
}

/** Resolves once `condition` holds (checked every few ms); rejects naming `what` after `ms`. */
export async function until(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
