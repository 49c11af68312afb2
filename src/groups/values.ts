/**
 * Defensive readers for TrueNAS results in normalisers: a missing, null or wrongly typed field becomes null,
 * never an exception, NaN or undefined (normalisers must survive any shape the NAS sends).
 */
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

export function date(v: unknown): Date | null {
  if (v instanceof Date) return Number.isFinite(v.getTime()) ? v : null;
  return null;
}

/** Lower-cased enum value, or null. */
export function lower(v: unknown): string | null {
  return typeof v === "string" && v !== "" ? v.toLowerCase() : null;
}

/** part / whole as a percentage with one decimal, or null. */
export function percent(part: number | null, whole: number | null): number | null {
  if (part === null || whole === null || whole <= 0) return null;
  return Math.round((part / whole) * 1000) / 10;
}

/** The `parsed` value of a ZFS property object. */
export function parsed(v: unknown): unknown {
  return obj(v).parsed;
}
