/**
 * nas01's apps, VMs and Incus instances (../shared/docs/truenas-samples/app.query.json, vm.query.json,
 * virt.instance.query.json): plex and nextcloud running (nextcloud upgradable, 3 containers), home-assistant
 * stopped; win11 running, debian12 stopped; the pihole container and a legacy Incus VM.
 */
import type { InstanceEntry, VmEntry } from "../model.js";
import type { AppRecord } from "../state.js";
import { makeApp, makeVm } from "./buildWorkloads.js";

const NET_ID = "c1f0a9b8e7d6c5b4a3928170f6e5d4c3b2a1908f7e6d5c4b3a291807f6e5d4c3";

export function typicalApps(): AppRecord[] {
  const plex = makeApp({
    name: "plex",
    title: "Plex",
    appVersion: "1.41.3.9314",
    version: "1.2.14",
    latest: "1.2.14",
    state: "RUNNING",
    category: "media",
    notes: "# Plex\n\nAccess the web UI on port 32400.\n",
    portals: { "Web UI": "http://0.0.0.0:32400/web" },
    networkId: NET_ID,
    containers: [
      {
        id: "5e0f7c1a2b3d4e5f60718293a4b5c6d7e8f90123456789abcdef0123456789ab",
        service: "plex",
        image: "plexinc/pms-docker:1.41.3.9314-a0bfb8370",
        ports: [[32400, 32400]],
        volumes: [
          ["/mnt/fast/appdata/plex", "/config"],
          ["/mnt/tank/media", "/data"],
        ],
      },
    ],
  });
  const nextcloud = makeApp({
    name: "nextcloud",
    title: "Nextcloud",
    appVersion: "31.0.9",
    version: "2.0.9",
    latest: "2.0.11",
    upgradeAvailable: true,
    state: "RUNNING",
    category: "productivity",
    portals: { "Web UI": "http://0.0.0.0:30027/" },
    networkId: NET_ID,
    containers: [
      {
        id: "7a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b",
        service: "nextcloud",
        image: "nextcloud:31.0.9",
        ports: [[80, 30027]],
        volumes: [["/mnt/fast/appdata/nextcloud/html", "/var/www/html"]],
      },
      {
        id: "8b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c",
        service: "postgres",
        image: "postgres:17.6",
        volumes: [["/mnt/fast/appdata/nextcloud/pgdata", "/var/lib/postgresql/data"]],
      },
      {
        id: "9c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3d",
        service: "redis",
        image: "bitnami/redis:8.2.1",
      },
    ],
  });
  const homeAssistant = makeApp({
    name: "home-assistant",
    title: "Home Assistant",
    appVersion: "2025.10.4",
    version: "1.5.22",
    latest: "1.5.22",
    state: "STOPPED",
    category: "home-automation",
    portals: { "Web UI": "http://0.0.0.0:30103/" },
    networkId: "d2e1b0a9f8e7d6c5b4a3928170f6e5d4c3b2a1908f7e6d5c4b3a291807f6e5d4",
    containers: [
      {
        id: "ae4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f",
        service: "home-assistant",
        image: "homeassistant/home-assistant:2025.10.4",
        ports: [[8123, 30103]],
        volumes: [["/mnt/fast/appdata/home-assistant", "/config"]],
      },
    ],
  });
  return [plex, nextcloud, homeAssistant];
}

export function typicalVms(): VmEntry[] {
  return [
    makeVm({
      id: 1,
      name: "win11",
      description: "Windows 11 desktop",
      cores: 4,
      threads: 2,
      memory: 16384,
      autostart: true,
      secureBoot: true,
      tpm: true,
      hyperv: true,
      time: "LOCAL",
      uuid: "f53f374e-dbef-5def-a8d1-5387718cb76a",
      zvol: "tank/vms/win11",
      mac: "00:a0:98:4b:1c:2d",
      nic: "enp3s0",
      displayPort: 5900,
      pid: 48211,
    }),
    makeVm({
      id: 2,
      name: "debian12",
      description: "Debian test box",
      cores: 2,
      threads: 1,
      memory: 4096,
      autostart: false,
      secureBoot: false,
      tpm: false,
      hyperv: false,
      time: "UTC",
      uuid: "3b691d78-245d-5957-a195-e081d38bbf73",
      zvol: "fast/vms/debian12",
      mac: "00:a0:98:5c:2d:3e",
      nic: "enp3s0",
      displayPort: 5902,
      pid: null,
    }),
  ];
}

export function typicalInstances(): InstanceEntry[] {
  return [
    {
      id: "pihole",
      name: "pihole",
      type: "CONTAINER",
      status: "RUNNING",
      cpu: "2",
      memory: 1073741824,
      autostart: true,
      environment: { TZ: "Europe/Berlin" },
      aliases: [
        { type: "INET", address: "192.168.10.53", netmask: 24 },
        { type: "INET6", address: "fd00:10::53", netmask: 64 },
      ],
      image: {
        architecture: "amd64",
        description: "Debian bookworm amd64 (20251101_05:24)",
        os: "Debian",
        release: "bookworm",
        serial: "20251101_05:24",
        type: "squashfs",
        variant: "default",
        secureboot: null,
      },
      userns_idmap: {
        uid: { hostid: 2147000001, maprange: 458752, nsid: 0 },
        gid: { hostid: 2147000001, maprange: 458752, nsid: 0 },
      },
      raw: null,
      vnc_enabled: false,
      vnc_port: null,
      vnc_password: null,
      secure_boot: null,
      privileged_mode: false,
      root_disk_size: null,
      root_disk_io_bus: null,
      storage_pool: "fast",
    },
    {
      id: "ubuntu-vm",
      name: "ubuntu-vm",
      type: "VM",
      status: "STOPPED",
      cpu: "4",
      memory: 8589934592,
      autostart: false,
      environment: {},
      aliases: [],
      image: {
        architecture: "amd64",
        description: "Ubuntu noble amd64 (20251030_07:42)",
        os: "Ubuntu",
        release: "noble",
        serial: "20251030_07:42",
        type: "disk-kvm.img",
        variant: "cloud",
        secureboot: true,
      },
      userns_idmap: null,
      raw: null,
      vnc_enabled: true,
      vnc_port: 5910,
      vnc_password: null,
      secure_boot: true,
      privileged_mode: null,
      root_disk_size: 32212254720,
      root_disk_io_bus: "NVME",
      storage_pool: "fast",
    },
  ];
}
