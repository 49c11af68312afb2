/** The soak's result: every figure it measured and the pass/fail verdict of each check. */

export interface SoakFigures {
  readonly seed: number;
  readonly cycles: number;
  readonly warmupCycles: number;
  readonly speed: number;
  readonly brokerKind: string;
  readonly wallMs: number;
  readonly faults: Record<string, number>;
  readonly mutations: Record<string, number>;
  /** Times method faults were lifted early because the session could not come back with them. */
  readonly faultsLiftedForReady: number;
  readonly heap: {
    warmup: number;
    end: number;
    growth: number;
    /** The part of `growth` in V8's code spaces (functions optimised late, not data). */
    codeGrowth: number;
    /** Buffer memory outside the heap (Node's `arrayBuffers`), after the warm-up and at the end. */
    external: { warmup: number; end: number };
    limit: number;
    /** After forced GC, every tenth of the cycles after the warm-up. */
    samples: Array<{ cycle: number; used: number; code: number; external: number }>;
  };
  /** Objects of each kind on the simulated NAS after the warm-up and at the end (the soak keeps it bounded). */
  readonly world: { warmup: Record<string, number>; end: Record<string, number> };
  readonly rssBytes: number;
  readonly messages: { published: number; dropped: number; bytes: number };
  readonly polls: { runs: number; failures: number };
  readonly session: { sessions: number; reconnects: number; callTimeouts: number; badFrames: number };
  readonly truth: { topics: number; mismatches: string[] };
  readonly resources: {
    before: Record<string, number>;
    /** At the end of the warm-up, with the bridge, the simulator and the broker running. */
    live: Record<string, number>;
    after: Record<string, number>;
    growth: string[];
  };
  readonly stopCode: number;
  /** Failures of the rig itself (a broker that would not restart, sockets that would not close). */
  readonly errors: string[];
}

export interface SoakCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface SoakResult extends SoakFigures {
  readonly checks: SoakCheck[];
  readonly ok: boolean;
}

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(2)} MiB`;

export function finalChecks(f: SoakFigures): SoakResult {
  const checks: SoakCheck[] = [
    {
      name: "heap growth",
      ok: f.heap.growth < f.heap.limit,
      detail: `${mib(f.heap.growth)} after warm-up, ${mib(f.heap.codeGrowth)} of it in V8 code space (limit ${mib(f.heap.limit)})`,
    },
    {
      name: "no leaked sockets or timers",
      ok: f.resources.growth.length === 0,
      detail: f.resources.growth.length === 0 ? "none" : f.resources.growth.join(", "),
    },
    {
      name: "retained state equals the truth",
      ok: f.truth.mismatches.length === 0 && f.truth.topics > 0,
      detail:
        f.truth.mismatches.length === 0
          ? `${f.truth.topics} topics equal`
          : `${f.truth.mismatches.length} of ${f.truth.topics}: ${f.truth.mismatches.slice(0, 5).join("; ")}`,
    },
    { name: "clean shutdown", ok: f.stopCode === 0 && f.errors.length === 0, detail: shutdown(f) },
  ];
  return { ...f, checks, ok: checks.every((c) => c.ok) };
}

function shutdown(f: SoakFigures): string {
  const errors = f.errors.length === 0 ? "" : `; ${f.errors.join("; ")}`;
  return `app.stop() = ${f.stopCode}${errors}`;
}
