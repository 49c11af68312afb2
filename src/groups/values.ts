/**
 * Defensive readers for TrueNAS results in normalisers: a missing, null or wrongly typed field becomes null,
 * never an exception, NaN or undefined (normalisers must survive any shape the NAS sends).
 */
import { entitySlug } from "../entities/ids.js";
import type { DeviceSpec, ObjectState } from "../entities/model.js";

export type Obj = Record<string, unknown>;

export function obj(v: unknown): Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {};
}

export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function num(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return null;
}

export function str(v: unknown): string | null {
  return typeof v === "string" ? v : typeof v === "number" && Number.isFinite(v) ? String(v) : null;
}

export function bool(v: unknown): boolean | null {
  return typeof v === "boolean" ? v : null;
}

/**
 * A Date HA can parse: years 1–9999 (Python's datetime range). `$date` carries any ms count, and beyond it the
 * ISO text gets a six-digit year (`+275760-…`) that HA rejects on every state (ha-mqtt-discovery.md §3.4).
 */
export function date(v: unknown): Date | null {
  if (!(v instanceof Date) || !Number.isFinite(v.getTime())) return null;
  const year = v.getUTCFullYear();
  return year >= 1 && year <= 9999 ? v : null;
}

/** Lower-cased enum value, or null. */
export function lower(v: unknown): string | null {
  return typeof v === "string" && v !== "" ? v.toLowerCase() : null;
}

/** The number when finite, else null: arithmetic on finite readings still overflows (1e308 + 1e308). */
export function finite(v: number | null): number | null {
  return v !== null && Number.isFinite(v) ? v : null;
}

/** `v` to `digits` decimals; a value too large to scale is already past any decimals and stays as it is. */
export function round(v: number | null, digits = 1): number | null {
  if (v === null || !Number.isFinite(v)) return null;
  const scaled = v * 10 ** digits;
  return Number.isFinite(scaled) ? Math.round(scaled) / 10 ** digits : v;
}

/** part / whole as a percentage with one decimal, or null (also when a tiny whole overflows the ratio). */
export function percent(part: number | null, whole: number | null): number | null {
  if (part === null || whole === null || whole <= 0) return null;
  return round(finite((part / whole) * 100));
}

/** The `parsed` value of a ZFS property object. */
export function parsed(v: unknown): unknown {
  return obj(v).parsed;
}

/**
 * Labels made distinct: every label several objects share gets the object's id (`label (id)`), so HA never
 * shows two devices with one name (two installs of one catalog app both titled "Plex") and the suggested
 * entity ids derived from the names do not collide. Labels are compared as their entity-id slugs, so
 * "Nextcloud" and "nextcloud" count as shared too.
 */
export function distinctLabels(items: readonly { readonly label: string; readonly id: string }[]): string[] {
  const counts = new Map<string, number>();
  for (const { label } of items) counts.set(entitySlug(label), (counts.get(entitySlug(label)) ?? 0) + 1);
  return items.map(({ label, id }) =>
    (counts.get(entitySlug(label)) ?? 0) > 1 ? `${label} (${id})` : label,
  );
}

/** Devices, one per object in the same order, named distinctly by their object's id (see distinctLabels). */
export function distinctDeviceNames(
  devices: readonly DeviceSpec[],
  objects: readonly ObjectState[],
): DeviceSpec[] {
  const names = distinctLabels(devices.map((d, i) => ({ label: d.name, id: objects[i]?.ref.id ?? "" })));
  return devices.map((d, i) => ({ ...d, name: names[i] ?? d.name }));
}
