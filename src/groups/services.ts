/**
 * Services: `service.query` (truenas-api.md §3.11) and its id-less `service.query` events. One object per
 * service on the NAS device: running as a binary sensor, enabled (start on boot) as an attribute.
 */
import { NAS_DEVICE } from "../entities/ids.js";
import { bindEntities, type EntityTemplate, type GroupSnapshot, type ObjectRef } from "../entities/model.js";
import type { GroupDefinition } from "./group.js";
import { bool, list, lower, obj, str } from "./values.js";

/** Readable names for the service ids TrueNAS uses. */
const LABELS: Record<string, string> = {
  cifs: "SMB",
  nfs: "NFS",
  ssh: "SSH",
  ftp: "FTP",
  iscsitarget: "iSCSI",
  snmp: "SNMP",
  ups: "UPS",
  smartd: "S.M.A.R.T.",
  nvmet: "NVMe-oF",
};

const TEMPLATES = [
  {
    component: "binary_sensor",
    key: "running",
    name: "running",
    field: "running",
    deviceClass: "running",
    attributes: { from: "attributes" },
  },
] as const satisfies readonly EntityTemplate[];

export const servicesGroup: GroupDefinition<unknown> = {
  name: "services",
  events: ["service.query"],
  fetch: ({ call }) => call("service.query", [[], { select: ["id", "service", "enable", "state", "pids"] }]),
  normalise(raw): GroupSnapshot {
    const snapshot: GroupSnapshot = { group: "services", devices: [], objects: [], entities: [] };
    const objects = [];
    const entities = [];
    const seen = new Set<string>();
    for (const entry of list(raw)) {
      const s = obj(entry);
      const service = str(s.service);
      // One object per service id: a repeated row would be refused by the registry as a duplicate.
      if (service === null || seen.has(service)) continue;
      seen.add(service);
      const ref: ObjectRef = { kind: "service", id: service };
      const state = lower(s.state);
      objects.push({
        ref,
        device: NAS_DEVICE,
        // UNKNOWN (a state probe that timed out) is unknown, not stopped.
        doc: { service, state, running: state === "running" ? true : state === "stopped" ? false : null },
        attributes: { enabled: bool(s.enable), state: str(s.state) },
      });
      // hasOwn: a service id like `constructor` must not pick up Object.prototype's function as its label.
      const label = Object.hasOwn(LABELS, service) ? LABELS[service] : undefined;
      entities.push(...bindEntities(TEMPLATES, ref, { namePrefix: label ?? service }));
    }
    return { ...snapshot, objects, entities };
  },
};
