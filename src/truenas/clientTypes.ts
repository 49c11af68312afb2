/**
 * Options, events and counters of the TrueNAS session client (client.ts).
 */
import type { Logger } from "pino";
import { AUTH_BACKOFF, CONNECT_BACKOFF, type BackoffPolicy } from "./backoff.js";
import type { Clock } from "./clock.js";
import type { CollectionUpdate } from "./jsonrpc.js";

/** The session's state machine (architecture.md rule 6). `closed` is final. */
export type ClientState = "idle" | "connecting" | "authenticating" | "ready" | "backoff" | "closed";

/** Why a session went down (the `down` event). */
export type DownReason =
  /** TCP connect, HTTP upgrade or handshake failed (refused, 503, DNS, timeout). */
  | "connect_failed"
  /** The certificate did not verify; `error` is a TlsVerificationError naming the fix. */
  | "tls_failed"
  /** The key was refused or could not be read; retried after minutes (AUTH_BACKOFF). */
  | "auth_failed"
  /** TrueNAS's login rate limit (EBUSY): retried once its one-minute window has passed, not an operator error. */
  | "rate_limited"
  /** Login succeeded but `system.info` failed or timed out. */
  | "setup_failed"
  /** The socket closed (server restart, network cut, allowlist close 1008, frame limit 1007/1009). */
  | "socket_closed"
  /** A `core.ping` went unanswered. */
  | "keepalive_timeout"
  /** Every user slot is held by calls the server never answered. */
  | "calls_stuck";

/** `auth.login_with_api_key` key, or a function read before every login (a key file can change). */
export type ApiKeySource = string | (() => string | Promise<string>);

/** `system.info` result (truenas-api.md §3.2); only `version` is relied on here. */
export interface SystemInfo {
  /** Short version, e.g. "25.10.0" or "25.04.2.6". */
  readonly version: string;
  readonly hostname?: string;
  readonly [key: string]: unknown;
}

export interface TrueNasClientOptions {
  /** NAS address: `wss://host/api/current`, a bare host, or host:port (see url.ts for the rules). */
  readonly url: string;
  /** The API key (`<id>-<key>`), or a function returning it. Never logged. */
  readonly apiKey: ApiKeySource;
  /** A child logger, e.g. `root.child({component: "truenas", nas})`. */
  readonly log: Logger;
  /** Timers and now(); default the system clock. */
  readonly clock?: Clock;
  /** Uniform [0, 1) for backoff jitter; default Math.random. */
  readonly random?: () => number;
  /** Verify the NAS certificate. Default true. false logs one warning at start(). */
  readonly verifyTls?: boolean;
  /** Trusted CA for the NAS certificate: PEM text or a path to a PEM file. */
  readonly ca?: string;
  /** Default per-call timeout, ms. Default 30 000. */
  readonly callTimeoutMs?: number;
  /** TCP + TLS + WebSocket handshake timeout, ms. Default 15 000. */
  readonly connectTimeoutMs?: number;
  /** Time between keepalive pings, ms. Default 25 000 (nginx drops idle sockets at 60 s). */
  readonly pingIntervalMs?: number;
  /** A ping unanswered after this many ms marks the socket dead, ms. Default 10 000. */
  readonly pingTimeoutMs?: number;
  /** Calls in flight per socket, all kinds. Default 20 (the server's limit); two are kept for ping/subscribe. */
  readonly maxInFlight?: number;
  /** Largest accepted server frame, bytes; 0 = unlimited. Default 512 MiB. */
  readonly maxFrameBytes?: number;
  /** Backoff after connection failures. Default CONNECT_BACKOFF (1 s ×2, cap 60 s). */
  readonly backoff?: BackoffPolicy;
  /** Backoff after a refused login. Default AUTH_BACKOFF (60 s ×2, cap 15 min). */
  readonly authBackoff?: BackoffPolicy;
  /** A session ready this long counts as stable: the next failure starts backoff from the base again. Default 60 000. */
  readonly stableAfterMs?: number;
}

export interface StateChange {
  readonly from: ClientState;
  readonly to: ClientState;
}

export interface ReadyEvent {
  readonly version: string;
  readonly info: SystemInfo;
}

export interface DownEvent {
  readonly reason: DownReason;
  readonly error?: Error;
  /** Delay before the next connect attempt. */
  readonly retryInMs: number;
}

/** Typed event map of TrueNasClient. */
export interface TrueNasClientEvents {
  state: [StateChange];
  ready: [ReadyEvent];
  down: [DownEvent];
  /** Every `collection_update`, raw params (listeners of `subscribe()` get the same, routed by collection). */
  notification: [CollectionUpdate];
}

/** Counters for metrics. */
export interface TrueNasClientStats {
  /** Requests issued (user and protocol calls). */
  readonly calls: number;
  /** Calls answered with a JSON-RPC error. */
  readonly callErrors: number;
  /** Calls that timed out locally. */
  readonly callTimeouts: number;
  /** Connect attempts after the first. */
  readonly reconnects: number;
  /** Sessions that reached ready. */
  readonly sessions: number;
  readonly framesIn: number;
  readonly bytesIn: number;
  /** Frames that could not be used (bad JSON, unknown ids, wrong shapes). */
  readonly badFrames: number;
  readonly notifications: number;
  readonly inFlight: number;
  readonly queued: number;
  readonly peakInFlight: number;
}

/** Defaults of the tunable options (units in TrueNasClientOptions). */
export const CLIENT_DEFAULTS = {
  callTimeoutMs: 30_000,
  connectTimeoutMs: 15_000,
  // nginx drops a socket idle for 60 s (truenas-api.md §1.1): ping well inside that.
  pingIntervalMs: 25_000,
  pingTimeoutMs: 10_000,
  maxInFlight: 20,
  maxFrameBytes: 512 * 1024 * 1024,
  backoff: CONNECT_BACKOFF,
  authBackoff: AUTH_BACKOFF,
  stableAfterMs: 60_000,
} as const satisfies Partial<TrueNasClientOptions>;

type Tunables = { -readonly [K in keyof typeof CLIENT_DEFAULTS]: NonNullable<TrueNasClientOptions[K]> };

/** Options with every tunable filled in (an explicit `undefined` also takes the default). */
export type ResolvedClientOptions = TrueNasClientOptions & Tunables;

export function withDefaults(opts: TrueNasClientOptions): ResolvedClientOptions {
  const out: Record<string, unknown> = { ...opts };
  for (const [key, value] of Object.entries(CLIENT_DEFAULTS)) out[key] ??= value;
  return out as unknown as ResolvedClientOptions;
}
