/**
 * Disk temperatures: `disk.temperatures` and `disk.temperature_alerts` (truenas-api.md §3.8), shown on each
 * disk's device from the disks group (same `deviceKey({kind: "disk", id: identifier})`). Objects are kind
 * `disktemp` because the registry scopes objects per group; the entities still land on the disk's device.
 *
 * Disk sleep (peers.md §6.6, tomaae #184/#195): on 25.04 every uncached read runs `smartctl -a -n <powermode>`
 * (`plugins/disk_/temperature.py`), and the default powermode NEVER spins sleeping disks up. We pass STANDBY,
 * so smartctl skips a disk in STANDBY/SLEEP and TrueNAS reports null for it. 25.10 reads the kernel/drive
 * (`utils/disks_/disk_class.py`) and caches 5 minutes. The schedule defaults to every 5 minutes (schedules.ts)
 * to match both caches, and there are no event triggers, so nothing here reads disks more often than that.
 */
import { deviceKey } from "../entities/ids.js";
import {
  bindEntities,
  type EntitySpec,
  type EntityTemplate,
  type GroupSnapshot,
  type ObjectState,
} from "../entities/model.js";
import { MethodNotFoundError } from "../truenas/errors.js";
import { atLeast } from "../truenas/version.js";
import type { GroupDefinition } from "./group.js";
import { list, num, obj, str } from "./values.js";

export interface DiskTemperaturesRaw {
  /** `disk.query` rows `{identifier, name}`: temperatures are keyed by name, devices by identifier. */
  disks: unknown;
  /** `{name: temp}` (25.04 ints, 25.10 floats) or `{name: [temp, crit]}` (25.10 include_thresholds). */
  temperatures: unknown;
  /** `disk.temperature_alerts` entries, or null when the NAS could not tell. */
  alerts: unknown;
}

const TEMPLATES = [
  {
    component: "sensor",
    key: "temperature",
    name: "Temperature",
    field: "temperature",
    deviceClass: "temperature",
    unit: "°C",
    stateClass: "measurement",
  },
  {
    component: "binary_sensor",
    key: "over_temperature",
    name: "Over temperature",
    field: "over_temperature",
    deviceClass: "problem",
    attributes: { from: "attributes" },
  },
] as const satisfies readonly EntityTemplate[];

/** The arguments of `disk.temperatures`: its second parameter changed type in 25.10 (§3.8; -32602 otherwise). */
export function temperaturesParams(version: Parameters<typeof atLeast>[0]): unknown[] {
  // [] = every disk (25.10) / every disk with S.M.A.R.T. enabled (25.04), as TrueNAS's own monitoring reads.
  return atLeast(version, "25.10") ? [[], true] : [[], { powermode: "STANDBY" }];
}

/** One reading: a number, or 25.10's `[temp, crit]` pair. */
function reading(v: unknown): { temperature: number | null; critical: number | null } {
  if (Array.isArray(v)) return { temperature: num(v[0]), critical: num(v[1]) };
  return { temperature: num(v), critical: null };
}

/** Alerts per disk name (`args.device` is `/dev/<name>` in both alert classes, §3.8). */
function alertsByDisk(alerts: unknown): Map<string, { messages: string[]; critical: number | null }> {
  const byDisk = new Map<string, { messages: string[]; critical: number | null }>();
  for (const entry of list(alerts)) {
    const a = obj(entry);
    const args = obj(a.args);
    const device = str(args.device);
    if (device === null) continue;
    const name = device.replace(/^\/dev\//, "");
    const seen = byDisk.get(name) ?? { messages: [], critical: null };
    const message = str(a.formatted) ?? str(args.message);
    if (message !== null) seen.messages.push(message);
    seen.critical ??= num(args.crit_threshold);
    byDisk.set(name, seen);
  }
  return byDisk;
}

export const diskTemperaturesGroup: GroupDefinition<DiskTemperaturesRaw> = {
  name: "disk_temperatures",
  async fetch({ call, version }) {
    const [disks, temperatures] = await Promise.all([
      call("disk.query", [[], { select: ["identifier", "name"] }]),
      call("disk.temperatures", temperaturesParams(version)),
    ]);
    const names = list(disks)
      .map((d) => str(obj(d).name))
      .filter((n): n is string => n !== null);
    let alerts: unknown = [];
    if (names.length > 0) {
      try {
        alerts = await call("disk.temperature_alerts", [names]);
      } catch (err) {
        if (!(err instanceof MethodNotFoundError)) throw err;
        alerts = null;
      }
    }
    return { disks, temperatures, alerts };
  },
  normalise(input): GroupSnapshot {
    const raw = obj(input);
    const temperatures = obj(raw.temperatures);
    const alertsKnown = Array.isArray(raw.alerts);
    const alerts = alertsByDisk(raw.alerts);
    const objects: ObjectState[] = [];
    const entities: EntitySpec[] = [];
    const seen = new Set<string>();
    for (const entry of list(raw.disks)) {
      const d = obj(entry);
      const identifier = str(d.identifier);
      const name = str(d.name);
      if (identifier === null || identifier === "" || name === null || seen.has(identifier)) continue;
      const alert = alerts.get(name);
      // A disk TrueNAS does not monitor (25.04: S.M.A.R.T. off) has no reading at all: no entities for it.
      if (!Object.hasOwn(temperatures, name) && alert === undefined) continue;
      seen.add(identifier);
      const { temperature, critical: threshold } = reading(temperatures[name]);
      const critical = threshold ?? alert?.critical ?? null;
      const hot = temperature !== null && critical !== null && temperature >= critical;
      // No reading and no answer on alerts: unknown, not "fine".
      const over = hot || alert !== undefined ? true : temperature === null && !alertsKnown ? null : false;
      const ref = { kind: "disktemp", id: identifier };
      const device = deviceKey({ kind: "disk", id: identifier });
      objects.push({
        ref,
        device,
        doc: { name, temperature, critical_temperature: critical, over_temperature: over },
        attributes: { critical_temperature: critical, alerts: alert?.messages ?? [] },
      });
      entities.push(...bindEntities(TEMPLATES, ref, { device }));
    }
    return { group: "disk_temperatures", devices: [], objects, entities };
  },
};
