/**
 * `core.ping` keepalive. nginx in front of the middleware drops a WebSocket that carries nothing for 60 s
 * (no `proxy_read_timeout` on `location /api`, truenas-api.md §1.1), and a dead TCP path is otherwise noticed only
 * by the kernel, much later. A ping that gets no answer in time marks the socket dead.
 */
import type { Clock } from "./clock.js";
import { CallTimeoutError } from "./errors.js";

export interface KeepaliveOptions {
  readonly clock: Clock;
  /** Time between the answer to one ping and the next ping. */
  readonly intervalMs: number;
  /** Sends `core.ping` with its own timeout; rejects with CallTimeoutError when unanswered. */
  readonly ping: () => Promise<unknown>;
  /** Called once when a ping timed out. */
  readonly onDead: (err: CallTimeoutError) => void;
}

export class Keepalive {
  readonly #opts: KeepaliveOptions;
  #timer: unknown;
  #running = false;

  constructor(opts: KeepaliveOptions) {
    this.#opts = opts;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#schedule();
  }

  /** Idempotent; an in-flight ping's outcome is ignored afterwards. */
  stop(): void {
    this.#running = false;
    this.#opts.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(): void {
    this.#timer = this.#opts.clock.setTimeout(() => this.#tick(), this.#opts.intervalMs);
  }

  #tick(): void {
    this.#timer = undefined;
    if (!this.#running) return;
    this.#opts.ping().then(
      () => {
        if (this.#running) this.#schedule();
      },
      (err: unknown) => {
        if (!this.#running) return;
        // Any other failure (the socket closed) is handled by whoever closed it.
        if (err instanceof CallTimeoutError) {
          this.#running = false;
          this.#opts.onDead(err);
        } else {
          this.#schedule();
        }
      },
    );
  }
}
