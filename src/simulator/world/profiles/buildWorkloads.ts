/**
 * Builders for apps (`plugins/apps/ix_apps/query.py`), libvirt VMs (`plugins/vm/vms.py`) and Incus instances
 * (`plugins/virt/instance.py`), in the samples' field order.
 */
import {
  wireText,
  type AppEntry,
  type AppState,
  type AppWorkloads,
  type InstanceEntry,
  type VmEntry,
  type WireObject,
} from "../model.js";
import type { AppRecord } from "../state.js";

export interface ContainerSpec {
  id: string;
  service: string;
  image: string;
  /** container port -> host port */
  ports?: ReadonlyArray<[number, number]>;
  volumes?: ReadonlyArray<[string, string]>;
}

export interface AppSpec {
  name: string;
  title: string;
  appVersion: string;
  version: string;
  latest: string;
  upgradeAvailable?: boolean;
  state: AppState;
  containers: readonly ContainerSpec[];
  category: string;
  notes?: string | null;
  /** Portal URLs as the app declares them, host `0.0.0.0`. */
  portals: Record<string, string>;
  networkId: string;
  customApp?: boolean;
}

const LIB_HASH = "7d3c1b2a9f8e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c";

function hostPorts(host: number, both: boolean): WireObject[] {
  const v4 = { host_port: host, host_ip: "0.0.0.0" };
  return both ? [v4, { host_port: host, host_ip: "::" }] : [v4];
}

/** The workloads of a running app: used ports, containers, bind mounts, images, its compose network. */
export function runningWorkloads(spec: AppSpec, state = "running"): AppWorkloads {
  const mounts = (c: ContainerSpec): WireObject[] =>
    (c.volumes ?? []).map(([source, destination]) => ({ source, destination, mode: "rw", type: "bind" }));
  const ports = spec.containers.flatMap((c) => c.ports ?? []);
  return {
    containers: spec.containers.length,
    used_ports: ports.map(([container, host]) => ({
      container_port: container,
      protocol: "tcp",
      host_ports: hostPorts(host, true),
    })),
    used_host_ips: ports.length > 0 ? ["0.0.0.0", "::"] : [],
    container_details: spec.containers.map((c) => ({
      id: c.id,
      service_name: c.service,
      image: c.image,
      port_config: (c.ports ?? []).map(([container, host]) => ({
        container_port: container,
        protocol: "tcp",
        host_ports: hostPorts(host, false),
      })),
      state,
      volume_mounts: mounts(c),
    })),
    volumes: spec.containers.flatMap(mounts),
    images: spec.containers.map((c) => c.image),
    networks: [
      {
        Name: `ix-${spec.name}_default`,
        Id: spec.networkId,
        Labels: {
          "com.docker.compose.network": "default",
          "com.docker.compose.project": `ix-${spec.name}`,
          "com.docker.compose.version": "2.32.4",
        },
        Created: "2025-09-01T10:11:12.123456789Z",
        Scope: "local",
        Driver: "bridge",
      },
    ],
  };
}

export function emptyWorkloads(): AppWorkloads {
  return {
    containers: 0,
    used_ports: [],
    used_host_ips: [],
    container_details: [],
    volumes: [],
    images: [],
    networks: [],
  };
}

function metadata(spec: AppSpec): WireObject {
  return {
    app_version: spec.appVersion,
    capabilities: [],
    categories: [spec.category],
    description: `${spec.title} on TrueNAS`,
    home: `https://www.${spec.name}.example`,
    host_mounts: [],
    icon: `https://media.sys.truenas.net/apps/${spec.name}/icons/icon.png`,
    keywords: [spec.name],
    last_update: "2025-10-28 11:02:41",
    lib_version: "2.1.59",
    lib_version_hash: LIB_HASH,
    maintainers: [{ email: "dev@truenas.com", name: "truenas", url: "https://www.truenas.com/" }],
    name: spec.name,
    run_as_context: [],
    screenshots: [],
    sources: [],
    title: spec.title,
    train: "stable",
    version: spec.version,
  };
}

export function makeApp(spec: AppSpec): AppRecord {
  const running = runningWorkloads(spec);
  const entry: AppEntry = {
    name: spec.name,
    id: spec.name,
    active_workloads: spec.state === "STOPPED" ? emptyWorkloads() : structuredClone(running),
    state: spec.state,
    upgrade_available: spec.upgradeAvailable ?? false,
    latest_version: spec.latest,
    image_updates_available: false,
    custom_app: spec.customApp ?? false,
    human_version: `${spec.appVersion}_${spec.version}`,
    metadata: metadata(spec),
    migrated: false,
    notes: spec.notes ?? null,
    portals: {},
    version: spec.version,
  };
  return { entry, running, portals: { ...spec.portals } };
}

