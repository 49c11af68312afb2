/**
 * Opt-in awkward names (`names: "hostile"`) for testing topic and entity-id sanitising: spaces, `+`, `#`, `/`-free
 * punctuation and non-ASCII in a dataset subtree, an app, a VM and a NIC. Some of these go beyond what TrueNAS's
 * own validation accepts (ZFS allows only alphanumerics, `-_.: ` and space); a bridge should survive them anyway.
 */
import type { ProfileContext, ProfileData } from "../state.js";
import { buildDatasets } from "./buildDatasets.js";
import { makeInterface } from "./buildSystem.js";
import { makeApp, makeVm } from "./buildWorkloads.js";

export const HOSTILE_NAMES = {
  datasets: ["Fotos 2024 + Archiv #1", "Fotos 2024 + Archiv #1/Sub.Dir: v2", "Ünïcødé ☃ daten"],
  zvol: "Ünïcødé ☃ daten/VM Disk #2",
  app: "my app+#1",
  vm: "Win 11 #2 (Gäste)",
  nic: "br0+lan#ü",
} as const;

export function addHostileNames(ctx: ProfileContext, data: ProfileData): void {
  const pool = data.pools[0]?.entry.name ?? "tank";
  const root = data.datasets.find((d) => d.name === pool);
  const created = Math.floor(ctx.now / 1000) - 86400;
  data.datasets.push(
    ...buildDatasets(
      [...HOSTILE_NAMES.datasets, HOSTILE_NAMES.zvol].map((n) => ({
        name: `${pool}/${n}`,
        ...(n === HOSTILE_NAMES.zvol ? { type: "VOLUME" as const, volsize: 2 ** 34 } : {}),
        used: 2 ** 30,
        available: root?.space.available ?? 2 ** 40,
        creation: created,
      })),
    ),
  );
  data.apps.push(
    makeApp({
      name: HOSTILE_NAMES.app,
      title: "My App +#1",
      appVersion: "1.0.0",
      version: "1.0.0",
      latest: "1.0.0",
      state: "RUNNING",
      category: "custom",
      customApp: true,
      portals: { "Web UI": "http://0.0.0.0:31999/" },
      networkId: ctx.rng.hex(64),
      containers: [
        { id: ctx.rng.hex(64), service: "app", image: "example/app:latest", ports: [[80, 31999]] },
      ],
    }),
  );
  data.vms.push(
    makeVm({
      id: Math.max(0, ...data.vms.map((v) => v.id)) + 1,
      name: HOSTILE_NAMES.vm,
      description: "VM with an awkward name",
      cores: 2,
      threads: 1,
      memory: 4096,
      autostart: false,
      secureBoot: false,
      tpm: false,
      hyperv: false,
      time: "UTC",
      uuid: ctx.rng.uuid(),
      zvol: `${pool}/${HOSTILE_NAMES.zvol}`,
      mac: "00:a0:98:7e:8f:90",
      nic: data.interfaces[0]?.name ?? "enp3s0",
      displayPort: 5990,
      pid: null,
    }),
  );
  data.interfaces.push(
    makeInterface({ name: HOSTILE_NAMES.nic, mac: "a8:a1:59:3c:52:ef", up: true, speed: "1000Mb/s" }),
  );
  data.metrics.interfaces[HOSTILE_NAMES.nic] = { rx: 2048, tx: 1024 };
}
