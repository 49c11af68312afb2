/**
 * The simulated NAS's state: every collection the bridge reads, as the middleware would return it
 * (truenas-api.md §3). Methods read it, controls and drift change it.
 */
import type { SimVersion } from "../types.js";
import type { Row } from "./sampleData.js";

export interface NasState {
  version: SimVersion;
  info: Row;
  bootId: string;
  ready: boolean;
  pools: Row[];
  boot: Row;
  /** Flat dataset entries without `children` (built on demand by datasets.ts). */
  datasets: Row[];
  disks: Row[];
  /** Disk identifiers no longer attached (listed with extra.include_expired). */
  expiredDisks: Row[];
  interfaces: Row[];
  services: Row[];
  vms: Row[];
  instances: Row[];
  apps: Row[];
  cloudsync: Row[];
  replication: Row[];
  snapshottasks: Row[];
  jobs: Row[];
  alerts: Row[];
  /** Disk temperatures by disk name (°C). */
  temperatures: Record<string, number | null>;
  /** Critical temperature per disk name (°C) for include_thresholds. */
  critTemperatures: Record<string, number>;
  updateAvailable: string | null;
  netdataDown: boolean;
  realtime: Row;
  /** Monotonic counters for ids. */
  nextJobId: number;
  nextDiskNumber: number;
}

/** The short version string system.info reports for each flavour. */
export const VERSION_STRINGS: Record<SimVersion, string> = {
  "25.10": "25.10.0",
  "25.04.2": "25.04.2.6",
  "25.04.0": "25.04.0",
};

export function is2504(version: SimVersion): boolean {
  return version !== "25.10";
}

/** A small deterministic PRNG (mulberry32) so worlds are reproducible from a seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
