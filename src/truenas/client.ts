/**
 * The TrueNAS session client: one persistent, authenticated JSON-RPC 2.0 WebSocket per NAS.
 *
 * State machine: idle → connecting → authenticating → ready → backoff → connecting … ; closed after stop().
 * Connect flow (truenas-api.md §7): open wss://…/api/current, `auth.login_with_api_key`, `system.info`,
 * `core.subscribe` per subscribed name, then `ready`; `core.ping` keeps the socket alive.
 *
 * Calls made while `connecting`/`authenticating` wait for this attempt to become ready (bounded by their timeout);
 * calls made while `idle`, `backoff` or `closed` are rejected at once with ConnectionClosedError, so nothing piles up
 * offline and bursts out on reconnect. Every pending and queued call is rejected when the socket closes.
 */
import { EventEmitter } from "node:events";
import type { Logger } from "pino";
import type { RawData, WebSocket } from "ws";
import { backoffDelay } from "./backoff.js";
import { CallTracker, type DigestedReply } from "./callTracker.js";
import * as T from "./clientTypes.js";
import { systemClock, type Clock } from "./clock.js";
import {
  AuthError,
  CallTimeoutError,
  ConnectionClosedError,
  LoginRateLimitedError,
  TlsVerificationError,
} from "./errors.js";
import { encodeRequest, redactParams } from "./jsonrpc.js";
import { Keepalive } from "./keepalive.js";
import { closeSocket, openSocket } from "./socket.js";
import { KeyWatch, keyFingerprint } from "./keyWatch.js";
import {
  handleFrame,
  loginOnce,
  newFrameCounters,
  readKey,
  readSystemInfo,
  type FrameSink,
} from "./session.js";
import { SubscriptionRegistry, type SubscriptionListener } from "./subscriptions.js";
import { resolveTlsOptions, tlsErrorFrom } from "./tls.js";
import { normaliseTrueNasUrl, type TrueNasEndpoint } from "./url.js";

/** TrueNAS's unauthenticated rate-limit window (middleware `utils/limits.py`: 20 calls per 60 s). */
const RATE_LIMIT_WINDOW_MS = 60_000;

export class TrueNasClient extends EventEmitter<T.TrueNasClientEvents> {
  readonly #opts: T.ResolvedClientOptions;
  readonly #log: Logger;
  readonly #clock: Clock;
  readonly #tracker: CallTracker;
  readonly #subs: SubscriptionRegistry;
  readonly #counters = { calls: 0, reconnects: 0, sessions: 0, ...newFrameCounters() };
  readonly #sink: FrameSink;
  #state: T.ClientState = "idle";
  #endpoint: TrueNasEndpoint | undefined;
  #generation = 0;
  #ws: WebSocket | undefined;
  #keepalive: Keepalive | undefined;
  #retryTimer: unknown;
  #attemptAbort: AbortController | undefined;
  #attempts = 0;
  #authFailures = 0;
  #readyAt = 0;
  #info: T.SystemInfo | undefined;
  /** Fingerprint of the key of the latest login attempt (undefined when it could not be read). */
  #triedKey: string | undefined;
  readonly #keyWatch: KeyWatch;

