/**
 * The `large` profile, generated deterministically from the seed for load tests: 200 disks in ten pools, 5,000
 * datasets, 150 apps (each with its `tank/appdata/<app>` dataset), 50 VMs (each on a `vmstore/vms/<vm>` zvol),
 * 10 containers and 100 tasks of each kind pointing at real datasets.
 */
import type { AlertEntry, AppState, InstanceEntry } from "../model.js";
import { buildAlert } from "../alerts.js";
import type { AppRecord, ProfileContext, ProfileData } from "../state.js";
import { makeInterface } from "./buildSystem.js";
import { makeApp, makeVm } from "./buildWorkloads.js";
import { largeDatasets, largeStorage } from "./largeStorage.js";
import { largeTasks } from "./largeTasks.js";
import { typicalInstances } from "./typicalWorkloads.js";
import { typicalMetrics, typicalServices, typicalSystem, typicalUpdate } from "./typicalSystem.js";

const CATALOG = [
  "plex",
  "jellyfin",
  "nextcloud",
  "immich",
  "home-assistant",
  "pihole",
  "adguard-home",
  "vaultwarden",
  "gitea",
  "syncthing",
  "photoprism",
  "paperless-ngx",
  "grafana",
  "prometheus",
  "minio",
  "sonarr",
  "radarr",
  "lidarr",
  "prowlarr",
  "qbittorrent",
  "transmission",
  "tautulli",
  "overseerr",
  "uptime-kuma",
  "portainer",
  "nginx-proxy-manager",
  "wireguard",
  "mealie",
  "freshrss",
  "calibre-web",
];
const VM_WORDS = ["web", "db", "build", "win", "test", "proxy", "mail", "dns", "ci", "lab"];

function largeApps(ctx: ProfileContext): AppRecord[] {
  const { rng } = ctx;
  const seen = new Map<string, number>();
  return Array.from({ length: 150 }, (_, i) => {
    const base = CATALOG[i % CATALOG.length] as string;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const name = n === 1 ? base : `${base}-${n}`;
    const roll = rng.next();
    const state: AppState =
      roll < 0.8 ? "RUNNING" : roll < 0.95 ? "STOPPED" : roll < 0.98 ? "CRASHED" : "DEPLOYING";
    const app = makeApp({
      name,
      title: base.replace(
        /(^|-)(\w)/g,
        (_m, sep: string, c: string) => `${sep ? " " : ""}${c.toUpperCase()}`,
      ),
      appVersion: `${rng.int(1, 30)}.${rng.int(0, 12)}.${rng.int(0, 9)}`,
      version: `1.${rng.int(0, 5)}.${rng.int(0, 40)}`,
      latest: `1.${rng.int(5, 6)}.${rng.int(0, 40)}`,
      upgradeAvailable: rng.chance(0.1),
      state,
      category: "productivity",
      portals: { "Web UI": `http://0.0.0.0:${30000 + i}/` },
      networkId: rng.hex(64),
      containers: Array.from({ length: rng.int(1, 3) }, (_c, c) => ({
        id: rng.hex(64),
        service: c === 0 ? base : `${base}-worker${c}`,
        image: `ghcr.io/example/${base}:${rng.int(1, 9)}.${rng.int(0, 9)}`,
        ...(c === 0 ? { ports: [[8080, 30000 + i]] as Array<[number, number]> } : {}),
        volumes: [[`/mnt/tank/appdata/${name}`, "/data"]] as Array<[string, string]>,
      })),
    });
    if (state === "CRASHED")
      for (const c of app.entry.active_workloads.container_details) c.state = "crashed";
    if (state === "DEPLOYING")
      for (const c of app.entry.active_workloads.container_details) c.state = "starting";
    return app;
  });
}

function largeVms(ctx: ProfileContext) {
  const { rng } = ctx;
  return Array.from({ length: 50 }, (_, i) => {
    const name = `${VM_WORDS[i % VM_WORDS.length] as string}${String(Math.floor(i / VM_WORDS.length) + 1).padStart(2, "0")}`;
    return makeVm({
      id: i + 1,
      name,
      description: `Generated VM ${i + 1}`,
      cores: rng.pick([1, 2, 4, 8]),
      threads: rng.pick([1, 2]),
      memory: rng.pick([2048, 4096, 8192, 16384, 32768]),
      autostart: rng.chance(0.5),
      secureBoot: rng.chance(0.3),
      tpm: rng.chance(0.3),
      hyperv: false,
      time: "UTC",
      uuid: rng.uuid(),
      zvol: `vmstore/vms/${name}`,
      mac: `00:a0:98:${rng.hex(2)}:${rng.hex(2)}:${rng.hex(2)}`,
      nic: "enp65s0f0",
      displayPort: 5900 + i * 2,
      pid: rng.chance(0.6) ? rng.int(20000, 90000) : null,
    });
  });
}

