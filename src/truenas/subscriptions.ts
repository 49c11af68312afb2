/**
 * Event subscriptions for one TrueNAS client: one `core.subscribe` per name, fanned out locally to listeners.
 *
 * Notifications carry no subscription id, and two server-side subscriptions to one name still produce one
 * notification per event, so routing is by `collection` (truenas-api.md §2.1, §2.2). Subscriptions die with the
 * socket and are re-made after every reconnect (§7). A `notify_unsubscribed` is passed to the listeners. When the
 * server stopped the subscription (an event source that ended or crashed, §2.2) the name is subscribed again after
 * a backoff (RESUBSCRIBE_BACKOFF, reset once events flow), so events keep coming without a reconnect and a source
 * that keeps crashing is not restarted in a tight loop. Refused arguments (EINVAL) wait for the next reconnect:
 * the same arguments would be refused again.
 */
import type { Logger } from "pino";
import { backoffDelay, type BackoffPolicy } from "./backoff.js";
import { systemClock, type Clock } from "./clock.js";
import type { CollectionUpdate, NotifyUnsubscribed } from "./jsonrpc.js";

/** Delay before subscribing again to a name the server ended: 5 s, doubling, at most 5 min. */
export const RESUBSCRIBE_BACKOFF = {
  baseMs: 5_000,
  factor: 2,
  maxMs: 300_000,
} as const satisfies BackoffPolicy;

/** What a listener receives. */
export type SubscriptionEvent =
  | ({ readonly type: "collection_update" } & CollectionUpdate)
  | ({ readonly type: "notify_unsubscribed" } & NotifyUnsubscribed);

export type SubscriptionListener = (event: SubscriptionEvent) => void;

/** The calls the registry makes on the live session. */
export interface SubscriptionTransport {
  /** `core.subscribe([name])` → ident. */
  subscribe(name: string): Promise<string>;
  /** `core.unsubscribe([ident])`. */
  unsubscribe(ident: string): Promise<void>;
}

interface Entry {
  readonly listeners: Set<SubscriptionListener>;
  /** Server ident on the current socket; undefined when not (yet) subscribed. */
  ident: string | undefined;
  /** A core.subscribe is in flight on the current socket. */
  pending: boolean;
  /** Pending resubscribe after the server ended the subscription. */
  retryTimer: unknown;
  /** Resubscribes since events last arrived (the backoff attempt). */
  retries: number;
}

export interface SubscriptionRegistryDeps {
  readonly log: Logger;
  /** Timers for resubscribing; default the system clock. */
  readonly clock?: Clock;
  /** Uniform [0, 1) for the resubscribe jitter; default Math.random. */
  readonly random?: () => number;
}

export class SubscriptionRegistry {
  readonly #entries = new Map<string, Entry>();
  readonly #log: Logger;
  readonly #clock: Clock;
  readonly #random: () => number;
  #transport: SubscriptionTransport | undefined;
  /** Bumped on every socket change, so answers from an old socket are ignored. */
  #generation = 0;

  constructor(deps: SubscriptionRegistryDeps) {
    this.#log = deps.log;
    this.#clock = deps.clock ?? systemClock;
    this.#random = deps.random ?? Math.random;
  }

  /** Names with at least one listener. */
  get names(): string[] {
    return [...this.#entries.keys()];
  }

  /** Add a listener; subscribes on the server when this is the first listener and a session is up. */
  add(name: string, listener: SubscriptionListener): () => void {
    let entry = this.#entries.get(name);
    if (!entry) {
      entry = { listeners: new Set(), ident: undefined, pending: false, retryTimer: undefined, retries: 0 };
      this.#entries.set(name, entry);
    }
    // Wrap so the same function can be added twice and removed independently.
    const wrapped: SubscriptionListener = (event) => listener(event);
    entry.listeners.add(wrapped);
    if (this.#transport && !entry.ident && !entry.pending) {
      // #subscribeOne handles its own failures; the catch only keeps the promise from floating.
      this.#subscribeOne(name, entry).catch(() => undefined);
    }
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      this.#remove(name, wrapped);
    };
  }

