/**
 * Contracts between the simulator's protocol server (server.ts) and its world (world/).
 * The server owns framing, auth, limits, subscriptions and faults; the world owns data, methods and events.
 */

/** The TrueNAS flavours the simulator can impersonate (../shared/docs/truenas-api.md §0, §3.1). */
export type SimVersion = "25.10" | "25.04.2" | "25.04.0";
export const SIM_VERSIONS: readonly SimVersion[] = ["25.10", "25.04.2", "25.04.0"];

/** World sizes: small (tests), typical (demo, most tests), large (benchmarks). */
export type SimProfile = "small" | "typical" | "large";
export const SIM_PROFILES: readonly SimProfile[] = ["small", "typical", "large"];

/** What a method handler knows about the call. */
export interface CallContext {
  /** The JSON-RPC `id` of the request (25.10 jobs list it in `message_ids`). */
  readonly messageId: unknown;
  /** The authenticated user (API keys belong to a user). */
  readonly username: string;
}

/**
 * One method. `params` is the positional params array as received (already extended-JSON decoded).
 * Throw the errors in rpcErrors.ts for error responses; return the result (Dates and Sets are encoded).
 */
export type MethodHandler = (params: unknown[], ctx: CallContext) => unknown;

/** A `collection_update` notification as the world emits it (§2.2). `msg` is lower-case. */
export interface CollectionEvent {
  readonly collection: string;
  readonly msg: "added" | "changed" | "removed";
  readonly id?: unknown;
  readonly fields?: unknown;
  readonly extra?: Record<string, unknown>;
}

export type CollectionEventListener = (event: CollectionEvent) => void;

/** What the protocol server needs from a world (implemented by world/world.ts `SimWorld`). */
export interface SimWorldLike {
  readonly version: SimVersion;
  methods(): ReadonlyMap<string, MethodHandler>;
  onEvent(listener: CollectionEventListener): () => void;
  /** `reporting.realtime` fields for this version; null = send nothing this tick. */
  realtimeStats(): Record<string, unknown> | null;
  /** Move the world's clock-driven state forward (drift, scrub and job progress). */
  advance(ms: number): void;
}
