/**
 * Random faults, drawn from a seeded stream and injected between cycles: the NAS drops every connection or
 * refuses new ones for a moment, a method answers slowly, fails, hangs or is denied for a number of cycles,
 * a garbage frame arrives, or the MQTT broker restarts empty. Method faults last a number of cycles, so a
 * run with the same seed makes the same decisions at the same cycles.
 */
import type { SimulatorServer } from "../../src/simulator/server.js";
import type { TestBroker } from "../../test/support/broker.js";

export const FAULT_KINDS = [
  "drop",
  "refuse",
  "delay",
  "fail",
  "hang",
  "deny",
  "garbage",
  "broker_restart",
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Relative odds of each kind when a fault is drawn. */
const WEIGHTS: Record<FaultKind, number> = {
  drop: 3,
  refuse: 1,
  delay: 3,
  fail: 3,
  hang: 2,
  deny: 1,
  garbage: 1,
  broker_restart: 0.25,
};

type MethodFault = "delay" | "fail" | "hang" | "deny";

/** Kinds that cost the bridge a new session (a hang does once enough calls are stuck). */
const RECONNECTING: ReadonlySet<FaultKind> = new Set(["drop", "refuse", "hang"]);

/**
 * The simulator limits unauthenticated calls to 20 per minute per address in real time, as TrueNAS does,
 * while the accelerated bridge retries 25 times faster. Past that limit every login is refused and the
 * refusals keep the window full, so the session would not come back for minutes: the run would test the
 * acceleration, not the bridge. Faults that cost a new login are therefore only injected while the logins
 * of the last real minute stay well under the limit.
 */
const LOGIN_WINDOW_MS = 60_000;
const LOGIN_BUDGET = 10;

interface ActiveFault {
  readonly kind: MethodFault;
  readonly method: string;
  readonly untilCycle: number;
}

export interface FaultDeps {
  readonly sim: SimulatorServer;
  readonly broker: TestBroker;
  readonly random: () => number;
  /** Logins the NAS has answered so far (the budget above is kept from it). */
  readonly logins: () => number;
  /** Methods the bridge's groups call (the candidates for method faults). */
  readonly methods: readonly string[];
  /** Called when a background step (broker restart) fails. */
  readonly onError: (what: string, err: unknown) => void;
}

export class FaultInjector {
  readonly counts = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  readonly #d: FaultDeps;
  #active: ActiveFault[] = [];
  #refuseTimer: ReturnType<typeof setTimeout> | undefined;
  #brokerRestart: Promise<void> | undefined;
  /** Login counts seen at each tick of the last minute, oldest first. */
  readonly #loginHistory: Array<{ at: number; count: number }> = [];

  constructor(deps: FaultDeps) {
    this.#d = deps;
  }

  get total(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }

  /** Before cycle `cycle`: end the method faults that ran out, then maybe inject one with odds `rate`. */
  tick(cycle: number, rate: number): FaultKind | undefined {
    this.#expire(cycle);
    const recentLogins = this.#recentLogins();
    // Always draw the same numbers, so whether a fault applies never shifts the stream.
    const draw = this.#d.random();
    const kind = this.#kind(this.#d.random());
    const method = this.#d.methods[Math.floor(this.#d.random() * this.#d.methods.length)];
    const size = this.#d.random();
    if (draw >= rate || method === undefined) return undefined;
    if (RECONNECTING.has(kind) && recentLogins >= LOGIN_BUDGET) return undefined;
    return this.inject(kind, cycle, method, size) ? kind : undefined;
  }

  /**
   * The warm-up tour: each kind once, evenly spaced over the first `warmup` cycles, so every fault path has
   * run (and its code is compiled) before the heap baseline, whatever the seed draws later.
   */
  tour(cycle: number, warmup: number): FaultKind | undefined {
    const step = Math.floor(warmup / (FAULT_KINDS.length + 1));
    if (step < 1 || cycle % step !== 0) return undefined;
    const kind = FAULT_KINDS[cycle / step - 1];
    const method = this.#d.methods[cycle % Math.max(1, this.#d.methods.length)];
    if (kind === undefined || method === undefined) return undefined;
    return this.inject(kind, cycle, method, 0.5) ? kind : undefined;
  }

  /** Inject one fault now; `size` in [0, 1) scales its duration. False when it cannot apply now. */
  inject(kind: FaultKind, cycle: number, method: string, size: number): boolean {
    const { sim } = this.#d;
    switch (kind) {
      case "drop":
        sim.faults.dropAll();
        break;
      case "refuse":
        if (this.#refuseTimer !== undefined) return false;
        sim.faults.refuseConnections(true);
        sim.faults.dropAll();
        this.#refuseTimer = setTimeout(() => this.#lift(), 50 + Math.round(size * 400));
        break;
      case "garbage":
        sim.faults.sendRaw(
          size < 0.5 ? "{not json" : JSON.stringify({ jsonrpc: "2.0", id: 999_999, result: 1 }),
        );
        break;
      case "broker_restart":
        if (this.#brokerRestart) return false;
        this.#brokerRestart = this.#restartBroker().finally(() => (this.#brokerRestart = undefined));
        break;
      default: {
        if (this.#active.some((f) => f.method === method)) return false;
        const cycles = { delay: 30, fail: 20, hang: 25, deny: 20 }[kind];
        this.#active.push({ kind, method, untilCycle: cycle + 1 + Math.floor(size * cycles) });
        if (kind === "delay") sim.faults.delayMethod(method, 5 + Math.round(size * 150));
        else if (kind === "fail") sim.faults.failMethod(method, size < 0.5 ? {} : { errname: "ENOENT" });
        else if (kind === "hang") sim.faults.hangMethod(method);
        else sim.faults.denyMethod(method);
      }
    }
    this.counts[kind] += 1;
    return true;
  }

  /** End every method fault and the refusal now (the session cannot come back while they last). */
  clearSessionFaults(): void {
    for (const f of this.#active.splice(0)) this.#end(f);
    this.#lift();
  }

  /** Undo everything and wait for a broker restart in progress. */
  async clearAll(): Promise<void> {
    this.clearSessionFaults();
    this.#d.sim.faults.clear();
    await this.#brokerRestart;
  }

  get brokerRestarting(): boolean {
    return this.#brokerRestart !== undefined;
  }

  /** Logins in the last minute: the count now minus the last one seen at or before a minute ago. */
  #recentLogins(): number {
    const now = Date.now();
    const history = this.#loginHistory;
    const count = this.#d.logins();
    // One sample a second keeps the history small (it lives in the heap the soak measures).
    const last = history.at(-1);
    if (last === undefined || now - last.at >= 1000) history.push({ at: now, count });
    while (history.length > 1 && now - (history[1] as { at: number }).at >= LOGIN_WINDOW_MS) history.shift();
    return count - (history[0] as { count: number }).count;
  }

  #expire(cycle: number): void {
    const [over, still] = [
      this.#active.filter((f) => f.untilCycle <= cycle),
      this.#active.filter((f) => f.untilCycle > cycle),
    ];
    this.#active = still;
    for (const f of over) this.#end(f);
  }

  #end(f: ActiveFault): void {
    const { faults } = this.#d.sim;
    if (f.kind === "delay") faults.delayMethod(f.method, 0);
    else if (f.kind === "fail") faults.failMethod(f.method, null);
    else if (f.kind === "hang") faults.hangMethod(f.method, false);
    else faults.denyMethod(f.method, false);
  }

  #lift(): void {
    clearTimeout(this.#refuseTimer);
    this.#refuseTimer = undefined;
    this.#d.sim.faults.refuseConnections(false);
  }

  #kind(r: number): FaultKind {
    const total = FAULT_KINDS.reduce((sum, k) => sum + WEIGHTS[k], 0);
    let at = r * total;
    for (const k of FAULT_KINDS) {
      at -= WEIGHTS[k];
      if (at < 0) return k;
    }
    return "drop";
  }

  async #restartBroker(): Promise<void> {
    try {
      await this.#d.broker.stop();
      await this.#d.broker.start();
    } catch (err) {
      this.#d.onError("broker restart", err);
    }
  }
}
