/**
 * Issue 6, "Bad input": a frame over the client's size limit, with the whole bridge connected to the simulator.
 * The product's limit is 512 MiB (src/truenas/clientTypes.ts CLIENT_DEFAULTS.maxFrameBytes, not configurable),
 * which a test cannot send; the one mock here lowers that default to 1 MiB and changes nothing else.
 *
 * What happens: ws refuses the frame and closes the socket (1009), the pending call is rejected with
 * ConnectionClosedError, the client reconnects, the bridge polls everything again, and the retained state equals
 * the simulator's.
 */
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { ConnectionClosedError } from "../../src/truenas/errors.js";
import { FaultRig } from "../support/faultRig.js";

vi.mock(import("../../src/truenas/clientTypes.js"), async (importOriginal) => {
  const real = await importOriginal();
  return { ...real, withDefaults: (opts) => ({ ...real.withDefaults(opts), maxFrameBytes: 1024 * 1024 }) };
});

let rig: FaultRig;

beforeAll(async () => {
  rig = new FaultRig();
  await rig.start();
});

afterAll(async () => {
  await rig?.stop();
});

it("drops the session on a frame over the limit, rejects the pending call, reconnects and polls again", async () => {
  const sessions = rig.app.client.stats.sessions;
  const messages = rig.probe.messages.length;
  const pollMark = rig.pollMark();
  rig.sim.faults.hangMethod("system.boot_id");
  const pending = rig.app.client.call("system.boot_id").catch((e: unknown) => e);
  await rig.until(() => rig.app.client.stats.inFlight > 0, "the call to be in flight");
  rig.sim.faults.sendRaw(
    JSON.stringify({ jsonrpc: "2.0", method: "x", params: ["x".repeat(2 * 1024 * 1024)] }),
  );
  const err = await pending;
  rig.sim.faults.hangMethod("system.boot_id", false);
  expect(err).toBeInstanceOf(ConnectionClosedError);
  const socketErrors = rig.logs.withMsg("socket error").map((l) => (l.err as { message?: string }).message);
  expect(socketErrors).toContain("Max payload size exceeded");
  await rig.until(() => rig.app.client.stats.sessions === sessions + 1, "a new session");
  await rig.waitPolled(pollMark);
  await rig.settled();
  const cleared = rig.probe.messages.slice(messages).filter((m) => m.payload === "");
  expect(cleared.map((m) => m.topic)).toEqual([]);
  await rig.expectStateEqualsTruth();
});

it("keeps the session for a frame just under the limit", async () => {
  const { sessions, badFrames } = rig.app.client.stats;
  rig.sim.faults.sendRaw(JSON.stringify({ jsonrpc: "2.0", id: 987_654, result: "x".repeat(1000 * 1024) }));
  await expect(rig.app.client.call("core.ping")).resolves.toBe("pong");
  expect(rig.app.client.stats).toMatchObject({ sessions, badFrames: badFrames + 1 });
});
