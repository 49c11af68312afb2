/**
 * Pools: `pool.query` (status, sizes, scrub, vdev errors) plus each pool's root dataset for the space users
 * actually see (pool `free` ignores parity: peers.md §6). One HA device per pool. Events: `pool.query` and
 * `zfs.pool.scan` (truenas-api.md §2.3, §3.5).
 */
import { deviceKey, NAS_DEVICE } from "../entities/ids.js";
import {
  bindEntities,
  type EntityTemplate,
  type GroupSnapshot,
  type ObjectRef,
  type StateDocument,
} from "../entities/model.js";
import type { GroupDefinition } from "./group.js";
import {
  bool,
  date,
  distinctDeviceNames,
  finite,
  list,
  lower,
  num,
  obj,
  parsed,
  percent,
  round,
  str,
  type Obj,
} from "./values.js";

const POOL_FIELDS = [
  "id",
  "guid",
  "name",
  "status",
  "healthy",
  "warning",
  "status_code",
  "status_detail",
  "size",
  "allocated",
  "free",
  "fragmentation",
  "scan",
  "topology",
  "path",
];
const VDEV_KINDS = ["data", "log", "cache", "spare", "special", "dedup"];

/** Arrays to fill while building a snapshot. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer E)[] ? E[] : T[K] };

export const POOL_STATUS = ["online", "degraded", "faulted", "offline", "unavail", "removed", "suspended"];
export const SCRUB_STATE = ["scanning", "finished", "canceled"];

export interface PoolsRaw {
  pools: unknown;
  roots: unknown;
}

const TEMPLATES = [
  {
    component: "sensor",
    key: "status",
    name: "Status",
    field: "status",
    deviceClass: "enum",
    options: POOL_STATUS,
  },
  {
    component: "binary_sensor",
    key: "problem",
    name: "Problem",
    field: "healthy",
    invert: true,
    deviceClass: "problem",
  },
  {
    component: "sensor",
    key: "size",
    name: "Size",
    field: "size",
    deviceClass: "data_size",
    unit: "B",
    stateClass: "measurement",
    suggestedDisplayPrecision: 1,
  },
  {
    component: "sensor",
    key: "allocated",
    name: "Allocated",
    field: "allocated",
    deviceClass: "data_size",
    unit: "B",
    stateClass: "measurement",
    suggestedDisplayPrecision: 1,
  },
  {
    component: "sensor",
    key: "free",
    name: "Free",
    field: "free",
    deviceClass: "data_size",
    unit: "B",
    stateClass: "measurement",
    suggestedDisplayPrecision: 1,
  },
  {
    component: "sensor",
    key: "usage",
    name: "Usage",
    field: "usage_percent",
    numeric: true,
    unit: "%",
    stateClass: "measurement",
    icon: "mdi:chart-donut",
  },
  {
    component: "sensor",
    key: "used",
    name: "Used",
    field: "used",
    deviceClass: "data_size",
    unit: "B",
    stateClass: "measurement",
    suggestedDisplayPrecision: 1,
  },
  {
    component: "sensor",
    key: "available",
    name: "Available",
    field: "available",
    deviceClass: "data_size",
    unit: "B",
    stateClass: "measurement",
    suggestedDisplayPrecision: 1,
  },
  {
    component: "sensor",
    key: "fragmentation",
    name: "Fragmentation",
    field: "fragmentation",
    numeric: true,
    unit: "%",
    stateClass: "measurement",
    entityCategory: "diagnostic",
  },
  {
    component: "sensor",
    key: "scrub_state",
    name: "Scrub state",
    field: "scrub_state",
    deviceClass: "enum",
    options: SCRUB_STATE,
    entityCategory: "diagnostic",
  },
  {
    component: "sensor",
    key: "scrub_progress",
    name: "Scrub progress",
    field: "scrub_progress",
    numeric: true,
    unit: "%",
    stateClass: "measurement",
    entityCategory: "diagnostic",
  },
  {
    component: "sensor",
    key: "last_scrub",
    name: "Last scrub",
    field: "last_scrub_end",
    deviceClass: "timestamp",
    entityCategory: "diagnostic",
  },
  {
    component: "sensor",
    key: "scrub_errors",
    name: "Scrub errors",
    field: "scrub_errors",
    numeric: true,
    stateClass: "measurement",
    entityCategory: "diagnostic",
  },
  {
    component: "sensor",
    key: "read_errors",
    name: "Read errors",
    field: "read_errors",
    numeric: true,
    stateClass: "total_increasing",
    entityCategory: "diagnostic",
  },
  {
    component: "sensor",
    key: "write_errors",
    name: "Write errors",
    field: "write_errors",
    numeric: true,
    stateClass: "total_increasing",
    entityCategory: "diagnostic",
  },
  {
    component: "sensor",
    key: "checksum_errors",
    name: "Checksum errors",
    field: "checksum_errors",
    numeric: true,
    stateClass: "total_increasing",
    entityCategory: "diagnostic",
  },
] as const satisfies readonly EntityTemplate[];

/** Error counters summed over leaf vdevs (top-level vdevs repeat their children's). */
function vdevErrors(topology: Obj): { read: number | null; write: number | null; checksum: number | null } {
  const total = { read: 0, write: 0, checksum: 0 };
  const walk = (vdev: unknown): void => {
    const v = obj(vdev);
    const children = list(v.children);
    if (children.length > 0) {
      children.forEach(walk);
      return;
    }
    const stats = obj(v.stats);
    total.read += num(stats.read_errors) ?? 0;
    total.write += num(stats.write_errors) ?? 0;
    total.checksum += num(stats.checksum_errors) ?? 0;
  };
  for (const kind of VDEV_KINDS) list(topology[kind]).forEach(walk);
  return { read: finite(total.read), write: finite(total.write), checksum: finite(total.checksum) };
}

