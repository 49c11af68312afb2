/**
 * The middleware's per-connection `SoftHardSemaphore(10, 20)`: ten calls run at once, calls 11-20 wait, and a
 * call arriving while 20 are in flight is refused at once (`utils/lock.py`; truenas-api.md §1.8).
 */
export class SoftHardSemaphore {
  #inFlight = 0;
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(
    readonly soft: number,
    readonly hard: number,
  ) {}

  /** Resolves when the call may run; returns false at once when the hard limit is reached. */
  acquire(): Promise<boolean> | false {
    if (this.#inFlight >= this.hard) return false;
    this.#inFlight += 1;
    if (this.#running < this.soft) {
      this.#running += 1;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => this.#waiting.push(() => resolve(true)));
  }

  release(): void {
    this.#inFlight -= 1;
    const next = this.#waiting.shift();
    if (next) next();
    else this.#running -= 1;
  }

  get inFlight(): number {
    return this.#inFlight;
  }
}
