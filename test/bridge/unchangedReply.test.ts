/**
 * A poll whose reply is byte-for-byte what the group's last normalised poll saw skips normalising and diffing
 * (nasBridge.ts #lastReply). These tests pin the two conditions that make skipping safe: a changed reply is
 * always normalised, and an unchanged reply is still re-diffed when a device it refers to changed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FaultRig } from "../support/faultRig.js";

let rig: FaultRig;
beforeAll(async () => {
  rig = new FaultRig();
  await rig.start();
  await rig.pollAll();
  await rig.settled();
});
afterAll(async () => {
  await rig?.stop();
});

const configsOf = (needle: string): Array<Record<string, any>> =>
  rig.probe.messages
    .filter((m) => m.topic.endsWith("/config") && m.topic.includes(needle) && m.payload !== "")
    .map((m) => JSON.parse(m.payload));

describe("a poll whose reply did not change", () => {
  it("publishes nothing and still counts as a successful poll", async () => {
    const before = rig.probe.messages.length;
    const runs = rig.report().groups.pools!.runs;
    await rig.app.bridge.pollGroup("pools");
    await rig.settled();
    expect(rig.probe.messages.length).toBe(before);
    expect(rig.report().groups.pools!.runs).toBe(runs + 1);
    expect(rig.report().groups.pools!.lastError).toBeNull();
  });

  it("is normalised again when the reply changed, even without an event", async () => {
    const disk = rig.world.state.disks[0]!;
    rig.world.state.temperatures[String(disk.name)] = 57;
    await rig.app.bridge.pollGroup("disk_temperatures");
    await rig.settled();
    await rig.expectStateEqualsTruth();
  });

  it("rebuilds its configs when a device they sit on changed in another group's poll", async () => {
    const disk = rig.world.state.disks[0]!;
    const temperatureConfigs = (): Array<Record<string, any>> =>
      configsOf("disktemp_").filter((c) => c.device?.name === disk.name || c.device?.model !== undefined);
    expect(temperatureConfigs().length).toBeGreaterThan(0);
    // The disk's model changes (a firmware report, say): only the disks group reads it.
    disk.model = "Renamed Model 9000";
    await rig.app.bridge.pollGroup("disks");
    // The temperatures reply is unchanged, but its entities' device block must follow the disk device.
    await rig.app.bridge.pollGroup("disk_temperatures");
    await rig.settled();
    const latest = new Map<string, Record<string, any>>();
    for (const m of rig.probe.messages.filter(
      (m) => m.topic.includes("disktemp_") && m.topic.endsWith("/config"),
    ))
      if (m.payload !== "") latest.set(m.topic, JSON.parse(m.payload));
    const models = [...latest.values()].map((c) => c.device?.model);
    expect(models).toContain("Renamed Model 9000");
  });
});
