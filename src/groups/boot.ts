/**
 * Boot pool: `boot.get_state` (truenas-api.md §3.9), a `pool.query`-shaped entry for `boot-pool` without
 * `id`/`guid`, read with the pools group's `poolDoc`. One object on the NAS device: status, problem, used,
 * usage and last scrub (what peers show for the boot pool, peers.md §4.2). The boot pool has no events of its
 * own (`pool.query` events cover data pools only, §2.3), so it is polled on its schedule alone.
 */
import { NAS_DEVICE } from "../entities/ids.js";
import { bindEntities, type EntityTemplate, type GroupSnapshot, type ObjectRef } from "../entities/model.js";
import type { GroupDefinition } from "./group.js";
import { POOL_STATUS, poolDoc } from "./pools.js";
import { list, num, obj, str } from "./values.js";

/** A singleton: the boot pool's name differs between installs (`boot-pool`, older `freenas-boot`). */
export const BOOT_REF: ObjectRef = { kind: "boot", id: "boot-pool" };

const TEMPLATES = [
  {
    component: "sensor",
    key: "status",
    name: "status",
    field: "status",
    deviceClass: "enum",
    options: POOL_STATUS,
    attributes: { from: "attributes" },
  },
  {
    component: "binary_sensor",
    key: "problem",
    name: "problem",
    field: "healthy",
    invert: true,
    deviceClass: "problem",
  },
  {
    component: "sensor",
    key: "used",
    name: "used",
    field: "used",
    deviceClass: "data_size",
    unit: "B",
    stateClass: "measurement",
    suggestedDisplayPrecision: 1,
    entityCategory: "diagnostic",
  },
  {
    component: "sensor",
    key: "usage",
    name: "usage",
    field: "usage_percent",
    numeric: true,
    unit: "%",
    stateClass: "measurement",
    icon: "mdi:chart-donut",
  },
  {
    component: "sensor",
    key: "last_scrub",
    name: "last scrub",
    field: "last_scrub_end",
    deviceClass: "timestamp",
    entityCategory: "diagnostic",
  },
] as const satisfies readonly EntityTemplate[];

/** Disk names of the boot pool's leaf vdevs (`topology.data[].disk`, or their children's). */
function bootDisks(topology: unknown): string[] {
  const disks: string[] = [];
  const walk = (vdev: unknown): void => {
    const v = obj(vdev);
    const children = list(v.children);
    if (children.length > 0) children.forEach(walk);
    else {
      const disk = str(v.disk);
      if (disk !== null) disks.push(disk);
    }
  };
  list(obj(topology).data).forEach(walk);
  return disks;
}

export const bootGroup: GroupDefinition<unknown> = {
  name: "boot",
  fetch: ({ call }) => call("boot.get_state"),
  normalise(raw): GroupSnapshot {
    const p = obj(raw);
    // A result without a name is not a pool entry (e.g. a future shape change): show nothing rather than nulls.
    if (str(p.name) === null) return { group: "boot", devices: [], objects: [], entities: [] };
    const pool = poolDoc(p, undefined);
    return {
      group: "boot",
      devices: [],
      objects: [
        {
          ref: BOOT_REF,
          device: NAS_DEVICE,
          // The boot pool has no user datasets worth a query: allocated bytes are what is used (peers.md §4.2
          // reads the boot pool from boot.get_state alone too).
          doc: { ...pool, used: pool.allocated ?? null, available: null },
          attributes: {
            name: pool.name ?? null,
            status_code: pool.status_code ?? null,
            status_detail: pool.status_detail ?? null,
            size: pool.size ?? null,
            free: pool.free ?? null,
            fragmentation: pool.fragmentation ?? null,
            scrub_errors: pool.scrub_errors ?? null,
            read_errors: pool.read_errors ?? null,
            write_errors: pool.write_errors ?? null,
            checksum_errors: pool.checksum_errors ?? null,
            disks: bootDisks(p.topology),
            autotrim: str(obj(p.autotrim).value),
            freeing: num(p.freeing),
          },
        },
      ],
      entities: bindEntities(TEMPLATES, BOOT_REF, { namePrefix: "Boot pool" }),
    };
  },
};