/** The state document of one pool entry (also used for the boot pool). */
export function poolDoc(p: Obj, root: Obj | undefined): StateDocument {
  const scan = obj(p.scan);
  const errors = vdevErrors(obj(p.topology));
  const size = num(p.size);
  const allocated = num(p.allocated);
  const scanning = scan.state === "SCANNING";
  return {
    name: str(p.name),
    status: lower(p.status),
    healthy: bool(p.healthy),
    warning: bool(p.warning),
    status_code: str(p.status_code),
    status_detail: str(p.status_detail),
    size,
    allocated,
    free: num(p.free),
    usage_percent: percent(allocated, size),
    used: root ? num(parsed(root.used)) : null,
    available: root ? num(parsed(root.available)) : null,
    fragmentation: num(p.fragmentation),
    scrub_function: lower(scan.function),
    scrub_state: lower(scan.state),
    scrub_progress: scanning ? round(num(scan.percentage)) : null,
    scrub_seconds_left: scanning ? num(scan.total_secs_left) : null,
    last_scrub_start: date(scan.start_time),
    last_scrub_end: date(scan.end_time),
    scrub_errors: num(scan.errors),
    read_errors: errors.read,
    write_errors: errors.write,
    checksum_errors: errors.checksum,
  };
}

export const poolsGroup: GroupDefinition<PoolsRaw> = {
  name: "pools",
  events: ["pool.query", "zfs.pool.scan"],
  async fetch({ call }) {
    const pools = await call<unknown[]>("pool.query", [[], { select: POOL_FIELDS }]);
    const names = list(pools)
      .map((p) => str(obj(p).name))
      .filter((n): n is string => n !== null);
    // One filtered call for every pool's root dataset; retrieve_children:false keeps it to the roots.
    const roots =
      names.length === 0
        ? []
        : await call("pool.dataset.query", [
            [["id", "in", names]],
            {
              select: ["id", "used", "available"],
              extra: {
                retrieve_children: false,
                properties: ["used", "available"],
                retrieve_user_props: false,
              },
            },
          ]);
    return { pools, roots };
  },
  normalise(input, { nas }): GroupSnapshot {
    const raw = obj(input);
    const roots = new Map(list(raw.roots).map((r) => [str(obj(r).id), obj(r)]));
    const snapshot: Mutable<Omit<GroupSnapshot, "group">> = { devices: [], objects: [], entities: [] };
    const seen = new Set<string>();
    for (const entry of list(raw.pools)) {
      const p = obj(entry);
      const id = str(p.guid) ?? str(p.id) ?? str(p.name);
      const name = str(p.name);
      // A row repeated (or two rows with one guid) is one pool: the registry refuses an object twice.
      if (id === null || name === null || seen.has(id)) continue;
      seen.add(id);
      const ref: ObjectRef = { kind: "pool", id };
      const key = deviceKey(ref);
      snapshot.devices.push({
        key,
        name: `${nas.hostname} pool ${name}`,
        manufacturer: "OpenZFS",
        model: "ZFS pool",
        viaDevice: NAS_DEVICE,
      });
      snapshot.objects.push({ ref, device: key, doc: poolDoc(p, roots.get(name)) });
      snapshot.entities.push(...bindEntities(TEMPLATES, ref));
    }
    snapshot.devices = distinctDeviceNames(snapshot.devices, snapshot.objects);
    return { group: "pools", ...snapshot };
  },
};
