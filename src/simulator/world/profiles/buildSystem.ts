/**
 * Builders for services (`plugins/service.py`), network interfaces (`plugins/network.py` `iface_extend`) and
 * the system record behind `system.info`.
 */
import { wireText, type InterfaceEntry, type ServiceEntry, type WireObject } from "../model.js";
import type { Rng } from "../random.js";

/** Service rows by DB id; smartd exists up to 25.04, nvmet from 25.10 (truenas-api.md §3.11). */
export const SERVICE_IDS: Readonly<Record<string, number>> = {
  cifs: 4,
  ftp: 8,
  iscsitarget: 9,
  nfs: 10,
  snmp: 11,
  ssh: 12,
  smartd: 14,
  ups: 17,
  nvmet: 21,
};

export function makeService(service: string, enable: boolean, pids: number[] | null): ServiceEntry {
  return {
    id: SERVICE_IDS[service] ?? 99,
    service,
    enable,
    state: pids === null ? "STOPPED" : "RUNNING",
    pids: pids ?? [],
  };
}

/** Three to one PIDs for a freshly started service. */
export function servicePids(rng: Rng): number[] {
  const first = rng.int(1500, 60000);
  return Array.from({ length: rng.int(1, 3) }, (_, i) => first + i * rng.int(1, 7));
}

export interface InterfaceSpec {
  name: string;
  mac: string;
  up: boolean;
  /** Negotiated speed, e.g. "2500Mb/s". */
  speed?: string;
  ipv4?: { address: string; netmask: number };
  dhcp?: boolean;
  description?: string;
  type?: "PHYSICAL" | "BRIDGE" | "LINK_AGGREGATION" | "VLAN";
}

const CAPABILITIES = [
  "rx-checksumming",
  "tx-checksumming",
  "scatter-gather",
  "tcp-segmentation-offload",
  "generic-segmentation-offload",
  "generic-receive-offload",
];

const MEDIA = [
  "10baseT/Half",
  "10baseT/Full",
  "100baseT/Half",
  "100baseT/Full",
  "1000baseT/Full",
  "2500baseT/Full",
];

/** fe80:: link-local address from a MAC (modified EUI-64). */
export function linkLocal(mac: string): string {
  const b = mac.split(":").map((h) => parseInt(h, 16));
  const bytes = [(b[0] ?? 0) ^ 0x02, b[1] ?? 0, b[2] ?? 0, 0xff, 0xfe, b[3] ?? 0, b[4] ?? 0, b[5] ?? 0];
  const groups: string[] = [];
  for (let i = 0; i < 8; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return `fe80::${groups.join(":")}`;
}

function broadcast(address: string, netmask: number): string {
  const ip = address.split(".").reduce((acc, o) => (acc << 8) | Number(o), 0) >>> 0;
  const host = netmask >= 32 ? 0 : (0xffffffff >>> netmask) >>> 0;
  const b = (ip | host) >>> 0;
  return [24, 16, 8, 0].map((s) => (b >>> s) & 0xff).join(".");
}

export function makeInterface(spec: InterfaceSpec): InterfaceEntry {
  const live: WireObject[] = [{ type: "LINK", address: spec.mac }];
  if (spec.up && spec.ipv4) {
    const { address, netmask } = spec.ipv4;
    live.push({ type: "INET", address, netmask, broadcast: broadcast(address, netmask) });
  }
  if (spec.up) {
    live.push({
      type: "INET6",
      address: linkLocal(spec.mac),
      netmask: 64,
      broadcast: "fe80::ffff:ffff:ffff:ffff",
    });
  }
  return {
    id: spec.name,
    name: spec.name,
    fake: false,
    type: spec.type ?? "PHYSICAL",
    state: {
      name: spec.name,
      orig_name: spec.name,
      description: spec.name,
      mtu: 1500,
      cloned: false,
      flags: spec.up ? ["UP", "BROADCAST", "RUNNING", "MULTICAST", "LOWER_UP"] : ["BROADCAST", "MULTICAST"],
      nd6_flags: [],
      capabilities: [...CAPABILITIES],
      link_state: spec.up ? "LINK_STATE_UP" : "LINK_STATE_DOWN",
      media_type: "Ethernet",
      media_subtype: "autoselect",
      active_media_type: "Ethernet",
      active_media_subtype: spec.up ? (spec.speed ?? "1000Mb/s") : "Unknown",
      supported_media: [...MEDIA],
      media_options: null,
      link_address: spec.mac,
      permanent_link_address: spec.mac,
      hardware_link_address: spec.mac,
      aliases: live,
      vrrp_config: null,
      rx_queues: 4,
      tx_queues: 4,
    },
    aliases:
      spec.ipv4 && !spec.dhcp
        ? [{ type: "INET", address: spec.ipv4.address, netmask: spec.ipv4.netmask }]
        : [],
    ipv4_dhcp: spec.dhcp ?? false,
    ipv6_auto: spec.dhcp ?? false,
    description: spec.description ?? "",
    mtu: null,
    lag_ports: [],
    bridge_members: [],
  };
}

/** Bring an interface's runtime state up or down (flags, media, live addresses). */
export function setInterfaceLink(iface: InterfaceEntry, up: boolean, speed = "1000Mb/s"): void {
  const spec: InterfaceSpec = {
    name: iface.name,
    mac: wireText(iface.state.link_address),
    up,
    speed: iface.state.active_media_subtype === "Unknown" ? speed : iface.state.active_media_subtype,
    ...(iface.aliases[0]
      ? { ipv4: { address: wireText(iface.aliases[0].address), netmask: Number(iface.aliases[0].netmask) } }
      : {}),
    dhcp: iface.ipv4_dhcp,
    description: iface.description,
  };
  iface.state = makeInterface(spec).state;
}
