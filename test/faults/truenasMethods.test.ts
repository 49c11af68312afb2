/**
 * Issue 6, TrueNAS faults in single methods: a method that hangs (only its group times out) and a method that
 * disappears after an update (the group's fallback is used, or the group is disabled with one log line). After
 * each, the retained MQTT state equals the simulator's truth.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FaultRig } from "../support/faultRig.js";

let rig: FaultRig;
beforeAll(async () => {
  // Short call timeout so a hang costs milliseconds (the schema counts whole seconds).
  rig = new FaultRig({ tweak: (c) => ({ ...c, truenas: { ...c.truenas, callTimeoutMs: 300 } }) });
  await rig.start();
});
afterAll(async () => {
  await rig?.stop();
});
afterEach(() => {
  rig.sim.faults.clear();
});

describe("TrueNAS faults: methods", () => {
  it("a hung method times out only its own group, the others keep publishing, and the truth returns", async () => {
    const cifs = rig.stateTopic("service", "cifs");
    const app = rig.stateTopic("app", "nextcloud");
    const services = rig.history(cifs).length;
    rig.sim.faults.hangMethod("service.query");
    rig.world.control.setServiceRunning("cifs", false); // its event polls services: that poll hangs too
    rig.world.control.stopApp("nextcloud");
    for (let i = 0; i < 3; i++) {
      const mark = rig.pollMark();
      await rig.pollAll();
      const groups = rig.report().groups;
      expect(groups.services?.lastError).toBe("service.query: no answer within 300 ms");
      for (const [name, s] of Object.entries(groups)) {
        if (name === "services") continue;
        expect({ name, error: s.lastError }).toEqual({ name, error: null });
        expect(s.runs).toBeGreaterThan(mark[name] ?? 0);
      }
    }
    const report = rig.report();
    expect(report.healthy).toBe(true);
    expect(rig.app.client.state).toBe("ready");
    await rig.settled();
    expect(rig.docsOn(app).at(-1)).toMatchObject({ state: "stopped" });
    // Nothing was published for the hung group: its last document stands until it answers again.
    expect(rig.history(cifs)).toHaveLength(services);
    expect(
      rig.logs.withMsg("poll failed").filter((l) => l.group === "services").length,
    ).toBeGreaterThanOrEqual(3);

    rig.sim.faults.hangMethod("service.query", false);
    await rig.pollAll();
    await rig.expectStateEqualsTruth();
    expect(rig.docsOn(cifs).at(-1)).toMatchObject({ running: false });
    expect(rig.report().groups.services?.lastError).toBeNull();
    rig.world.control.setServiceRunning("cifs", true);
    rig.world.control.startApp("nextcloud");
    await rig.pollAll();
  });

  it("a method removed by an update falls back: without Incus the VMs stay and the containers go", async () => {
    const containers = rig.world.state.instances.filter((i) => i.type === "CONTAINER");
    expect(containers.length).toBeGreaterThan(0);
    const vmTopics = rig.world.state.vms.map((v) => rig.stateTopic("vm", String(v.id)));
    rig.sim.faults.removeMethod("virt.instance.query");
    await rig.pollAll();
    await rig.expectStateEqualsTruth();
    const retained = await rig.retainedState();
    for (const topic of vmTopics) expect(retained.has(topic)).toBe(true);
    for (const c of containers) expect(retained.has(rig.stateTopic("container", String(c.name)))).toBe(false);
    expect(rig.report().groups.vms).toMatchObject({ disabled: null, lastError: null });
    expect(rig.logs.withMsg("group disabled: method not available on this NAS")).toEqual([]);
  });

  it("a method removed without a fallback disables its group with one log line and removes its entities", async () => {
    const task = rig.stateTopic("cloudsync", "1");
    expect((await rig.retainedState()).has(task)).toBe(true);
    rig.sim.faults.removeMethod("cloudsync.query");
    for (let i = 0; i < 3; i++) await rig.pollAll();
    const disabled = rig.logs.withMsg("group disabled: method not available on this NAS");
    expect(disabled).toHaveLength(1);
    expect(disabled[0]).toMatchObject({ group: "cloudsync", method: "cloudsync.query" });
    expect(rig.report().groups.cloudsync?.disabled).toBe("the NAS has no cloudsync.query");
    await rig.settled();
    const diff = await rig.expectStateEqualsTruth(["cloudsync"]);
    expect(diff.skipped.cloudsync).toMatch(/disabled/);
    // Its entities are gone rather than showing their last values as current.
    const retained = await rig.retainedState();
    expect([...retained.keys()].filter((t) => t.includes("/cloudsync/") || t.includes("cloudsync_"))).toEqual(
      [],
    );
  });
});