  constructor(opts: T.TrueNasClientOptions) {
    super();
    this.#opts = T.withDefaults(opts);
    this.#log = opts.log;
    this.#clock = opts.clock ?? systemClock;
    this.#tracker = new CallTracker({ clock: this.#clock, maxInFlight: this.#opts.maxInFlight });
    this.#subs = new SubscriptionRegistry({ log: opts.log, clock: this.#clock, random: opts.random });
    this.#sink = {
      log: opts.log,
      counters: this.#counters,
      settle: (id, result, error, digest) => this.#tracker.settle(id, result, error, digest),
      subscriptions: this.#subs,
      emitNotification: (params) => this.#emitSafely("notification", params),
    };
    this.#keyWatch = new KeyWatch({
      clock: this.#clock,
      source: opts.apiKey,
      onChange: () => this.#retryNow("new API key found; retrying now"),
    });
  }

  get state(): T.ClientState {
    return this.#state;
  }
  /** `system.info` version of the current (or last) session, e.g. "25.10.0". Set before `ready` fires. */
  get serverVersion(): string | undefined {
    return this.#info?.version;
  }
  get systemInfo(): T.SystemInfo | undefined {
    return this.#info;
  }
  /** The normalised endpoint (after start()). */
  get endpoint(): string | undefined {
    return this.#endpoint?.url;
  }
  get stats(): T.TrueNasClientStats {
    const t = this.#tracker;
    return {
      ...this.#counters,
      callTimeouts: t.timeouts,
      inFlight: t.inFlight,
      queued: t.queued,
      peakInFlight: t.peakInFlight,
    };
  }

  /**
   * Start connecting. Throws InsecureTransportError (ws:// to a non-loopback host) or InvalidUrlError before any
   * connection is attempted. Calling it again, or after stop(), does nothing.
   */
  start(): void {
    if (this.#state !== "idle") return;
    this.#endpoint = normaliseTrueNasUrl(this.#opts.url);
    if (this.#endpoint.secure && this.#opts.verifyTls === false) {
      this.#log.warn({ url: this.#endpoint.url }, "TLS certificate verification is disabled");
    }
    this.#log.info({ url: this.#endpoint.url }, "truenas client starting");
    this.#connect();
  }

  /** Close the session for good: clears every timer, closes the socket, rejects pending calls. Never throws. */
  async stop(): Promise<void> {
    if (this.#state === "closed") return;
    try {
      this.#generation++;
      this.#clock.clearTimeout(this.#retryTimer);
      this.#retryTimer = undefined;
      this.#keyWatch.stop();
      const ws = this.#teardown("client stopped");
      this.#setState("closed");
      if (ws) await closeSocket(ws, this.#clock, 1_000);
      this.#log.info("truenas client stopped");
    } catch (err) {
      this.#log.warn({ err }, "truenas client stop failed");
    }
  }

  /** Call a method. Rejects with TrueNasRpcError/MethodNotFoundError, CallTimeoutError or ConnectionClosedError. */
  call<R = unknown>(
    method: string,
    params: readonly unknown[] = [],
    opts: { timeoutMs?: number } = {},
  ): Promise<R> {
    return this.#userCall(method, params, { timeoutMs: opts.timeoutMs }) as Promise<R>;
  }

  /**
   * `call`, resolving with the result and a digest of the reply frame (truenas/replyDigest.ts), so a poller can
   * tell an unchanged answer without serialising it again.
   */
  callWithDigest<R = unknown>(method: string, params: readonly unknown[] = []): Promise<DigestedReply<R>> {
    return this.#userCall(method, params, { digest: true }) as Promise<DigestedReply<R>>;
  }

  #userCall(
    method: string,
    params: readonly unknown[],
    opts: { timeoutMs?: number; digest?: boolean },
  ): Promise<unknown> {
    const s = this.#state;
    if (s !== "ready" && s !== "connecting" && s !== "authenticating") {
      return Promise.reject(new ConnectionClosedError(method, `not connected (${s})`));
    }
    const timeoutMs = opts.timeoutMs ?? this.#opts.callTimeoutMs;
    const generation = this.#generation;
    return this.#tracker.call(method, params, { timeoutMs, digest: opts.digest }).catch((err: unknown) => {
      if (err instanceof CallTimeoutError && this.#tracker.abandoned >= this.#tracker.userLimit) {
        this.#fail(generation, "calls_stuck", err);
      }
      throw err;
    });
  }

  /**
   * Listen to an event name (`pool.query`, `reporting.realtime:{"interval":5}`, sent verbatim). One core.subscribe
   * per name, re-made after every reconnect. Returns the unsubscribe function.
   */
  subscribe(name: string, listener: SubscriptionListener): () => void {
    return this.#subs.add(name, listener);
  }

  #control(
    method: string,
    params: readonly unknown[],
    timeoutMs = this.#opts.callTimeoutMs,
  ): Promise<unknown> {
    return this.#tracker.call(method, params, { timeoutMs, control: true });
  }

  #connect(): void {
    this.#keyWatch.stop();
    const generation = ++this.#generation;
    this.#attemptAbort = new AbortController();
    this.#setState("connecting");
    this.#open(generation).catch((err: unknown) => this.#fail(generation, "setup_failed", err));
  }

  async #open(generation: number): Promise<void> {
    const endpoint = this.#endpoint as TrueNasEndpoint;
    let ws: WebSocket;
    try {
      const tls = endpoint.secure ? await resolveTlsOptions(this.#opts) : undefined;
      if (generation !== this.#generation) return;
      ws = await openSocket({
        url: endpoint.url,
        tls,
        clock: this.#clock,
        connectTimeoutMs: this.#opts.connectTimeoutMs,
        maxFrameBytes: this.#opts.maxFrameBytes,
        signal: (this.#attemptAbort as AbortController).signal,
      });
    } catch (err) {
      const tlsError = err instanceof TlsVerificationError ? err : tlsErrorFrom(err, endpoint.hostname);
      this.#fail(generation, tlsError ? "tls_failed" : "connect_failed", tlsError ?? err);
      return;
    }
    if (generation !== this.#generation) {
      ws.terminate();
      return;
    }
    this.#attach(ws, generation);
    this.#setState("authenticating");
    await this.#authenticate(generation);
  }

  #attach(ws: WebSocket, generation: number): void {
    this.#ws = ws;
    ws.on("message", (data: RawData, isBinary: boolean) => {
      if (this.#ws !== ws) return;
      this.#keepalive?.activity();
      handleFrame(data, isBinary, this.#sink);
    });
    // The close that follows is what we act on; the error only explains it (ECONNRESET, 1009 too big, ...).
    ws.on("error", (err: Error) => this.#log.debug({ err }, "socket error"));
    ws.on("close", (code: number, reason: Buffer) => {
      const why = `socket closed with code ${code}${reason.length > 0 ? `: ${reason.toString()}` : ""}`;
      this.#fail(generation, "socket_closed", new ConnectionClosedError("websocket", why));
    });
    this.#tracker.attach((id, method, params) => {
      ws.send(encodeRequest(id, method, params));
      this.#counters.calls++;
      this.#log.trace({ id, method, params: redactParams(method, params) }, "request sent");
    });
  }

  async #authenticate(generation: number): Promise<void> {
    let info: T.SystemInfo;
    try {
      this.#triedKey = undefined;
      const key = await readKey(this.#opts.apiKey);
      this.#triedKey = keyFingerprint(key);
      await loginOnce(key, (m, p) => this.#control(m, p));
      this.#authFailures = 0;
      info = await readSystemInfo((m, p) => this.#control(m, p), this.#log);
      this.#info = info;
      await this.#subs.attach({
        subscribe: async (name) => String(await this.#control("core.subscribe", [name])),
        unsubscribe: async (ident) => void (await this.#control("core.unsubscribe", [ident])),
      });
    } catch (err) {
      const reason =
        err instanceof AuthError
          ? "auth_failed"
          : err instanceof LoginRateLimitedError
            ? "rate_limited"
            : "setup_failed";
      this.#fail(generation, reason, err);
      return;
    }
    if (generation !== this.#generation) return;
    this.#readyAt = this.#clock.now();
    this.#counters.sessions++;
    this.#keepalive = new Keepalive({
      clock: this.#clock,
      intervalMs: this.#opts.pingIntervalMs,
      ping: () => this.#control("core.ping", [], this.#opts.pingTimeoutMs),
      onDead: (err) => this.#fail(generation, "keepalive_timeout", err),
    });
    this.#keepalive.start();
    this.#setState("ready");
    // A state listener may have stopped the client.
    if (generation !== this.#generation) return;
    this.#tracker.openUserGate();
    this.#log.info({ version: info.version, hostname: info.hostname }, "truenas session ready");
    this.#emitSafely("ready", { version: info.version, info });
  }

  /** One place every failure goes through: tear down, pick the delay, announce, schedule the retry. */
  #fail(generation: number, reason: T.DownReason, cause: unknown): void {
    if (generation !== this.#generation || this.#state === "closed") return;
    this.#generation++;
    const error = cause instanceof Error ? cause : new Error(String(cause));
    // A session that stayed up starts over from the base delay; a flapping one keeps growing it.
    if (this.#state === "ready" && this.#clock.now() - this.#readyAt >= this.#opts.stableAfterMs)
      this.#attempts = 0;
    const ws = this.#teardown(error instanceof ConnectionClosedError ? error.why : error.message);
    ws?.terminate();
    const random = this.#opts.random ?? Math.random;
    // The middleware's login limit counts calls per minute: a retry within the minute only extends it.
    const retryInMs =
      reason === "auth_failed"
        ? backoffDelay(this.#authFailures++, this.#opts.authBackoff, random)
        : reason === "rate_limited"
          ? RATE_LIMIT_WINDOW_MS + Math.floor(random() * 5_000)
          : backoffDelay(this.#attempts++, this.#opts.backoff, random);
    this.#setState("backoff");
    const operatorNeeded = reason === "auth_failed" || reason === "tls_failed";
    this.#log[operatorNeeded ? "error" : "info"]({ reason, err: error, retryInMs }, "truenas session down");
    const current = this.#generation;
    this.#emitSafely("down", { reason, error, retryInMs });
    // A down listener may have called stop(); then no retry may be scheduled.
    if (current !== this.#generation || this.#state !== "backoff") return;
    this.#retryTimer = this.#clock.setTimeout(() => {
      this.#retryTimer = undefined;
      this.#counters.reconnects++;
      this.#connect();
    }, retryInMs);
    // The first refusal retries within a minute (the AUTH_BACKOFF base) anyway; after that the delays grow to many
    // minutes, so from the second refusal on a key replaced in the key file is tried as soon as it is seen.
    if (reason === "auth_failed" && this.#authFailures >= 2) this.#keyWatch.start(this.#triedKey);
  }

  /** Cut a backoff short (the key changed): connect now. */
  #retryNow(why: string): void {
    if (this.#state !== "backoff") return;
    this.#clock.clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#log.info(why);
    this.#counters.reconnects++;
    this.#connect();
  }

  /** Stop keepalive, forget subscriptions' idents, reject calls; returns the socket for the caller to close. */
  #teardown(why: string): WebSocket | undefined {
    this.#attemptAbort?.abort();
    this.#attemptAbort = undefined;
    this.#keepalive?.stop();
    this.#keepalive = undefined;
    this.#subs.detach();
    this.#tracker.closeAll(why);
    const ws = this.#ws;
    this.#ws = undefined;
    ws?.removeAllListeners("message");
    ws?.removeAllListeners("close");
    return ws;
  }

  #setState(to: T.ClientState): void {
    const from = this.#state;
    if (from === to) return;
    this.#state = to;
    this.#log.debug({ from, to }, "truenas client state");
    this.#emitSafely("state", { from, to });
  }

  /**
   * Call each listener in its own try/catch: a throwing listener must neither break the state machine nor keep
   * later listeners from running (z2m EventBus `wrappedCallback`, architecture.md rule 5). rawListeners() keeps
   * `once` wrappers, so one-shot listeners still remove themselves.
   */
  #emitSafely<K extends keyof T.TrueNasClientEvents>(event: K, ...args: T.TrueNasClientEvents[K]): void {
    for (const listener of this.rawListeners(event) as Array<(...a: T.TrueNasClientEvents[K]) => void>) {
      try {
        listener.apply(this, args);
      } catch (err) {
        this.#log.warn({ err, event }, "truenas client listener failed");
      }
    }
  }
}
