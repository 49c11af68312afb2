/**
 * Event sources: subscriptions whose name carries a JSON argument, e.g. `reporting.realtime:{"interval":5}`.
 * One instance per (name, raw argument) is shared by every subscriber, and the collection name echoed in
 * notifications is the name exactly as the client sent it (`common/event_source/manager.py`,
 * `plugins/reporting/events.py`; truenas-api.md §2.1, §2.4).
 */
import type { SimConnection } from "./connection.js";

/** A source's behaviour: validate its argument, then produce a payload per tick (null = send nothing). */
export interface EventSourceSpec {
  /** Returns validation errors `[attr, message, errno]`, or an empty list; also returns the interval in ms. */
  validate(arg: unknown): { errors: Array<[string, string, number]>; intervalMs: number };
  produce(): Record<string, unknown> | null;
}

interface Instance {
  readonly fullName: string;
  readonly subscribers: Map<string, SimConnection>;
  timer: NodeJS.Timeout | undefined;
}

export class EventSourceHub {
  readonly #instances = new Map<string, Instance>();
  /** ident -> instance key */
  readonly #idents = new Map<string, string>();

  constructor(private readonly sources: ReadonlyMap<string, EventSourceSpec>) {}

  /** Subscribe `conn` if `name` is an event source; false when it is a plain event name. */
  subscribe(conn: SimConnection, ident: string, name: string): boolean {
    const colon = name.indexOf(":");
    const short = colon === -1 ? name : name.slice(0, colon);
    const rawArg = colon === -1 ? null : name.slice(colon + 1);
    const spec = this.sources.get(short);
    if (!spec) return false;
    let arg: unknown = {};
    if (rawArg !== null) {
      try {
        arg = JSON.parse(rawArg);
      } catch (err) {
        this.#reject(conn, name, [["", `Invalid JSON: ${(err as Error).message}`, 22]]);
        return true;
      }
    }
    const { errors, intervalMs } = spec.validate(arg);
    if (errors.length > 0) {
      // The server still answers core.subscribe with an ident, after notifying (truenas-api.md §2.1).
      this.#reject(conn, name, errors);
      return true;
    }
    let instance = this.#instances.get(name);
    if (!instance) {
      instance = { fullName: name, subscribers: new Map(), timer: undefined };
      this.#instances.set(name, instance);
      this.#startInstance(instance, spec, intervalMs);
    }
    instance.subscribers.set(ident, conn);
    this.#idents.set(ident, name);
    return true;
  }

  /** Unsubscribe an ident; false when the ident is not an event-source subscription. */
  unsubscribe(conn: SimConnection, ident: string): boolean {
    const key = this.#idents.get(ident);
    if (key === undefined) return false;
    this.#idents.delete(ident);
    const instance = this.#instances.get(key);
    if (instance) {
      instance.subscribers.delete(ident);
      conn.notify("notify_unsubscribed", { collection: instance.fullName, error: null });
      if (instance.subscribers.size === 0) this.#stopInstance(key, instance);
    }
    return true;
  }

  /** Drop every subscription of a closed connection, silently. */
  unsubscribeAll(conn: SimConnection): void {
    for (const [key, instance] of this.#instances) {
      for (const [ident, c] of instance.subscribers) {
        if (c === conn) {
          instance.subscribers.delete(ident);
          this.#idents.delete(ident);
        }
      }
      if (instance.subscribers.size === 0) this.#stopInstance(key, instance);
    }
  }

  /** Stop the source instance subscribed as `name`, telling each subscriber with notify_unsubscribed. */
  end(name: string, error: Record<string, unknown> | null): number {
    const instance = this.#instances.get(name);
    if (!instance) return 0;
    const subscribers = [...instance.subscribers];
    this.#stopInstance(name, instance);
    for (const [ident, conn] of subscribers) {
      this.#idents.delete(ident);
      conn.notify("notify_unsubscribed", { collection: instance.fullName, error });
    }
    return subscribers.length;
  }

  stop(): void {
    for (const [key, instance] of this.#instances) this.#stopInstance(key, instance);
    this.#idents.clear();
  }

  #reject(conn: SimConnection, name: string, errors: Array<[string, string, number]>): void {
    const reason = errors.map(([a, m]) => `[EINVAL] ${a}: ${m}\n`).join("");
    conn.notify("notify_unsubscribed", {
      collection: name,
      error: { error: 22, errname: "EINVAL", reason, trace: null, extra: errors },
    });
  }

  #startInstance(instance: Instance, spec: EventSourceSpec, intervalMs: number): void {
    const tick = (): void => {
      const fields = spec.produce();
      if (fields === null) return;
      for (const conn of instance.subscribers.values()) {
        conn.notify("collection_update", { msg: "added", collection: instance.fullName, fields });
      }
    };
    // The source sends at once, then sleeps `interval` between sends.
    instance.timer = setTimeout(function loop() {
      tick();
      instance.timer = setTimeout(loop, intervalMs);
    }, 0);
  }

  #stopInstance(key: string, instance: Instance): void {
    clearTimeout(instance.timer);
    instance.timer = undefined;
    this.#instances.delete(key);
  }
}
