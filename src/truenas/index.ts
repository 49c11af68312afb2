/**
 * The TrueNAS session client's public surface, for the composition root and the method groups.
 */
export { TrueNasClient } from "./client.js";
export type {
  ApiKeySource,
  ClientState,
  DownEvent,
  DownReason,
  ReadyEvent,
  StateChange,
  SystemInfo,
  TrueNasClientEvents,
  TrueNasClientOptions,
  TrueNasClientStats,
} from "./clientTypes.js";
export { CLIENT_DEFAULTS } from "./clientTypes.js";
export { AUTH_BACKOFF, CONNECT_BACKOFF, backoffDelay, type BackoffPolicy } from "./backoff.js";
export { systemClock, type Clock } from "./clock.js";
export * from "./errors.js";
export type { CollectionUpdate, NotifyUnsubscribed } from "./jsonrpc.js";
export type { DigestedReply } from "./callTracker.js";
export type { SubscriptionEvent, SubscriptionListener } from "./subscriptions.js";
export { normaliseTrueNasUrl, isLoopbackHost, type TrueNasEndpoint } from "./url.js";
