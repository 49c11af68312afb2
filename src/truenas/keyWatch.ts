/**
 * While a refused API key waits out the slow auth backoff (AUTH_BACKOFF: minutes), look at the key source (a key
 * file) every few seconds, and retry at once when it holds a different key. Reading a file costs the NAS nothing,
 * while every login counts against its rate limit (truenas-api.md §1.8), so a key that stays wrong keeps the slow
 * backoff and a key the user replaced works within seconds, without a restart.
 */
import { createHash } from "node:crypto";
import type { ApiKeySource } from "./clientTypes.js";
import type { Clock } from "./clock.js";

/** How often the key source is read during an auth backoff. */
export const KEY_CHECK_MS = 5_000;

/** A fingerprint of a key, so the refused key itself is not kept around. */
export function keyFingerprint(key: string | undefined): string | undefined {
  return key === undefined ? undefined : createHash("sha256").update(key.trim()).digest("hex");
}

export interface KeyWatchDeps {
  readonly clock: Clock;
  readonly source: ApiKeySource;
  /** Called once when the source yields a key other than the refused one. */
  readonly onChange: () => void;
  readonly intervalMs?: number;
}

export class KeyWatch {
  readonly #d: KeyWatchDeps;
  #timer: unknown;
  #generation = 0;

  constructor(deps: KeyWatchDeps) {
    this.#d = deps;
  }

  /** Start watching; `refused` is the fingerprint of the refused key (undefined when it could not be read). */
  start(refused: string | undefined): void {
    this.stop();
    // A fixed key cannot change without a restart: nothing to watch.
    if (typeof this.#d.source !== "function") return;
    const read = this.#d.source;
    const generation = this.#generation;
    const check = async (): Promise<void> => {
      let current: string | undefined;
      try {
        const key = await read();
        current = typeof key === "string" && key.trim() !== "" ? keyFingerprint(key) : undefined;
      } catch {
        current = undefined; // still unreadable: keep waiting
      }
      if (generation !== this.#generation) return;
      if (current !== undefined && current !== refused) {
        this.#timer = undefined;
        this.#d.onChange();
        return;
      }
      this.#schedule(check);
    };
    this.#schedule(check);
  }

  /** Stop watching. Idempotent. */
  stop(): void {
    this.#generation++;
    if (this.#timer !== undefined) this.#d.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(check: () => Promise<void>): void {
    this.#timer = this.#d.clock.setTimeout(() => {
      check().catch(() => undefined);
    }, this.#d.intervalMs ?? KEY_CHECK_MS);
  }
}
