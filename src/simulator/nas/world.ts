/**
 * The simulated NAS ("world"): state for a profile and TrueNAS flavour, the method table, events, drift over
 * time and the control API. The protocol server (../server.ts) serves it.
 */
import { SimCallError } from "../rpcErrors.js";
import type {
  CollectionEvent,
  CollectionEventListener,
  MethodHandler,
  SimProfile,
  SimVersion,
  SimWorldLike,
} from "../types.js";
import { expectArgs } from "./args.js";
import { NasControl } from "./control.js";
import { drift } from "./drift.js";
import { JobBook } from "./jobs.js";
import { readMethods } from "./methods.js";
import { largeState, smallState } from "./otherProfiles.js";
import type { Row } from "./sampleData.js";
import { is2504, seededRandom, type NasState } from "./state.js";
import { typicalState } from "./typicalProfile.js";

export interface SimWorldOptions {
  profile: SimProfile;
  version: SimVersion;
  seed?: number;
  /** ms since epoch; default Date.now. */
  now?: () => number;
}

function buildState(o: SimWorldOptions, now: number): NasState {
  if (o.profile === "small") return smallState(o.version, now);
  if (o.profile === "large") return largeState(o.version, now, o.seed ?? 1);
  return typicalState(o.version, now);
}

export class SimWorld implements SimWorldLike {
  readonly version: SimVersion;
  readonly profile: SimProfile;
  readonly state: NasState;
  readonly control: NasControl;
  readonly jobs: JobBook;
  readonly #listeners = new Set<CollectionEventListener>();
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #methods: Map<string, MethodHandler>;

  constructor(opts: SimWorldOptions) {
    this.version = opts.version;
    this.profile = opts.profile;
    this.#now = opts.now ?? Date.now;
    this.#random = seededRandom(opts.seed ?? 1);
    this.state = buildState(opts, this.#now());
    const emit = (e: CollectionEvent): void => this.#emit(e);
    this.jobs = new JobBook(() => this.state, emit, this.#now);
    this.control = new NasControl(() => this.state, emit, this.jobs, this.#now);
    this.#methods = readMethods(() => this.state, this.#now);
    this.#addJobMethods();
  }

  methods(): ReadonlyMap<string, MethodHandler> {
    return this.#methods;
  }

  onEvent(listener: CollectionEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The reporting.realtime payload now (truenas-api.md §2.4); null when 25.10's netdata returns nothing. */
  realtimeStats(): Record<string, unknown> | null {
    if (this.state.netdataDown) return is2504(this.version) ? { failed_to_connect: true } : null;
    return structuredClone(this.state.realtime);
  }

  advance(ms: number): void {
    for (const e of drift(this.state, ms, this.#random, this.#now())) this.#emit(e);
    for (const job of this.jobs.running()) {
      if (job.method !== "cloudsync.sync" && job.method !== "replication.run") continue;
      const percent = Number((job.progress as Row).percent) + Math.max(1, Math.round(ms / 1000));
      if (percent >= 100) {
        const kind = job.method === "cloudsync.sync" ? "cloudsync" : "replication";
        this.control.finishTask(kind, Number((job.arguments as unknown[])[0]), true);
      } else {
        this.jobs.progress(Number(job.id), percent, "Sending");
      }
    }
  }

  /** Objects per kind, for tests and the benchmark. */
  counts(): Record<string, number> {
    const s = this.state;
    return {
      pools: s.pools.length,
      disks: s.disks.length,
      datasets: s.datasets.length,
      apps: s.apps.length,
      vms: s.vms.length,
      instances: s.instances.length,
      services: s.services.length,
      interfaces: s.interfaces.length,
      cloudsync: s.cloudsync.length,
      replication: s.replication.length,
      snapshottasks: s.snapshottasks.length,
      alerts: s.alerts.length,
      jobs: s.jobs.length,
    };
  }

  #emit(event: CollectionEvent): void {
    for (const l of [...this.#listeners]) {
      try {
        l(event);
      } catch {
        // A listener's failure must not stop the others (the server logs its own).
      }
    }
  }

  /** Job methods answer with the job id (legacy_jobs, the default: truenas-api.md §5). */
  #addJobMethods(): void {
    const m = this.#methods;
    m.set("pool.scrub.scrub", (params, ctx) => {
      expectArgs(params, 2);
      const [pool, action = "START"] = params as [string, string?];
      if (!this.state.pools.some((p) => p.name === pool))
        throw new SimCallError("ENOENT", `Pool ${String(pool)} not found`);
      const id = this.jobs.start(
        "pool.scrub.scrub",
        [pool, action],
        `Scrub of pool '${pool}'`,
        ctx.messageId,
        ctx.username,
      );
      if (action === "START") this.control.startScrub(pool);
      this.jobs.finish(id, "SUCCESS");
      return id;
    });
    for (const [method, run] of [
      ["app.start", (n: string) => this.control.startApp(n)],
      ["app.stop", (n: string) => this.control.stopApp(n)],
    ] as const) {
      m.set(method, (params, ctx) => {
        expectArgs(params, 1);
        const name = String(params[0]);
        if (!this.state.apps.some((a) => a.name === name))
          throw new SimCallError("ENOENT", `App ${name} not found`);
        const id = this.jobs.start(
          method,
          [name],
          `${method === "app.start" ? "Starting" : "Stopping"} ${name}`,
          ctx.messageId,
          ctx.username,
        );
        run(name);
        this.jobs.finish(id, "SUCCESS");
        return id;
      });
    }
    m.set("cloudsync.sync", (params) => this.control.runCloudSync(Number(params[0])));
    m.set("replication.run", (params) => this.control.runReplication(Number(params[0])));
  }
}
