/**
 * The soak's short CI mode (issue 6): the same run as `npm run soak` (scripts/soak), 250 cycles at twice the
 * default fault rate instead of 10,000, every fault kind forced once during the warm-up. The heap is measured
 * after forced full GCs: this worker starts without --expose-gc, so scripts/soak/resources.ts sets the flag at
 * run time and takes `gc` from a fresh vm context. Over so few cycles the heap figure is noisy (it can come
 * out negative); the 10,000-cycle run is the real measure. SOAK_SEED replays a given run.
 */
import { describe, expect, it } from "vitest";
import { FAULT_KINDS } from "../../scripts/soak/faults.js";
import { runSoak, type SoakResult } from "../../scripts/soak/soak.js";

const SEED = Number(process.env.SOAK_SEED ?? 20_261_127);
const CYCLES = 250;

describe("accelerated soak, CI mode", () => {
  let result: SoakResult;

  it(`runs ${CYCLES} cycles with random NAS changes and faults (seed ${SEED})`, async () => {
    result = await runSoak({ cycles: CYCLES, seed: SEED, warmupCycles: 100, faultRate: 0.04 });
    expect(result.cycles).toBe(CYCLES);
    // Every fault kind ran at least once (the warm-up tour), and they bit: polls failed, sessions were lost.
    for (const kind of FAULT_KINDS) expect(result.faults[kind], kind).toBeGreaterThan(0);
    expect(result.polls.failures).toBeGreaterThan(0);
    expect(result.session.sessions).toBeGreaterThan(1);
    expect(result.session.badFrames).toBeGreaterThan(0);
    expect(result.messages.dropped).toBeGreaterThan(0);
    expect(Object.values(result.mutations).reduce((a, b) => a + b, 0)).toBeGreaterThan(30);
  }, 90_000);

  it("ends with what the broker retains equal to the truth", () => {
    expect(result.truth.mismatches).toEqual([]);
    expect(result.truth.topics).toBeGreaterThan(200);
  });

  it("leaks no sockets, servers, timers or child processes", () => {
    // The probe saw the rig while it ran, so it would see what stayed behind.
    expect(result.resources.live.TCPSocketWrap ?? 0).toBeGreaterThan(0);
    expect(result.resources.growth).toEqual([]);
  });

  it("grows the heap by less than 2 MiB after the warm-up", () => {
    expect(result.heap.warmup).toBeGreaterThan(0);
    expect(result.heap.growth).toBeLessThan(2 * 2 ** 20);
  });

  it("shuts down cleanly", () => {
    expect(result.stopCode).toBe(0);
    expect(result.errors).toEqual([]);
    expect(result.checks.filter((c) => !c.ok)).toEqual([]);
  });
});
