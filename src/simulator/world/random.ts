/**
 * Deterministic randomness for the simulated NAS: one seeded generator per world, so a seed reproduces the same
 * large profile, the same ids and the same drift. No `Math.random` anywhere in the world.
 */

/** A small seeded PRNG (mulberry32): fast, 32-bit state, good enough for simulated telemetry. */
export class Rng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Uniform float in [min, max). */
  range(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("Rng.pick on an empty list");
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Standard normal (Box-Muller), for drift. */
  normal(): number {
    const u = Math.max(this.next(), 1e-12);
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** `n` lower-case hex digits. */
  hex(n: number): string {
    let out = "";
    while (out.length < n)
      out += Math.floor(this.next() * 0x10000)
        .toString(16)
        .padStart(4, "0");
    return out.slice(0, n);
  }

  /** A version-4 UUID string (alert uuids, login ids, boot ids). */
  uuid(): string {
    const h = this.hex(32);
    const variant = ((parseInt(h[16] ?? "0", 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** A decimal ZFS guid (a random uint64 printed as a string, as py-libzfs does). */
  guid(): string {
    const hi = BigInt(Math.floor(this.next() * 0x7fffffff) + 1);
    const lo = BigInt(Math.floor(this.next() * 0xffffffff));
    return ((hi << 32n) | lo).toString();
  }
}

/**
 * Stateless value noise in [-1, 1] for a key and a point in time: history graphs are a pure function of
 * (series, timestamp), so a reporting query never consumes the world's generator and repeats exactly.
 */
export function valueNoise(key: number, t: number): number {
  const i = Math.floor(t);
  const f = t - i;
  const a = hash01(key, i);
  const b = hash01(key, i + 1);
  const s = f * f * (3 - 2 * f);
  return (a + (b - a) * s) * 2 - 1;
}

function hash01(key: number, i: number): number {
  let h = Math.imul(key ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(i, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** A 32-bit string hash (FNV-1a), to key noise series by name. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
