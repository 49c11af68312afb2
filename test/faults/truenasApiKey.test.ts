/**
 * Issue 6, the TrueNAS API key revoked mid-run: a clear error, retries at the slow auth backoff, and recovery
 * from a new key in the key file without a restart. Time is a ManualClock: backoffs of minutes pass at once,
 * sockets stay real.
 */
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DownEvent } from "../../src/truenas/clientTypes.js";
import { FaultRig } from "../support/faultRig.js";
import { ManualClock } from "../support/truenasClock.js";

describe("TrueNAS faults: the API key is revoked mid-run", () => {
  const clock = new ManualClock();
  let rig: FaultRig;
  beforeAll(async () => {
    rig = new FaultRig({ clock, keyFile: true, sim: { authFailDelayMs: [0, 0] } });
    await rig.start();
  });
  afterAll(async () => {
    await rig?.stop();
  });

  it("logs a clear error, retries slowly, and recovers from a new key in the key file without a restart", async () => {
    const downs: DownEvent[] = [];
    rig.app.client.on("down", (e) => downs.push(e));
    const availability = rig.history(rig.availabilityTopic).length;
    const client = rig.app.client;
    rig.sim.faults.revokeApiKey();
    await rig.until(() => downs.length === 1, "the session to drop");
    expect(downs[0]?.reason).toBe("socket_closed");
    clock.advance(downs[0]!.retryInMs);
    await rig.until(() => downs.length === 2, "the login to be refused");
    // Two refused logins at the slow auth backoff (60 s, then up to 120 s), never the 1 s connect backoff.
    clock.advance(downs[1]!.retryInMs);
    await rig.until(() => downs.length === 3, "the second refused login");
    expect(downs.slice(1).map((d) => d.reason)).toEqual(["auth_failed", "auth_failed"]);
    expect(downs[1]?.retryInMs).toBe(60_000);
    expect(downs[2]?.retryInMs).toBeGreaterThanOrEqual(60_000);
    expect(downs[2]?.retryInMs).toBeLessThanOrEqual(120_000);
    const refused = rig.logs.withMsg("truenas session down").filter((l) => l.reason === "auth_failed");
    expect(refused).toHaveLength(2);
    expect(refused[0]?.level).toBe(50);
    expect((refused[0]?.err as { message: string }).message).toMatch(/refused the API key.*revoked/);
    expect(
      rig
        .history(rig.availabilityTopic)
        .slice(availability)
        .map((m) => m.payload),
    ).toEqual(["offline"]);
    rig.world.control.stopApp("nextcloud"); // missed while locked out

    const newKey = `2-${"replacementKey".padEnd(64, "7")}`;
    rig.writeApiKey(newKey);
    rig.sim.faults.setApiKey(newKey);
    const mark = rig.pollMark();
    const ready = once(client, "ready");
    // Within seconds of the new key (the key file is checked every 5 s), not after the rest of a long backoff.
    const remaining = Math.min(...clock.pendingDelays().filter((d) => d > 5_000));
    expect(remaining).toBeGreaterThanOrEqual(55_000);
    await rig.advance(clock, 5_000);
    await ready;
    expect(rig.logs.withMsg("new API key found; retrying now")).toHaveLength(1);
    expect(rig.app.client).toBe(client); // the same client: no restart
    await rig.waitPolled(mark);
    await rig.waitOnlineAfter(availability + 1);
    await rig.expectStateEqualsTruth();
    expect(rig.docsOn(rig.stateTopic("app", "nextcloud")).at(-1)).toMatchObject({ state: "stopped" });
    expect(rig.logs.text()).not.toContain("replacementKey");
    expect(rig.logs.text()).not.toContain("truenas2mqttSimulatorKey");
  });
});
