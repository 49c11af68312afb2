/**
 * JSON-RPC 2.0 frame codec for the TrueNAS WebSocket API. Pure: no sockets, no logger.
 * Wire format: truenas-api.md §1.2 (requests, responses, positional params), §1.3 (extended JSON),
 * §1.6 (error objects), §2.2 (notifications).
 */
import { parseEjson, stringifyEjson } from "./ejson.js";

export type RpcId = number | string;

/** The JSON-RPC error object as received (`data` is the TrueNAS error object, absent for some codes). */
export interface RpcErrorObject {
  code?: unknown;
  message?: unknown;
  data?: unknown;
}

/** `collection_update` params (§2.2). `msg` is lower-case on the wire. */
export interface CollectionUpdate {
  readonly msg: string;
  readonly collection: string;
  readonly id?: unknown;
  readonly fields?: unknown;
  readonly extra?: unknown;
}

/** `notify_unsubscribed` params: an event source stopped (unsubscribe, bad arguments, or it crashed). */
export interface NotifyUnsubscribed {
  readonly collection: string;
  readonly error: unknown;
}

/** What an incoming text frame turned out to be. Results are already extended-JSON decoded. */
export type IncomingFrame =
  | { readonly kind: "result"; readonly id: RpcId; readonly result: unknown }
  | { readonly kind: "error"; readonly id: RpcId | null; readonly error: RpcErrorObject }
  | { readonly kind: "collection_update"; readonly params: CollectionUpdate }
  | { readonly kind: "notify_unsubscribed"; readonly params: NotifyUnsubscribed }
  | { readonly kind: "notification"; readonly method: string; readonly params: unknown }
  | { readonly kind: "invalid"; readonly problem: string };

/** Serialise a request. Params are always an array (the server refuses objects with -32600). */
export function encodeRequest(id: RpcId, method: string, params: readonly unknown[]): string {
  return stringifyEjson({ jsonrpc: "2.0", id, method, params });
}

const REDACTED = "[redacted]";

/**
 * Params safe to log: every `auth.*` call may carry a key, password or token, so its params are replaced.
 * Never log the API key (architecture.md rule 7).
 */
export function redactParams(method: string, params: readonly unknown[]): readonly unknown[] {
  return method.startsWith("auth.") ? params.map(() => REDACTED) : params;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isId(v: unknown): v is RpcId {
  return typeof v === "string" || (typeof v === "number" && Number.isFinite(v));
}

function classifyNotification(method: string, params: unknown): IncomingFrame {
  if (method === "collection_update") {
    if (!isRecord(params) || typeof params.collection !== "string" || typeof params.msg !== "string") {
      return { kind: "invalid", problem: "collection_update without collection or msg" };
    }
    return { kind: "collection_update", params: params as unknown as CollectionUpdate };
  }
  if (method === "notify_unsubscribed") {
    if (!isRecord(params) || typeof params.collection !== "string") {
      return { kind: "invalid", problem: "notify_unsubscribed without collection" };
    }
    return {
      kind: "notify_unsubscribed",
      params: { collection: params.collection, error: params.error ?? null },
    };
  }
  return { kind: "notification", method, params };
}

/** Classify one parsed message. Never throws. */
export function classifyMessage(message: unknown): IncomingFrame {
  if (Array.isArray(message)) return { kind: "invalid", problem: "batch (array) frames are not expected" };
  if (!isRecord(message)) return { kind: "invalid", problem: "frame is not a JSON object" };
  if (typeof message.method === "string" && !("id" in message)) {
    return classifyNotification(message.method, message.params);
  }
  if ("error" in message && message.error !== undefined) {
    const id = message.id === null || isId(message.id) ? message.id : null;
    const error = isRecord(message.error) ? message.error : { message: JSON.stringify(message.error) };
    return { kind: "error", id, error };
  }
  if (!isId(message.id)) return { kind: "invalid", problem: "response without a usable id" };
  if (!("result" in message)) return { kind: "invalid", problem: "response without result or error" };
  return { kind: "result", id: message.id, result: message.result };
}

/** Parse and classify one text frame (extended JSON decoded in the same pass). Never throws. */
export function decodeFrame(text: string): IncomingFrame {
  let message: unknown;
  try {
    message = parseEjson(text);
  } catch (err) {
    return { kind: "invalid", problem: `not JSON: ${(err as Error).message}` };
  }
  return classifyMessage(message);
}
