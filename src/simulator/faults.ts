/**
 * Fault injection for the simulator: what tests, the demo and the benchmarks use to make the NAS misbehave.
 * Pure state plus a few actions the server performs (drop, raw frames); the server consults it on every call.
 */
import type { ErrName } from "./rpcErrors.js";

/** How an injected failure answers. Defaults to a CallError EFAULT "Injected failure". */
export interface InjectedFailure {
  errname?: ErrName;
  reason?: string;
}

/** What the server lets the fault layer do to live connections. */
export interface FaultTargets {
  dropAll(): void;
  sendRaw(text: string): void;
  dropAuthenticated(): void;
  /** End every subscription to `name`, notifying each subscriber; returns how many ended. */
  endSubscriptions(name: string, error: Record<string, unknown> | null): number;
}

/** What a crashed event source reports (`common/event_source/manager.py` sends the exception as a TrueNAS error). */
export const SOURCE_CRASHED = {
  error: 14,
  errname: "EFAULT",
  reason: "[EFAULT] Event source stopped unexpectedly",
  trace: null,
  extra: null,
} as const;

export class SimFaults {
  #refusing = false;
  readonly #delays = new Map<string, number>();
  readonly #hung = new Set<string>();
  readonly #failures = new Map<string, InjectedFailure>();
  readonly #removed = new Set<string>();
  readonly #denied = new Set<string>();
  #revokedKeys = new Set<string>();
  #apiKey: string;

  constructor(
    apiKey: string,
    private readonly targets: FaultTargets,
  ) {
    this.#apiKey = apiKey;
  }

  /** Close every open connection abruptly (as a NAS reboot or a network cut would). */
  dropAll(): void {
    this.targets.dropAll();
  }

  /** While true, new WebSocket upgrades are refused (HTTP 503) and the TCP socket is closed. */
  refuseConnections(refuse: boolean): void {
    this.#refusing = refuse;
  }

  get refusing(): boolean {
    return this.#refusing;
  }

  /** Answer `method` only after `ms` milliseconds (0 removes the delay). */
  delayMethod(method: string, ms: number): void {
    if (ms > 0) this.#delays.set(method, ms);
    else this.#delays.delete(method);
  }

  /** Never answer `method` (the call stays in flight until the connection closes). */
  hangMethod(method: string, hang = true): void {
    if (hang) this.#hung.add(method);
    else this.#hung.delete(method);
  }

  /** Make `method` fail with a CallError (`null` clears). */
  failMethod(method: string, failure: InjectedFailure | null = {}): void {
    if (failure) this.#failures.set(method, failure);
    else this.#failures.delete(method);
  }

  /** Make `method` disappear (-32601), as after an update that removed it. */
  removeMethod(method: string, removed = true): void {
    if (removed) this.#removed.add(method);
    else this.#removed.delete(method);
  }

  /** Make `method` answer EACCES "Not authorized", as for a key without the role. */
  denyMethod(method: string, denied = true): void {
    if (denied) this.#denied.add(method);
    else this.#denied.delete(method);
  }

  /** Revoke the current API key: logins with it answer false, and sessions using it are closed. */
  revokeApiKey(): void {
    this.#revokedKeys.add(this.#apiKey);
    this.targets.dropAuthenticated();
  }

  /** Replace the valid API key (e.g. the user created a new one). */
  setApiKey(key: string): void {
    this.#apiKey = key;
  }

  /**
   * End every subscription to `name` (exactly as subscribed, e.g. `reporting.realtime:{"interval":2}`) on every
   * connection with `notify_unsubscribed`, as TrueNAS does when an event source stops or crashes
   * (truenas-api.md §2.2; e.g. `app.stats` when Docker stops). `error` defaults to a crash (SOURCE_CRASHED);
   * null sends `error: null`. Returns the number of subscriptions ended.
   */
  endSubscriptions(name: string, error: Record<string, unknown> | null = { ...SOURCE_CRASHED }): number {
    return this.targets.endSubscriptions(name, error);
  }

  /** Send a raw text frame (e.g. malformed JSON) to every open connection. */
  sendRaw(text: string): void {
    this.targets.sendRaw(text);
  }

  /** Undo every injected fault (the key stays as it is). */
  clear(): void {
    this.#refusing = false;
    this.#delays.clear();
    this.#hung.clear();
    this.#failures.clear();
    this.#removed.clear();
    this.#denied.clear();
  }

  // --- read side, for the server ---
  get apiKey(): string {
    return this.#apiKey;
  }
  isKeyValid(key: string): boolean {
    return key === this.#apiKey && !this.#revokedKeys.has(key);
  }
  revokeKey(key: string): void {
    this.#revokedKeys.add(key);
  }
  delayOf(method: string): number {
    return this.#delays.get(method) ?? 0;
  }
  isHung(method: string): boolean {
    return this.#hung.has(method);
  }
  failureOf(method: string): InjectedFailure | undefined {
    return this.#failures.get(method);
  }
  isRemoved(method: string): boolean {
    return this.#removed.has(method);
  }
  isDenied(method: string): boolean {
    return this.#denied.has(method);
  }
}
