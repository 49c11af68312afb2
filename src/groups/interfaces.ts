/**
 * Network interfaces: `interface.query` (truenas-api.md §3.10) with a `select` of the runtime fields shown.
 * One object per interface on the NAS device, keyed by the interface name (its id). Link state is
 * `state.link_state`, speed `state.active_media_subtype` ("2500Mb/s", "10Gb/s", "Unknown" when down), MTU the
 * live `state.mtu` (the configured `mtu` is null unless set). Traffic rates come from the reporting group.
 * Events: `interface.query` (CRUD only, §2.3), so link changes show on the next scheduled poll.
 */
import { NAS_DEVICE } from "../entities/ids.js";
import {
  bindEntities,
  type EntityTemplate,
  type GroupSnapshot,
  type ObjectRef,
  type StateDocument,
} from "../entities/model.js";
import type { GroupDefinition } from "./group.js";
import { list, lower, num, obj, str, type Obj } from "./values.js";

export const INTERFACE_FIELDS = [
  "id",
  "name",
  "type",
  "description",
  "mtu",
  "aliases",
  "state.link_state",
  "state.active_media_subtype",
  "state.mtu",
  "state.link_address",
  "state.aliases",
];

const TEMPLATES = [
  {
    component: "binary_sensor",
    key: "link",
    name: "Link",
    field: "link_up",
    deviceClass: "connectivity",
    attributes: { from: "attributes" },
  },
  {
    component: "sensor",
    key: "link_speed",
    name: "Link speed",
    field: "link_speed",
    deviceClass: "data_rate",
    unit: "Mbit/s",
    stateClass: "measurement",
    icon: "mdi:speedometer",
  },
  {
    component: "sensor",
    key: "mtu",
    name: "MTU",
    field: "mtu",
    numeric: true,
    entityCategory: "diagnostic",
    icon: "mdi:ethernet",
  },
] as const satisfies readonly EntityTemplate[];

const LINK_STATES: Record<string, boolean> = { link_state_up: true, link_state_down: false };
const SPEED_UNITS: Record<string, number> = { k: 0.001, m: 1, g: 1000, t: 1_000_000 };

/** "2500Mb/s" → 2500, "10Gb/s" → 10000 (Mbit/s); "Unknown", "autoselect" and anything else → null. */
export function linkSpeedMbps(subtype: unknown): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgt])b(?:it)?\/s/i.exec(str(subtype) ?? "");
  if (!match) return null;
  const value = Number(match[1]) * (SPEED_UNITS[(match[2] ?? "").toLowerCase()] ?? Number.NaN);
  return Number.isFinite(value) ? value : null;
}

/** Addresses as "address/prefix" (the live ones when TrueNAS reports them, DHCP leases included). */
function addresses(aliases: unknown): string[] {
  const out: string[] = [];
  for (const entry of list(aliases)) {
    const a = obj(entry);
    const address = str(a.address);
    if (address === null || a.type === "LINK") continue;
    const netmask = num(a.netmask);
    out.push(netmask === null ? address : `${address}/${netmask}`);
  }
  return out;
}

function interfaceDoc(i: Obj, name: string): { doc: StateDocument; attributes: StateDocument } {
  const state = obj(i.state);
  const linkState = lower(state.link_state);
  // hasOwn: a link state named like an Object.prototype key (`__proto__`, `constructor`) is just unknown.
  const up =
    linkState !== null && Object.hasOwn(LINK_STATES, linkState) ? (LINK_STATES[linkState] ?? null) : null;
  const live = addresses(state.aliases);
  return {
    doc: {
      name,
      link_up: up,
      link_state: linkState,
      // A down link keeps its last negotiated subtype on some drivers: no speed without a link.
      link_speed: up === false ? null : linkSpeedMbps(state.active_media_subtype),
      mtu: num(state.mtu) ?? num(i.mtu),
    },
    attributes: {
      type: lower(i.type),
      description: str(i.description),
      link_address: str(state.link_address),
      aliases: live.length > 0 || Array.isArray(state.aliases) ? live : addresses(i.aliases),
      media: str(state.active_media_subtype),
    },
  };
}

export const interfacesGroup: GroupDefinition<unknown> = {
  name: "interfaces",
  events: ["interface.query"],
  fetch: ({ call }) => call("interface.query", [[], { select: INTERFACE_FIELDS }]),
  normalise(raw): GroupSnapshot {
    const objects = [];
    const entities = [];
    const seen = new Set<string>();
    for (const entry of list(raw)) {
      const i = obj(entry);
      const name = str(i.id) ?? str(i.name);
      if (name === null || name === "" || seen.has(name)) continue;
      seen.add(name);
      const ref: ObjectRef = { kind: "interface", id: name };
      objects.push({ ref, device: NAS_DEVICE, ...interfaceDoc(i, name) });
      entities.push(...bindEntities(TEMPLATES, ref, { namePrefix: name }));
    }
    return { group: "interfaces", devices: [], objects, entities };
  },
};