export interface VmSpec {
  id: number;
  name: string;
  description: string;
  cores: number;
  threads: number;
  /** MiB. */
  memory: number;
  autostart: boolean;
  secureBoot: boolean;
  tpm: boolean;
  hyperv: boolean;
  time: "LOCAL" | "UTC";
  uuid: string;
  zvol: string;
  mac: string;
  nic: string;
  displayPort: number;
  pid: number | null;
}

function vmDevices(spec: VmSpec): WireObject[] {
  const base = spec.id * 10;
  return [
    {
      id: base + 1,
      attributes: {
        dtype: "DISK",
        path: `/dev/zvol/${spec.zvol}`,
        type: "VIRTIO",
        create_zvol: false,
        zvol_name: null,
        zvol_volsize: null,
        logical_sectorsize: null,
        physical_sectorsize: null,
        iotype: "THREADS",
        serial: `vm${spec.id}disk0`,
      },
      vm: spec.id,
      order: 1001,
    },
    {
      id: base + 2,
      attributes: {
        dtype: "NIC",
        trust_guest_rx_filters: false,
        type: "VIRTIO",
        nic_attach: spec.nic,
        mac: spec.mac,
      },
      vm: spec.id,
      order: 1002,
    },
    {
      id: base + 3,
      attributes: {
        dtype: "DISPLAY",
        resolution: "1024x768",
        port: spec.displayPort,
        web_port: spec.displayPort + 1,
        bind: "0.0.0.0",
        wait: false,
        // Secrets are redacted for a read-only key (main.py dump_result).
        password: "********",
        web: true,
        type: "SPICE",
      },
      vm: spec.id,
      order: 1003,
    },
  ];
}

export function makeVm(spec: VmSpec): VmEntry {
  return {
    command_line_args: "",
    cpu_mode: "HOST-PASSTHROUGH",
    cpu_model: null,
    name: spec.name,
    description: spec.description,
    vcpus: 1,
    cores: spec.cores,
    threads: spec.threads,
    cpuset: null,
    nodeset: null,
    enable_cpu_topology_extension: false,
    pin_vcpus: false,
    suspend_on_snapshot: false,
    trusted_platform_module: spec.tpm,
    memory: spec.memory,
    min_memory: null,
    hyperv_enlightenments: spec.hyperv,
    bootloader: "UEFI",
    bootloader_ovmf: spec.secureBoot ? "OVMF_CODE_4M.secboot.fd" : "OVMF_CODE_4M.fd",
    autostart: spec.autostart,
    hide_from_msr: false,
    ensure_display_device: true,
    time: spec.time,
    shutdown_timeout: 90,
    arch_type: null,
    machine_type: null,
    uuid: spec.uuid,
    devices: vmDevices(spec),
    display_available: true,
    id: spec.id,
    status:
      spec.pid === null
        ? { state: "STOPPED", pid: null, domain_state: "SHUTOFF" }
        : { state: "RUNNING", pid: spec.pid, domain_state: "RUNNING" },
    enable_secure_boot: spec.secureBoot,
  };
}

/** How 25.04.0 (Incus VMs, no libvirt) lists a VM in `virt.instance.query` (memory in bytes, cpu a string). */
export function vmAsInstance(vm: VmEntry): InstanceEntry {
  const running = vm.status.state === "RUNNING";
  const display = vm.devices.find((d) => (d.attributes as WireObject).dtype === "DISPLAY");
  const disk = vm.devices.find((d) => (d.attributes as WireObject).dtype === "DISK");
  const zvolPath = wireText((disk?.attributes as WireObject | undefined)?.path) || "/dev/zvol/";
  return {
    id: vm.name,
    name: vm.name,
    type: "VM",
    status: running ? "RUNNING" : "STOPPED",
    cpu: String(vm.vcpus * vm.cores * vm.threads),
    memory: vm.memory * 1024 * 1024,
    autostart: vm.autostart,
    environment: {},
    aliases: [],
    image: {
      architecture: "amd64",
      description: vm.description,
      os: null,
      release: null,
      serial: null,
      type: "disk-kvm.img",
      variant: null,
      secureboot: Boolean(vm.enable_secure_boot),
    },
    userns_idmap: null,
    raw: null,
    vnc_enabled: true,
    vnc_port: Number((display?.attributes as WireObject | undefined)?.port ?? 5900),
    vnc_password: null,
    secure_boot: Boolean(vm.enable_secure_boot),
    root_disk_size: null,
    root_disk_io_bus: "VIRTIO",
    storage_pool: zvolPath.replace("/dev/zvol/", "").split("/")[0] ?? "",
  };
}
