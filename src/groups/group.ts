/**
 * What a method group is (architecture.md: "method groups are data"): a name, the I/O that fetches its raw
 * results with server-side filters and `select`, the pure normaliser that turns them into objects and entity
 * specs, and the TrueNAS events after which it should be polled again.
 */
import type { GroupSnapshot, NasIdentity } from "../entities/model.js";
import type { TrueNasVersion } from "../truenas/version.js";
import type { GroupName } from "./schedules.js";

/** A TrueNAS call, bound to the NAS's session. */
export type CallFn = <T = unknown>(method: string, params?: readonly unknown[]) => Promise<T>;

/** Per-group options from the configuration. */
export interface GroupOptions {
  readonly datasets: {
    readonly include: readonly string[];
    readonly exclude: readonly string[];
    readonly maxDepth: number;
  };
}

export interface FetchContext {
  readonly call: CallFn;
  /** The latest payload of the group's event source (see `source`), or undefined before the first. */
  readonly latest?: unknown;
  readonly version: TrueNasVersion;
  readonly options: GroupOptions;
}

export interface NormaliseContext {
  readonly nas: NasIdentity;
  readonly version: TrueNasVersion;
  readonly options: GroupOptions;
}

export interface GroupDefinition<Raw = unknown> {
  readonly name: GroupName;
  /** Fetch everything the group shows. A MethodNotFoundError here means the NAS lacks the group. */
  fetch(ctx: FetchContext): Promise<Raw>;
  /** Pure: raw results to devices, objects and entities. Must not throw on odd input. */
  normalise(raw: Raw, ctx: NormaliseContext): GroupSnapshot;
  /** Event collections after which the group is polled again (debounced). */
  readonly events?: readonly string[];
  /**
   * An event source whose latest `fields` the group reads at its own pace (e.g.
   * `reporting.realtime:{"interval":2}`): subscribed once per session, never a poll trigger.
   */
  readonly source?: string;
}
