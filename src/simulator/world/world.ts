/**
 * The simulated TrueNAS ("world"): a profile's objects for one TrueNAS flavour, the method table of that flavour,
 * the `collection_update` events a real NAS sends, drift over time and a mutation API (`control`). The protocol
 * server (../server.ts) serves it; tests and the demo drive it directly.
 */
import { SimMethodNotFound } from "../rpcErrors.js";
import type {
  CallContext,
  CollectionEvent,
  CollectionEventListener,
  MethodHandler,
  SimProfile,
  SimVersion,
  SimWorldLike,
} from "../types.js";
import { AlertBook } from "./alerts.js";
import { WorldControl } from "./control/control.js";
import { tickScrubs } from "./control/pools.js";
import { TaskRunner } from "./control/tasks.js";
import { servicesFor } from "./control/workloads.js";
import { DatasetStore } from "./datasets/store.js";
import { isFinished, JobBook } from "./jobs.js";
import { buildMethods } from "./methods/index.js";
import { Metrics, type PoolUsage } from "./metrics.js";
import type { JobEntry } from "./model.js";
import { buildProfile } from "./profiles/index.js";
import { Rng } from "./random.js";
import type { WorldContext, WorldState } from "./state.js";

export interface SimWorldOptions {
  profile: SimProfile;
  version: SimVersion;
  /** Seeds drift, generated ids and the large profile. Default 1. */
  seed?: number;
  /** The world's clock, ms since epoch. Default `Date.now`. */
  now?: () => number;
  /** "hostile" adds datasets, apps, VMs and a NIC with awkward names (spaces, `+`, `#`, unicode). */
  names?: "normal" | "hostile";
}

/** Objects per kind (`datasets` counts visible ones; `vms` the libvirt VM records). */
export interface WorldCounts {
  pools: number;
  disks: number;
  datasets: number;
  apps: number;
  vms: number;
  instances: number;
  services: number;
  interfaces: number;
  cloudsync: number;
  replication: number;
  snapshottasks: number;
  alerts: number;
  jobs: number;
}

/** Drift runs in fixed 2 s steps (netdata's resolution), so the outcome does not depend on how `advance` is chunked. */
const TICK_MS = 2000;
/** Netdata's zfs pool collector runs every 300 s. */
const POOL_SAMPLE_TICKS = 150;

export class SimWorld implements SimWorldLike {
  readonly version: SimVersion;
  readonly profile: SimProfile;
  /** Typed mutations that emit the events a real NAS would. */
  readonly control: WorldControl;
  readonly #ctx: WorldContext;
  readonly #tasks: TaskRunner;
  readonly #methods: Map<string, MethodHandler>;
  readonly #listeners = new Set<CollectionEventListener>();
  #pendingMs = 0;
  #ticks = 0;

  constructor(opts: SimWorldOptions) {
    this.version = opts.version;
    this.profile = opts.profile;
    const now = opts.now ?? Date.now;
    const rng = new Rng(opts.seed ?? 1);
    const emit = (event: CollectionEvent): void => this.#emit(event);
    const data = buildProfile(opts.profile, {
      version: opts.version,
      rng,
      now: now(),
      names: opts.names ?? "normal",
    });
    const { datasets, jobs, alerts, metrics, ...rest } = data;
    const state: WorldState = {
      ...rest,
      datasets: new DatasetStore(data.bootPool, datasets),
      netdataDown: false,
    };
    const alertBook = new AlertBook({ emit, rng, now });
    alertBook.seed(alerts);
    this.#ctx = {
      version: opts.version,
      state,
      jobs: new JobBook({ version: opts.version, now, emit }, jobs),
      alerts: alertBook,
      metrics: new Metrics(metrics),
      rng,
      now,
      emit,
    };
    if (!metrics.pools) this.#ctx.metrics.samplePools(this.#poolUsage());
    this.#tasks = new TaskRunner(this.#ctx);
    this.control = new WorldControl(this.#ctx, this.#tasks);
    this.#methods = buildMethods(this.#ctx, this.#tasks);
  }

