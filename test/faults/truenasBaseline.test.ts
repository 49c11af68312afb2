/**
 * The fault rig's own checks: after start-up the retained MQTT state equals the simulator's truth, and the
 * comparison notices a world that changed behind the bridge's back (so a passing fault test means something).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FaultRig } from "../support/faultRig.js";

let rig: FaultRig;
beforeAll(async () => {
  rig = new FaultRig();
  await rig.start();
});
afterAll(async () => {
  await rig?.stop();
});

describe("fault rig", () => {
  it("starts with the retained state equal to the truth, covering every group's objects", async () => {
    const { states } = await rig.truth();
    expect(states.size).toBeGreaterThan(50);
    expect(states.has(rig.stateTopic("service", "cifs"))).toBe(true);
    await rig.expectStateEqualsTruth();
  });

  it("reports a difference when the world changes without an event, until the next poll", async () => {
    const cifs = rig.world.state.services.find((s) => s.service === "cifs");
    if (!cifs) throw new Error("the typical profile has no cifs service");
    cifs.state = "STOPPED"; // no service.query event: the bridge cannot know yet
    const diff = await rig.diffWithTruth();
    expect(diff.wrong.map(([topic]) => topic)).toEqual([
      rig.stateTopic("service", "cifs"),
      `${rig.stateTopic("service", "cifs")}/attributes`,
    ]);
    await rig.pollAll();
    await rig.expectStateEqualsTruth();
    expect(JSON.parse(rig.history(rig.stateTopic("service", "cifs")).at(-1)!.payload).running).toBe(false);
  });

  it("records log lines with secrets redacted", () => {
    expect(rig.logs.withMsg("truenas session ready")).toHaveLength(1);
    expect(rig.logs.text()).not.toContain("truenas2mqttSimulatorKey");
  });

  it("stops idempotently", async () => {
    const local = new FaultRig();
    await local.start();
    await Promise.all([local.stop(), local.stop()]);
    expect(local.sim.openConnections).toBe(0);
    await local.stop();
  });
});
