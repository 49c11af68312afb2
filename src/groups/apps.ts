/**
 * Apps: `app.query` (truenas-api.md §3.13) and its events. One HA device per app (keyed by the app name,
 * which TrueNAS never renames), with its state, a running sensor, and an update entity from
 * `version`/`latest_version`/`upgrade_available` (not `update_available`: §6.6).
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
import { bool, distinctDeviceNames, list, lower, obj, str } from "./values.js";

export const APP_STATES = ["crashed", "deploying", "running", "stopped", "stopping"];
const APP_FIELDS = [
  "name",
  "state",
  "version",
  "human_version",
  "latest_version",
  "upgrade_available",
  "image_updates_available",
  "custom_app",
  "portals",
  "metadata.title",
  "metadata.icon",
  "metadata.train",
];

const TEMPLATES = [
  {
    component: "sensor",
    key: "state",
    name: "State",
    field: "state",
    deviceClass: "enum",
    options: APP_STATES,
  },
  { component: "binary_sensor", key: "running", name: "Running", field: "running", deviceClass: "running" },
  {
    component: "update",
    key: "update",
    name: "Update",
    installedField: "installed_version",
    latestField: "latest_version",
    attributes: { from: "attributes" },
  },
] as const satisfies readonly EntityTemplate[];

export const appsGroup: GroupDefinition<unknown> = {
  name: "apps",
  events: ["app.query"],
  fetch: ({ call }) => call("app.query", [[], { select: APP_FIELDS }]),
  normalise(raw, { nas }): GroupSnapshot {
    const devices: DeviceSpec[] = [];
    const objects: ObjectState[] = [];
    const entities: EntitySpec[] = [];
    const seen = new Set<string>();
    for (const entry of list(raw)) {
      const a = obj(entry);
      const name = str(a.name);
      // App names are unique in TrueNAS; a repeated row is shown once (the registry refuses an object twice).
      if (name === null || seen.has(name)) continue;
      seen.add(name);
      const ref: ObjectRef = { kind: "app", id: name };
      const key = deviceKey(ref);
      const state = lower(a.state);
      const installed = str(a.human_version) ?? str(a.version);
      const upgrade = bool(a.upgrade_available);
      // HA shows an update when latest != installed; TrueNAS only tells us upgrade_available and the latest
      // catalog version (which is not the human version), so latest mirrors installed unless an upgrade exists.
      const latest = upgrade === true ? (str(a.latest_version) ?? installed) : installed;
      const title = str(obj(a.metadata).title) ?? name;
      devices.push({
        key,
        name: `${nas.hostname} app ${title}`,
        manufacturer: "TrueNAS apps",
        model: str(obj(a.metadata).train) ?? "app",
        swVersion: installed ?? undefined,
        viaDevice: NAS_DEVICE,
      });
      objects.push({
        ref,
        device: key,
        doc: {
          name,
          state,
          running: state === null ? null : state === "running",
          installed_version: installed,
          latest_version: latest,
          upgrade_available: upgrade,
          image_updates_available: bool(a.image_updates_available),
        },
        attributes: {
          custom_app: bool(a.custom_app),
          catalog_version: str(a.version),
          catalog_latest_version: str(a.latest_version),
          portals: Object.fromEntries(Object.entries(obj(a.portals)).map(([k, v]) => [k, str(v)])),
        },
      });
      entities.push(...bindEntities(TEMPLATES, ref));
    }
    // Two installs of one catalog app share its title: tell them apart by their names.
    return { group: "apps", devices: distinctDeviceNames(devices, objects), objects, entities };
  },
};
