/**
 * Changes made to the simulated NAS during the benchmark: a share of objects changed at once (for the "5 %
 * changed" cycle), and the event-driven mutations whose latency to MQTT is measured.
 */
import type { ObjectRef } from "../../src/entities/model.js";
import { ALERTS_REF } from "../../src/groups/alerts.js";
import { seededRandom } from "../../src/simulator/nas/state.js";
import type { SimWorld } from "../../src/simulator/nas/world.js";
import { sizeProperty } from "../../src/simulator/nas/datasets.js";

/** The simulator's seeded PRNG, so two runs change the same objects. */
export const rng = seededRandom;

/**
 * Every single-object change the benchmark can make: datasets grow, disks warm up, apps, services and VMs flip
 * between running and stopped. The last three go through the control API, so they also send TrueNAS events.
 */
function candidates(world: SimWorld, publishedDatasets: ReadonlySet<string>): Array<() => void> {
  const s = world.state;
  const c = world.control;
  return [
    ...s.datasets
      .filter((d) => publishedDatasets.has(String(d.id)))
      .map((d) => () => {
        d.used = sizeProperty(Number((d.used as { parsed?: unknown } | undefined)?.parsed ?? 0) + 1_048_576);
      }),
    ...s.disks.map((d) => () => {
      const name = String(d.name);
      s.temperatures[name] = (s.temperatures[name] ?? 30) + 1;
    }),
    ...s.apps.map(
      (a) => () => (a.state === "RUNNING" ? c.stopApp(String(a.name)) : c.startApp(String(a.name))),
    ),
    ...s.services.map((r) => () => c.setServiceRunning(String(r.service), r.state !== "RUNNING")),
    ...s.vms.map(
      (v) => () =>
        c.setVmRunning(Number(v.id), (v.status as { state?: unknown } | undefined)?.state !== "RUNNING"),
    ),
  ];
}

/** Changes `share` of `objectCount` objects (at least one); returns how many were changed. */
export function changeShare(
  world: SimWorld,
  publishedDatasets: ReadonlySet<string>,
  objectCount: number,
  share: number,
  random: () => number,
): number {
  const all = candidates(world, publishedDatasets);
  const n = Math.min(all.length, Math.max(1, Math.ceil(objectCount * share)));
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  for (const change of all.slice(0, n)) change();
  return n;
}

/** An event-driven mutation: what to do, and the object whose state topic must then change. */
export interface EventMutation {
  readonly kind: string;
  run(): void;
  readonly object: ObjectRef;
}

/** Pool degraded/restored, app stopped/started, alert raised/cleared, in turn. */
export function eventMutations(world: SimWorld, count: number): EventMutation[] {
  const s = world.state;
  const c = world.control;
  const pool = s.pools[0]!;
  const app = s.apps.find((a) => a.state === "RUNNING") ?? s.apps[0]!;
  const poolRef: ObjectRef = { kind: "pool", id: String(pool.guid) };
  const appRef: ObjectRef = { kind: "app", id: String(app.name) };
  let alert: string | undefined;
  const cycle: EventMutation[] = [
    { kind: "pool degraded", run: () => c.degradePool(String(pool.name)), object: poolRef },
    { kind: "pool restored", run: () => c.restorePool(String(pool.name)), object: poolRef },
    { kind: "app stopped", run: () => c.stopApp(String(app.name)), object: appRef },
    { kind: "app started", run: () => c.startApp(String(app.name)), object: appRef },
    {
      kind: "alert raised",
      run: () => {
        alert = c.raiseAlert({ klass: "BenchAlert", level: "WARNING", formatted: "benchmark alert" });
      },
      object: ALERTS_REF,
    },
    {
      kind: "alert cleared",
      run: () => {
        if (alert) c.clearAlert(alert);
      },
      object: ALERTS_REF,
    },
  ];
  return Array.from({ length: count }, (_, i) => cycle[i % cycle.length]!);
}