function largeInstances(ctx: ProfileContext): InstanceEntry[] {
  const template = typicalInstances()[0] as InstanceEntry;
  return Array.from({ length: 10 }, (_, i) => ({
    ...structuredClone(template),
    id: `ct${String(i + 1).padStart(2, "0")}`,
    name: `ct${String(i + 1).padStart(2, "0")}`,
    status: ctx.rng.chance(0.7) ? "RUNNING" : "STOPPED",
    aliases: [{ type: "INET", address: `10.0.1.${i + 10}`, netmask: 24 }],
    storage_pool: "vmstore",
  }));
}

const NICS = ["enp65s0f0", "enp65s0f1", "enp66s0f0", "enp66s0f1"];

/** A 24-core EPYC with 16 monitored cores, two 10 GbE links up and two down. */
function largeHost(ctx: ProfileContext): Pick<ProfileData, "system" | "interfaces" | "metrics"> {
  const metrics = typicalMetrics();
  delete metrics.pools;
  metrics.cpu.cores = Array.from({ length: 16 }, (_, i) => ({ usage: 5 + (i % 7) * 3, temp: 48 + (i % 4) }));
  metrics.interfaces = Object.fromEntries(
    NICS.map((n, i) => [n, i < 2 ? { rx: 4.2e7 * (i + 1), tx: 1.1e8 / (i + 1) } : { rx: 0, tx: 0 }]),
  );
  const base = typicalSystem(ctx);
  const info = {
    ...base.info,
    hostname: "nas-large",
    physmem: 274877906944,
    model: "AMD EPYC 7443P 24-Core Processor",
    cores: 48,
    physical_cores: 24,
    system_product: "H12SSL-i",
    system_manufacturer: "Supermicro",
  };
  const interfaces = NICS.map((name, i) =>
    makeInterface({
      name,
      mac: `3c:ec:ef:${ctx.rng.hex(2)}:${ctx.rng.hex(2)}:${ctx.rng.hex(2)}`,
      up: i < 2,
      speed: "10000Mb/s",
      ...(i === 0 ? { ipv4: { address: "10.0.0.10", netmask: 24 } } : {}),
      description: i === 0 ? "LAN" : "",
    }),
  );
  return { system: { ...base, info, bootId: ctx.rng.uuid(), hostId: ctx.rng.hex(64) }, interfaces, metrics };
}

/** The one-shot AppUpdate alert listing the upgradable apps. */
function largeAlerts(ctx: ProfileContext, apps: AppRecord[]): AlertEntry[] {
  const upgradable = apps.filter((a) => a.entry.upgrade_available).map((a) => a.entry.name);
  if (upgradable.length === 0) return [];
  const args = {
    count: upgradable.length,
    plural: upgradable.length === 1 ? "" : "s",
    apps: upgradable.join(", "),
  };
  const text = "Updates are available for %(count)d application%(plural)s: %(apps)s";
  return [buildAlert({ klass: "AppUpdate", level: "INFO", oneShot: true, text, args }, ctx.rng, ctx.now)];
}

export function largeProfile(ctx: ProfileContext): ProfileData {
  const { disks, pools, boot } = largeStorage(ctx);
  const apps = largeApps(ctx);
  const vms = largeVms(ctx);
  const names = { apps: apps.map((a) => a.entry.name), vms: vms.map((v) => v.name) };
  const datasets = largeDatasets(ctx, pools, names.apps, names.vms);
  // Tasks point at the second-level user datasets (not app data).
  const userDatasets = datasets
    .filter(
      (d) => d.type === "FILESYSTEM" && d.name.split("/").length === 3 && !d.name.startsWith("tank/appdata"),
    )
    .map((d) => d.name);
  return {
    ...largeHost(ctx),
    update: typicalUpdate(ctx),
    hostIp: "10.0.0.10",
    bootPool: "boot-pool",
    pools,
    boot,
    disks,
    datasets,
    services: typicalServices(),
    apps,
    vms,
    instances: largeInstances(ctx),
    ...largeTasks(ctx, userDatasets),
    alerts: largeAlerts(ctx, apps),
  };
}
