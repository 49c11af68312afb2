/**
 * Disks: `disk.query` with `extra.pools` (truenas-api.md §3.7; without it `pool` is always null) and its
 * `disk.query` events (§2.3). One HA device per disk, keyed by the disk `identifier` (the serial/LUN id TrueNAS
 * keeps across reboots; the `sdX` name is not stable and only names the device). Size, type, rotation rate,
 * bus and pool membership are entities; the rest of the entry is attributes. Temperatures are the
 * disk_temperatures group's (its own schedule: reading them can wake disks, peers.md §6.6).
 */
import { deviceKey, NAS_DEVICE } from "../entities/ids.js";
import {
  bindEntities,
  type DeviceSpec,
  type EntitySpec,
  type EntityTemplate,
  type GroupSnapshot,
  type ObjectRef,
  type ObjectState,
} from "../entities/model.js";
import type { GroupDefinition } from "./group.js";
import { distinctDeviceNames, list, lower, num, obj, str } from "./values.js";

/** What the group shows; 25.04's S.M.A.R.T. columns (dropped in 25.10) are left out on purpose. */
export const DISK_FIELDS = [
  "identifier",
  "name",
  "serial",
  "lunid",
  "model",
  "size",
  "type",
  "rotationrate",
  "bus",
  "subsystem",
  "pool",
  "zfs_guid",
  "hddstandby",
  "advpowermgmt",
  "description",
  "enclosure",
];

/** `disk.type` as TrueNAS sets it (`disk_/sync.py`: SSD when the rotation rate is 0, else HDD). */
export const DISK_TYPES = ["hdd", "ssd"];

const TEMPLATES = [
  {
    component: "sensor",
    key: "pool",
    name: "Pool",
    field: "pool",
    icon: "mdi:database",
    attributes: { from: "attributes" },
  },
  {
    component: "sensor",
    key: "size",
    name: "Size",
    field: "size",
    deviceClass: "data_size",
    unit: "B",
    suggestedDisplayPrecision: 1,
    entityCategory: "diagnostic",
  },
  {
    component: "sensor",
    key: "type",
    name: "Type",
    field: "type",
    deviceClass: "enum",
    options: DISK_TYPES,
    entityCategory: "diagnostic",
  },
  {
    component: "sensor",
    key: "rotation_rate",
    name: "Rotation rate",
    field: "rotation_rate",
    numeric: true,
    unit: "rpm",
    entityCategory: "diagnostic",
    icon: "mdi:rotate-right",
  },
  {
    component: "sensor",
    key: "bus",
    name: "Bus",
    field: "bus",
    entityCategory: "diagnostic",
    icon: "mdi:expansion-card",
  },
] as const satisfies readonly EntityTemplate[];

export const disksGroup: GroupDefinition<unknown> = {
  name: "disks",
  events: ["disk.query"],
  fetch: ({ call }) => call("disk.query", [[], { select: DISK_FIELDS, extra: { pools: true } }]),
  normalise(raw, { nas }): GroupSnapshot {
    const devices: DeviceSpec[] = [];
    const objects: ObjectState[] = [];
    const entities: EntitySpec[] = [];
    const seen = new Set<string>();
    for (const entry of list(raw)) {
      const d = obj(entry);
      const identifier = str(d.identifier);
      if (identifier === null || identifier === "" || seen.has(identifier)) continue;
      seen.add(identifier);
      const ref: ObjectRef = { kind: "disk", id: identifier };
      const key = deviceKey(ref);
      const name = str(d.name);
      const model = str(d.model);
      const serial = str(d.serial);
      const enclosure = obj(d.enclosure);
      devices.push({
        key,
        name: `${nas.hostname} disk ${name ?? serial ?? identifier}`,
        model: model ?? "Disk",
        ...(serial !== null && serial !== "" ? { serialNumber: serial } : {}),
        viaDevice: NAS_DEVICE,
      });
      objects.push({
        ref,
        device: key,
        doc: {
          name,
          pool: str(d.pool),
          size: num(d.size),
          type: lower(d.type),
          // SSDs report null (or 0 from older syncs): no rotation rate rather than "0 rpm".
          rotation_rate: num(d.rotationrate) || null,
          bus: str(d.bus),
        },
        attributes: {
          identifier,
          name,
          serial,
          lunid: str(d.lunid),
          model,
          subsystem: str(d.subsystem),
          zfs_guid: str(d.zfs_guid),
          hddstandby: str(d.hddstandby),
          advpowermgmt: str(d.advpowermgmt),
          description: str(d.description),
          enclosure_number: num(enclosure.number),
          enclosure_slot: num(enclosure.slot),
        },
      });
      entities.push(...bindEntities(TEMPLATES, ref));
    }
    // Two rows with one sdX name (a swap mid-sync) would make two devices HA cannot tell apart.
    return { group: "disks", devices: distinctDeviceNames(devices, objects), objects, entities };
  },
};
