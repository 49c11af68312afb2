/**
 * Pending-call bookkeeping for one TrueNAS session: ids, per-call timeouts, matching out-of-order answers, and the
 * in-flight cap.
 *
 * The middleware runs at most 20 calls per socket (`SoftHardSemaphore(10, 20)`) and answers -32000 at once to
 * the 21st (truenas-api.md §1.8), so calls beyond the cap wait here. A call that timed out locally still holds
 * its server slot until the server answers it (the semaphore is released only then), so its slot stays counted
 * until the late answer arrives or the socket closes. Two slots are kept for control calls (core.ping,
 * core.subscribe) so slow user calls cannot starve the keepalive.
 */
import type { Clock } from "./clock.js";
import { CallTimeoutError, ConnectionClosedError, rpcErrorFrom } from "./errors.js";
import type { RpcErrorObject } from "./jsonrpc.js";

/** Sends one request on the current socket; throws when it cannot. */
export type SendRequest = (id: number, method: string, params: readonly unknown[]) => void;

export interface CallTrackerOptions {
  readonly clock: Clock;
  /** Calls in flight per socket, all kinds. Default 20 (the server's hard limit). */
  readonly maxInFlight?: number;
  /** Slots only control calls may use. Default 2. */
  readonly reservedForControl?: number;
}

export interface CallOptions {
  readonly timeoutMs: number;
  /** Internal protocol calls (login, ping, subscribe): jump the queue and may use the reserved slots. */
  readonly control?: boolean;
  /** Resolve with `{ result, digest }` (a `DigestedReply`) instead of the bare result. */
  readonly digest?: boolean;
}

/** An answer with the digest of its frame (truenas/replyDigest.ts); null when the frame gave none. */
export interface DigestedReply<R = unknown> {
  readonly result: R;
  readonly digest: string | null;
}

/** Computes the digest of the frame being settled; only called for calls that asked for one. */
export type FrameDigest = () => string | null;

interface Entry {
  readonly id: number;
  readonly method: string;
  readonly params: readonly unknown[];
  readonly control: boolean;
  readonly digest: boolean;
  readonly timeoutMs: number;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: Error) => void;
  timer: unknown;
  /** Timed out locally but not yet answered: still holds a server slot. */
  abandoned: boolean;
}

/** What `settle` found for an incoming answer. */
export type SettleOutcome = "settled" | "late" | "unknown";

export class CallTracker {
  readonly #clock: Clock;
  readonly #max: number;
  readonly #userMax: number;
  #nextId = 1;
  #queue: Entry[] = [];
  readonly #inFlight = new Map<number, Entry>();
  #send: SendRequest | undefined;
  #userGate = false;
  #peak = 0;
  #timeouts = 0;

  constructor(opts: CallTrackerOptions) {
    this.#clock = opts.clock;
    this.#max = Math.max(1, opts.maxInFlight ?? 20);
    this.#userMax = Math.max(1, this.#max - Math.max(0, opts.reservedForControl ?? 2));
  }

  /** Calls sent and not answered (including abandoned ones). */
  get inFlight(): number {
    return this.#inFlight.size;
  }
  get queued(): number {
    return this.#queue.length;
  }
  get peakInFlight(): number {
    return this.#peak;
  }
  get timeouts(): number {
    return this.#timeouts;
  }
  /** The most user calls that may be in flight at once. */
  get userLimit(): number {
    return this.#userMax;
  }
  /** Calls that timed out locally and still hold a server slot. */
  get abandoned(): number {
    let n = 0;
    for (const e of this.#inFlight.values()) if (e.abandoned) n++;
    return n;
  }

  /** Queue a call; it is sent as soon as a socket is attached and a slot is free. */
  call(method: string, params: readonly unknown[], opts: CallOptions): Promise<unknown> {
    return new Promise<unknown>((resolve, reject) => {
      const entry: Entry = {
        id: this.#nextId++,
        method,
        params,
        control: opts.control === true,
        digest: opts.digest === true,
        timeoutMs: opts.timeoutMs,
        resolve,
        reject,
        timer: undefined,
        abandoned: false,
      };
      entry.timer = this.#clock.setTimeout(() => this.#onTimeout(entry), opts.timeoutMs);
      if (entry.control) {
        // Control calls go after earlier control calls but before every user call.
        const at = this.#queue.findIndex((e) => !e.control);
        this.#queue.splice(at === -1 ? this.#queue.length : at, 0, entry);
      } else {
        this.#queue.push(entry);
      }
      this.#pump();
    });
  }

  /** A socket is open: control calls may flow. */
  attach(send: SendRequest): void {
    this.#send = send;
    this.#userGate = false;
    this.#pump();
  }

  /** The session is ready: user calls may flow too. */
  openUserGate(): void {
    this.#userGate = true;
    this.#pump();
  }

  /** Match an answer to its call by id. `error` set means an error response. */
  settle(id: unknown, result: unknown, error?: RpcErrorObject, digest?: FrameDigest): SettleOutcome {
    const entry = typeof id === "number" ? this.#inFlight.get(id) : undefined;
    if (!entry) return "unknown";
    this.#inFlight.delete(entry.id);
    this.#clock.clearTimeout(entry.timer);
    if (!entry.abandoned) {
      if (error) entry.reject(rpcErrorFrom(entry.method, error));
      else if (entry.digest) entry.resolve({ result, digest: digest?.() ?? null } satisfies DigestedReply);
      else entry.resolve(result);
    }
    this.#pump();
    return entry.abandoned ? "late" : "settled";
  }

  /** The socket closed: reject every pending and queued call, detach. */
  closeAll(why: string): void {
    this.#send = undefined;
    this.#userGate = false;
    const entries = [...this.#inFlight.values(), ...this.#queue];
    this.#inFlight.clear();
    this.#queue = [];
    for (const e of entries) {
      this.#clock.clearTimeout(e.timer);
      if (!e.abandoned) e.reject(new ConnectionClosedError(e.method, why));
    }
  }

  #onTimeout(entry: Entry): void {
    this.#timeouts++;
    const queuedAt = this.#queue.indexOf(entry);
    if (queuedAt !== -1) this.#queue.splice(queuedAt, 1);
    else entry.abandoned = true;
    entry.reject(new CallTimeoutError(entry.method, entry.timeoutMs));
  }

  #eligible(entry: Entry): boolean {
    if (entry.control) return this.#inFlight.size < this.#max;
    return this.#userGate && this.#inFlight.size < this.#userMax;
  }

  #pump(): void {
    while (this.#send && this.#queue.length > 0) {
      const head = this.#queue[0] as Entry;
      if (!this.#eligible(head)) return;
      this.#queue.shift();
      this.#inFlight.set(head.id, head);
      this.#peak = Math.max(this.#peak, this.#inFlight.size);
      try {
        this.#send(head.id, head.method, head.params);
      } catch (err) {
        this.#inFlight.delete(head.id);
        this.#clock.clearTimeout(head.timer);
        head.reject(new ConnectionClosedError(head.method, (err as Error).message));
      }
    }
  }
}
