import { describe, expect, it } from "vitest";
import { PollInputs, type DigestedCall } from "../../src/bridge/pollInputs.js";
import { EjsonSet } from "../../src/truenas/ejson.js";

/** A NAS whose answers are given per method: each is the reply's digest (or null) and its result. */
function nas(answers: Record<string, { digest: string | null; result: unknown } | Error>): DigestedCall {
  return <R>(method: string) => {
    const a = answers[method];
    if (a === undefined || a instanceof Error) return Promise.reject(a ?? new Error(`no ${method}`));
    return Promise.resolve(a as { digest: string | null; result: R });
  };
}

async function digestOf(
  answers: Parameters<typeof nas>[0],
  run: (call: ReturnType<PollInputs["recording"]>) => Promise<unknown>,
  latest?: unknown,
): Promise<string> {
  const inputs = new PollInputs(latest);
  await run(inputs.recording(nas(answers))).catch(() => undefined);
  return inputs.digest();
}

const ok = (digest: string | null, result: unknown = null) => ({ digest, result });

describe("PollInputs", () => {
  it("is equal for equal calls and answers, and differs when an answer, params or the event payload differ", async () => {
    const fetch = (call: any) => Promise.all([call("pool.query", [[["id", "=", 1]]]), call("disk.query")]);
    const base = await digestOf({ "pool.query": ok("p1"), "disk.query": ok("d1") }, fetch);
    expect(await digestOf({ "pool.query": ok("p1"), "disk.query": ok("d1") }, fetch)).toBe(base);
    expect(await digestOf({ "pool.query": ok("p2"), "disk.query": ok("d1") }, fetch)).not.toBe(base);
    const otherParams = (call: any) =>
      Promise.all([call("pool.query", [[["id", "=", 2]]]), call("disk.query")]);
    expect(await digestOf({ "pool.query": ok("p1"), "disk.query": ok("d1") }, otherParams)).not.toBe(base);
    expect(await digestOf({ "pool.query": ok("p1"), "disk.query": ok("d1") }, fetch, { cpu: 1 })).not.toBe(
      base,
    );
  });

  it("orders calls as they were made, so answers arriving in another order give the same digest", async () => {
    const inputs = (order: "ab" | "ba") => {
      const p = new PollInputs(undefined);
      const resolvers: Record<string, () => void> = {};
      const call = p.recording(
        <R>(method: string) =>
          new Promise<{ digest: string; result: R }>((resolve) => {
            resolvers[method] = () => resolve({ digest: method, result: null as R });
          }),
      );
      const done = Promise.all([call("a"), call("b")]);
      for (const m of order) resolvers[m]!();
      return done.then(() => p.digest());
    };
    expect(await inputs("ab")).toBe(await inputs("ba"));
  });

  it("hashes the decoded result when the frame gave no digest", async () => {
    const fetch = (call: any) => call("system.info");
    const a = await digestOf({ "system.info": ok(null, { v: new EjsonSet([1]) }) }, fetch);
    const b = await digestOf({ "system.info": ok(null, { v: new EjsonSet([2]) }) }, fetch);
    expect(a).not.toBe(b);
  });

  it("counts a failed call as an input (a fetch may return something that depends on the error)", async () => {
    const fetch = (call: any) => call("disk.temperatures").catch(() => "none");
    const failed = await digestOf({ "disk.temperatures": new Error("EBUSY") }, fetch);
    const other = await digestOf({ "disk.temperatures": new Error("ENOENT") }, fetch);
    const answered = await digestOf({ "disk.temperatures": ok("t") }, fetch);
    expect(new Set([failed, other, answered]).size).toBe(3);
  });
});
