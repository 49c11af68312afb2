/**
 * Event subscriptions for one TrueNAS client: one `core.subscribe` per name, fanned out locally to listeners.
 *
 * Notifications carry no subscription id, and two server-side subscriptions to one name still produce one
 * notification per event, so routing is by `collection` (truenas-api.md §2.1, §2.2). Subscriptions die with the
 * socket and are re-made after every reconnect (§7). A `notify_unsubscribed` (an event source stopped or refused
 * its arguments) is passed to the listeners; the name is subscribed again on the next reconnect, not at once, so
 * bad arguments cannot cause a loop.
 */
import type { Logger } from "pino";
import type { CollectionUpdate, NotifyUnsubscribed } from "./jsonrpc.js";

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
}

export class SubscriptionRegistry {
  readonly #entries = new Map<string, Entry>();
  readonly #log: Logger;
  #transport: SubscriptionTransport | undefined;
  /** Bumped on every socket change, so answers from an old socket are ignored. */
  #generation = 0;

  constructor(deps: { log: Logger }) {
    this.#log = deps.log;
  }

  /** Names with at least one listener. */
  get names(): string[] {
    return [...this.#entries.keys()];
  }

  /** Add a listener; subscribes on the server when this is the first listener and a session is up. */
  add(name: string, listener: SubscriptionListener): () => void {
    let entry = this.#entries.get(name);
    if (!entry) {
      entry = { listeners: new Set(), ident: undefined, pending: false };
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
      entry.ident = undefined;
      entry.pending = false;
    }
  }

  /** Route a notification to the listeners of its collection and of `*`. */
  dispatch(event: SubscriptionEvent): number {
    if (event.type === "notify_unsubscribed") {
      const entry = this.#entries.get(event.collection);
      if (entry) entry.ident = undefined;
      this.#log.warn({ collection: event.collection, error: event.error }, "subscription ended by server");
    }
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
    if (entry.ident && this.#transport) this.#unsubscribeIdent(this.#transport, name, entry.ident);
  }

  #unsubscribeIdent(transport: SubscriptionTransport, name: string, ident: string): void {
    transport.unsubscribe(ident).catch((err: unknown) => {
      this.#log.debug({ err, collection: name }, "unsubscribe failed");
    });
  }
}