  /** A session became usable: subscribe every name. Resolves when all answered (failures are logged). */
  async attach(transport: SubscriptionTransport): Promise<void> {
    this.#generation++;
    this.#transport = transport;
    const waits: Array<Promise<void>> = [];
    for (const [name, entry] of this.#entries) {
      this.#cancelRetry(entry);
      entry.ident = undefined;
      entry.pending = false;
      waits.push(this.#subscribeOne(name, entry));
    }
    await Promise.all(waits);
  }

  /** The socket is gone: every server-side subscription ended with it. */
  detach(): void {
    this.#generation++;
    this.#transport = undefined;
    for (const entry of this.#entries.values()) {
      this.#cancelRetry(entry);
      entry.ident = undefined;
      entry.pending = false;
    }
  }

  /** Route a notification to the listeners of its collection and of `*`. */
  dispatch(event: SubscriptionEvent): number {
    const entry = this.#entries.get(event.collection);
    if (event.type === "notify_unsubscribed") this.#ended(event, entry);
    else if (entry) entry.retries = 0;
    let delivered = 0;
    for (const name of event.collection === "*" ? ["*"] : [event.collection, "*"]) {
      for (const listener of this.#entries.get(name)?.listeners ?? []) {
        delivered++;
        try {
          listener(event);
        } catch (err) {
          this.#log.warn({ err, collection: event.collection }, "subscription listener failed");
        }
      }
    }
    return delivered;
  }

  /** The server ended a subscription: forget its ident and, unless its arguments were refused, subscribe again. */
  #ended(event: NotifyUnsubscribed, entry: Entry | undefined): void {
    const { collection, error } = event;
    const refused =
      typeof error === "object" && error !== null && (error as { errname?: unknown }).errname === "EINVAL";
    if (!entry || refused || !this.#transport) {
      if (entry) entry.ident = undefined;
      this.#log.warn({ collection, error }, "subscription ended by server");
      return;
    }
    entry.ident = undefined;
    this.#cancelRetry(entry);
    const retryInMs = backoffDelay(entry.retries++, RESUBSCRIBE_BACKOFF, this.#random);
    this.#log.warn({ collection, error, retryInMs }, "subscription ended by server");
    const generation = this.#generation;
    entry.retryTimer = this.#clock.setTimeout(() => {
      entry.retryTimer = undefined;
      if (generation !== this.#generation || this.#entries.get(collection) !== entry) return;
      if (entry.ident || entry.pending) return;
      this.#subscribeOne(collection, entry)
        .then(() => {
          if (entry.ident) this.#log.info({ collection }, "subscription restored");
        })
        .catch(() => undefined);
    }, retryInMs);
  }

  #cancelRetry(entry: Entry): void {
    if (entry.retryTimer === undefined) return;
    this.#clock.clearTimeout(entry.retryTimer);
    entry.retryTimer = undefined;
  }

  #subscribeOne(name: string, entry: Entry): Promise<void> {
    const transport = this.#transport;
    if (!transport) return Promise.resolve();
    const generation = this.#generation;
    entry.pending = true;
    return transport.subscribe(name).then(
      (ident) => {
        if (generation !== this.#generation) return;
        entry.pending = false;
        if (this.#entries.get(name) === entry) {
          entry.ident = ident;
        } else {
          // Every listener left while the subscribe was in flight.
          this.#unsubscribeIdent(transport, name, ident);
        }
      },
      (err: unknown) => {
        if (generation !== this.#generation) return;
        entry.pending = false;
        this.#log.warn({ err, collection: name }, "subscribe failed");
      },
    );
  }

  #remove(name: string, listener: SubscriptionListener): void {
    const entry = this.#entries.get(name);
    if (!entry?.listeners.delete(listener) || entry.listeners.size > 0) return;
    this.#entries.delete(name);
    this.#cancelRetry(entry);
    if (entry.ident && this.#transport) this.#unsubscribeIdent(this.#transport, name, entry.ident);
  }

  #unsubscribeIdent(transport: SubscriptionTransport, name: string, ident: string): void {
    transport.unsubscribe(ident).catch((err: unknown) => {
      this.#log.debug({ err, collection: name }, "unsubscribe failed");
    });
  }
}
