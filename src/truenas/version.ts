/**
 * TrueNAS release numbers as `system.info.version` reports them ("25.10.0", "25.04.2.6"), compared
 * numerically, so groups can pick methods per release (truenas-api.md §3.1). Pure.
 */
export interface TrueNasVersion {
  readonly raw: string;
  /** Numeric parts: [25, 4, 2, 6]. Unparseable parts count as 0. */
  readonly parts: readonly number[];
}

export function parseVersion(raw: string): TrueNasVersion {
  const parts = raw
    .replace(/^TrueNAS-(SCALE-)?/i, "")
    .split(/[.-]/)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : 0));
  return { raw, parts };
}

/** -1, 0 or 1, comparing numerically part by part ("25.04.2.6" > "25.04.2"). */
export function compareVersions(a: TrueNasVersion, b: TrueNasVersion): number {
  for (let i = 0; i < Math.max(a.parts.length, b.parts.length); i += 1) {
    const d = (a.parts[i] ?? 0) - (b.parts[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** True when `v` is the given release or newer. */
export function atLeast(v: TrueNasVersion, release: string): boolean {
  return compareVersions(v, parseVersion(release)) >= 0;
}