  /** Only the methods this flavour has (the server answers -32601 for the rest). */
  methods(): ReadonlyMap<string, MethodHandler> {
    return this.#methods;
  }

  /** Call a method as the server would (tests, demo). Throws the wire errors of rpcErrors.ts. */
  call(method: string, params: unknown[] = [], call: Partial<CallContext> = {}): unknown {
    const handler = this.#methods.get(method);
    if (!handler) throw new SimMethodNotFound(method);
    return handler(params, { messageId: call.messageId ?? null, username: call.username ?? "truenas_admin" });
  }

  onEvent(listener: CollectionEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * `reporting.realtime` fields now (truenas-api.md §2.4). Netdata down: 25.04 sends `{failed_to_connect: true}`,
   * 25.10 sends nothing (null).
   */
  realtimeStats(): Record<string, unknown> | null {
    const { state, metrics, version } = this.#ctx;
    if (state.netdataDown) return version === "25.10" ? null : { failed_to_connect: true };
    return metrics.realtime(version, state.interfaces);
  }

  #poolUsage(): PoolUsage[] {
    const { state } = this.#ctx;
    return state.pools.map((p) => {
      const root = state.datasets.get(p.entry.name);
      return { name: p.entry.name, used: root?.space.used ?? 0, available: root?.space.available ?? 0 };
    });
  }

  /**
   * Move the simulated processes forward by `ms`: CPU, temperatures, traffic, disk I/O, load, ARC; scrub and
   * task progress with their events. Processed in whole 2 s steps (a remainder carries over). Wall-clock fields
   * (`datetime`, uptime, job times) come from `now`.
   */
  advance(ms: number): void {
    this.#pendingMs += Math.max(0, ms);
    while (this.#pendingMs >= TICK_MS) {
      this.#pendingMs -= TICK_MS;
      this.#tick(TICK_MS / 1000);
    }
  }

  #tick(dt: number): void {
    const { metrics, rng, state } = this.#ctx;
    metrics.tick(rng, dt);
    for (const disk of state.disks) {
      if (disk.temp === null) continue;
      const next = disk.temp + 0.1 * (disk.baseTemp - disk.temp) * dt + 0.15 * Math.sqrt(dt) * rng.normal();
      disk.temp = Math.min(disk.baseTemp + 8, Math.max(disk.baseTemp - 5, next));
    }
    if (++this.#ticks % POOL_SAMPLE_TICKS === 0) this.#ctx.metrics.samplePools(this.#poolUsage());
    tickScrubs(this.#ctx, dt);
    this.#tasks.tick(dt);
  }

  /** Resolves with the job once it is SUCCESS, FAILED or ABORTED (for a server honouring `legacy_jobs: false`). */
  whenJobFinished(id: number): Promise<JobEntry> {
    const { jobs } = this.#ctx;
    const job = jobs.get(id);
    if (!job) return Promise.reject(new Error(`no job ${id}`));
    if (isFinished(job.state)) return Promise.resolve(jobs.render(job));
    return new Promise((resolve) => {
      const off = jobs.onChange((j) => {
        if (j.id !== id || !isFinished(j.state)) return;
        off();
        resolve(jobs.render(j));
      });
    });
  }

  counts(): WorldCounts {
    const { state, jobs, alerts } = this.#ctx;
    return {
      pools: state.pools.length,
      disks: state.disks.filter((d) => d.entry.expiretime === null).length,
      datasets: state.datasets.visible().length,
      apps: state.apps.length,
      vms: state.vms.length,
      instances: state.instances.length,
      services: servicesFor(this.#ctx).length,
      interfaces: state.interfaces.length,
      cloudsync: state.cloudsync.length,
      replication: state.replication.length,
      snapshottasks: state.snapshottasks.length,
      alerts: alerts.size,
      jobs: jobs.size,
    };
  }

  #emit(event: CollectionEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch {
        // One failing listener must not starve the others (the server logs its own failures).
      }
    }
  }
}
