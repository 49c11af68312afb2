/**
 * `core.ping` keepalive. nginx in front of the middleware drops a WebSocket that carries nothing for 60 s
 * (no `proxy_read_timeout` on `location /api`, truenas-api.md §1.1), and a dead TCP path is otherwise noticed only
 * by the kernel, much later. A ping that gets no answer in time marks the socket dead.
 *
 * Pings are sent only when the socket was idle: any frame received proves the path alive and resets nginx's
 * read timer, so with realtime reporting (an event every 2 s) and polls flowing no ping is ever needed, and the
 * NAS is not asked 144 times an hour for nothing.
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
  #lastActivity = 0;

  constructor(opts: KeepaliveOptions) {
    this.#opts = opts;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#lastActivity = this.#opts.clock.now();
    this.#schedule(this.#opts.intervalMs);
  }

  /** A frame arrived: the socket is alive, so the next ping can wait a full interval from now. */
  activity(): void {
    this.#lastActivity = this.#opts.clock.now();
  }

  /** Idempotent; an in-flight ping's outcome is ignored afterwards. */
  stop(): void {
    this.#running = false;
    this.#opts.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(ms: number): void {
    this.#timer = this.#opts.clock.setTimeout(() => this.#tick(), ms);
  }

  #tick(): void {
    this.#timer = undefined;
    if (!this.#running) return;
    const idle = this.#opts.clock.now() - this.#lastActivity;
    if (idle < this.#opts.intervalMs) {
      this.#schedule(this.#opts.intervalMs - idle);
      return;
    }
    this.#opts.ping().then(
      () => {
        if (this.#running) this.#schedule(this.#opts.intervalMs);
      },
      (err: unknown) => {
        if (!this.#running) return;
        // Any other failure (the socket closed) is handled by whoever closed it.
        if (err instanceof CallTimeoutError) {
          this.#running = false;
          this.#opts.onDead(err);
        } else {
          this.#schedule(this.#opts.intervalMs);
        }
      },
    );
  }
}
