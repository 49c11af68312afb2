/**
 * The session steps the client runs on each socket (login, system.info) and the routing of incoming frames.
 * Kept apart from client.ts so the state machine stays small; nothing here holds state.
 */
import type { Logger } from "pino";
import type { RawData } from "ws";
import type { ApiKeySource, SystemInfo } from "./clientTypes.js";
import { AuthError, LoginRateLimitedError, TrueNasRpcError } from "./errors.js";
import { decodeFrame, type CollectionUpdate, type RpcErrorObject } from "./jsonrpc.js";
import type { FrameDigest, SettleOutcome } from "./callTracker.js";
import { replyDigest } from "./replyDigest.js";
import type { SubscriptionRegistry } from "./subscriptions.js";

type Call = (method: string, params: readonly unknown[]) => Promise<unknown>;

const REFUSED =
  "TrueNAS refused the API key (auth.login_with_api_key returned false): it is wrong, revoked or expired. " +
  "TrueNAS revokes a key that was ever sent over plain ws:// from a non-loopback address; if that happened, " +
  "create a new key. Retrying in minutes, not seconds, to stay clear of the login rate limit.";

/** The API key from its source, trimmed; an AuthError when it cannot be read or is empty. */
export async function readKey(source: ApiKeySource): Promise<string> {
  try {
    const key = typeof source === "function" ? await source() : source;
    if (typeof key !== "string" || key.trim() === "") throw new Error("the API key is empty");
    return key.trim();
  } catch (err) {
    throw new AuthError(`Cannot read the TrueNAS API key: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * `auth.login_with_api_key([key])` (truenas-api.md §1.4). The key is re-read from `source` every time, so a new
 * key in a key file is used without a restart. Any answer but `true` is an AuthError: `false` (bad, revoked,
 * expired) and errors such as EBUSY (rate limit) or EOPNOTSUPP (API_KEY_PLAIN not allowed under STIG).
 */
export async function loginOnce(source: ApiKeySource, call: Call): Promise<void> {
  const key = await readKey(source);
  let result: unknown;
  try {
    result = await call("auth.login_with_api_key", [key]);
  } catch (err) {
    if (err instanceof TrueNasRpcError && err.errname === "EBUSY") {
      throw new LoginRateLimitedError(`TrueNAS rate-limited the login: ${err.message}`, { cause: err });
    }
    if (err instanceof TrueNasRpcError) {
      throw new AuthError(`TrueNAS login failed: ${(err as Error).message}`, { cause: err });
    }
    throw err;
  }
  if (result !== true) throw new AuthError(REFUSED);
}

/** `system.info` after login: its `version` picks 25.04 or 25.10 behaviour (§3.2). */
export async function readSystemInfo(call: Call, log: Logger): Promise<SystemInfo> {
  const raw = await call("system.info", []);
  const info = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
  if (typeof info.version !== "string") {
    log.warn({ got: typeof info.version }, "system.info has no version string");
    return { ...info, version: "unknown" };
  }
  return info as SystemInfo;
}

/** Counters the frame router keeps. */
export interface FrameCounters {
  framesIn: number;
  bytesIn: number;
  /** Error answers to our calls. */
  callErrors: number;
  badFrames: number;
  notifications: number;
}

export function newFrameCounters(): FrameCounters {
  return { framesIn: 0, bytesIn: 0, callErrors: 0, badFrames: 0, notifications: 0 };
}

export interface FrameSink {
  readonly log: Logger;
  readonly counters: FrameCounters;
  settle(id: unknown, result: unknown, error?: RpcErrorObject, digest?: FrameDigest): SettleOutcome;
  readonly subscriptions: SubscriptionRegistry;
  emitNotification(params: CollectionUpdate): void;
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(new Uint8Array(data));
}

/** Route one incoming frame. Malformed input is counted and logged, never thrown. */
export function handleFrame(data: RawData, isBinary: boolean, sink: FrameSink): void {
  const { log, counters } = sink;
  const buf = toBuffer(data);
  counters.framesIn++;
  counters.bytesIn += buf.length;
  if (isBinary) {
    counters.badFrames++;
    log.warn("binary frame ignored");
    return;
  }
  const text = buf.toString("utf8");
  const frame = decodeFrame(text);
  switch (frame.kind) {
    case "result":
    case "error": {
      if (frame.kind === "error" && frame.id === null) {
        counters.badFrames++;
        log.warn({ error: frame.error }, "server error without call id");
        return;
      }
      const outcome =
        frame.kind === "error"
          ? sink.settle(frame.id, undefined, frame.error)
          : sink.settle(frame.id, frame.result, undefined, () =>
              typeof frame.id === "number" ? replyDigest(buf, frame.id) : null,
            );
      if (frame.kind === "error" && outcome === "settled") counters.callErrors++;
      if (outcome === "unknown") {
        counters.badFrames++;
        log.warn({ id: frame.id }, "answer for unknown call id");
      } else if (outcome === "late") {
        log.debug({ id: frame.id }, "late answer ignored");
      }
      return;
    }
    case "collection_update":
      counters.notifications++;
      sink.emitNotification(frame.params);
      sink.subscriptions.dispatch({ type: "collection_update", ...frame.params });
      return;
    case "notify_unsubscribed":
      counters.notifications++;
      sink.subscriptions.dispatch({ type: "notify_unsubscribed", ...frame.params });
      return;
    case "notification":
      log.debug({ method: frame.method }, "unhandled notification");
      return;
    case "invalid":
      counters.badFrames++;
      log.warn({ problem: frame.problem, sample: text.slice(0, 200) }, "malformed frame ignored");
      return;
  }
}
