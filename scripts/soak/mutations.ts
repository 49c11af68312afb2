/**
 * Random changes to the simulated NAS, the kind a real one goes through: pools degrade and recover, apps
 * stop, start, crash and are deleted and reinstalled, alerts come and go, disks warm up (or stop reporting),
 * datasets are created and destroyed, services toggle, and the world drifts. Each change goes through the
 * simulator's controls, so it emits the events a real NAS sends. The soak's own objects are bounded, so a
 * long run ends with a NAS the size it started with.
 */
import type { AlertSpec } from "../../src/simulator/nas/control.js";
import type { Row } from "../../src/simulator/nas/sampleData.js";
import type { SimWorld } from "../../src/simulator/nas/world.js";

export const MUTATION_KINDS = [
  "pool_degrade",
  "pool_restore",
  "app_stop",
  "app_start",
  "app_crash",
  "app_delete",
  "app_reinstall",
  "alert_raise",
  "alert_clear",
  "disk_temperature",
  "dataset_create",
  "dataset_destroy",
  "service_toggle",
  "drift",
] as const;
export type MutationKind = (typeof MUTATION_KINDS)[number];

const MAX_SOAK_ALERTS = 4;
const MAX_SOAK_DATASETS = 3;
const ALERT_LEVELS: readonly AlertSpec["level"][] = ["INFO", "WARNING", "ERROR", "CRITICAL"];

export class NasMutator {
  readonly counts = Object.fromEntries(MUTATION_KINDS.map((k) => [k, 0])) as Record<MutationKind, number>;
  readonly #world: SimWorld;
  readonly #random: () => number;
  readonly #deletedApps: Row[] = [];
  readonly #alerts: string[] = [];
  readonly #datasets: string[] = [];
  #nextDataset = 1;

  constructor(world: SimWorld, random: () => number) {
    this.#world = world;
    this.#random = random;
  }

  /** Apply one random change; returns its kind, or undefined when the one drawn did not apply. */
  mutate(): MutationKind | undefined {
    const kind = this.#pick(MUTATION_KINDS);
    if (!this.#apply(kind)) return undefined;
    this.counts[kind] += 1;
    return kind;
  }

  get total(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }

  #pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.#random() * items.length)] as T;
  }

  #apply(kind: MutationKind): boolean {
    const { control, state } = this.#world;
    switch (kind) {
      case "pool_degrade":
      case "pool_restore": {
        const want = kind === "pool_degrade" ? "ONLINE" : "DEGRADED";
        const pools = state.pools.filter((p) => p.status === want);
        if (pools.length === 0) return false;
        const name = String(this.#pick(pools).name);
        if (kind === "pool_degrade") control.degradePool(name);
        else control.restorePool(name);
        return true;
      }
      case "app_stop":
      case "app_start":
      case "app_crash": {
        const from = kind === "app_start" ? ["STOPPED", "CRASHED"] : ["RUNNING"];
        const apps = state.apps.filter((a) => from.includes(String(a.state)));
        if (apps.length === 0) return false;
        const name = String(this.#pick(apps).name);
        if (kind === "app_stop") control.stopApp(name);
        else if (kind === "app_start") control.startApp(name);
        else control.crashApp(name);
        return true;
      }
      case "app_delete": {
        if (state.apps.length <= 1) return false;
        const app = this.#pick(state.apps);
        this.#deletedApps.push(structuredClone(app));
        control.deleteApp(String(app.name));
        return true;
      }
      case "app_reinstall": {
        // The simulator has no install control; the row comes back and the next poll finds it.
        const app = this.#deletedApps.shift();
        if (!app) return false;
        state.apps.push(app);
        return true;
      }
      case "alert_raise": {
        if (this.#alerts.length >= MAX_SOAK_ALERTS) return false;
        const n = Math.floor(this.#random() * 1000);
        const uuid = control.raiseAlert({
          klass: "SoakTest",
          level: this.#pick(ALERT_LEVELS),
          args: { n },
          formatted: `Soak alert ${n}`,
        });
        this.#alerts.push(uuid);
        return true;
      }
      case "alert_clear": {
        const uuid = this.#alerts.splice(Math.floor(this.#random() * this.#alerts.length), 1)[0];
        if (uuid === undefined) return false;
        control.clearAlert(uuid);
        return true;
      }
      case "disk_temperature": {
        const disks = Object.keys(state.temperatures);
        if (disks.length === 0) return false;
        const celsius = this.#random() < 0.1 ? null : Math.round(250 + this.#random() * 450) / 10;
        control.setTemperature(this.#pick(disks), celsius);
        return true;
      }
      case "dataset_create": {
        if (this.#datasets.length >= MAX_SOAK_DATASETS) return false;
        const pool = String(this.#pick(state.pools).name);
        const name = `${pool}/soak${this.#nextDataset++}`;
        control.createDataset(name, Math.round(this.#random() * 2 ** 30));
        this.#datasets.push(name);
        return true;
      }
      case "dataset_destroy": {
        const name = this.#datasets.splice(Math.floor(this.#random() * this.#datasets.length), 1)[0];
        if (name === undefined) return false;
        control.destroyDataset(name);
        return true;
      }
      case "service_toggle": {
        const row = this.#pick(state.services);
        control.setServiceRunning(String(row.service), row.state !== "RUNNING");
        return true;
      }
      case "drift":
        this.#world.advance(2000 + Math.round(this.#random() * 8000));
        return true;
    }
  }
}
