/**
 * Issue 6, TrueNAS faults that break the connection: a drop in the middle of a call, connections refused for
 * minutes, and a NAS reboot. After each, once the session is back and the bridge has run its own full poll,
 * the retained MQTT state equals the simulator's truth, and nothing false was published in between.
 */
import { once } from "node:events";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM_REF } from "../../src/groups/system.js";
import type { DownEvent } from "../../src/truenas/clientTypes.js";
import { FaultRig } from "../support/faultRig.js";
import { ManualClock } from "../support/truenasClock.js";

const TANK = "16518270468734211597";

describe("TrueNAS faults: the connection (real clock)", () => {
  let rig: FaultRig;
  beforeAll(async () => {
    // A grace period longer than the first reconnect delay (1-2 s): a short drop must not flap availability.
    rig = new FaultRig({ env: { AVAILABILITY_GRACE: "10" } });
    await rig.start();
  });
  afterAll(async () => {
    await rig?.stop();
  });
  afterEach(() => {
    rig.sim.faults.clear();
  });

  it("drops the connection mid-call: the poll fails, nothing false goes out, the next session restores the truth", async () => {
    const poolTopic = rig.stateTopic("pool", TANK);
    const published = rig.history(poolTopic).length;
    rig.sim.faults.delayMethod("pool.query", 300);
    const poll = rig.app.bridge.pollGroup("pools");
    await rig.until(() => rig.app.client.stats.inFlight > 0, "pool.query in flight");
    const down = once(rig.app.client, "down") as Promise<[DownEvent]>;
    rig.sim.faults.dropAll();
    const [event] = await down;
    expect(event.reason).toBe("socket_closed");
    await poll;
    expect(rig.app.bridge.status().groups.pools?.lastError).toMatch(/closed/i);
    // The NAS changes while the bridge cannot see it; the pool.query event is lost with the socket.
    rig.world.control.degradePool("tank");
    rig.sim.faults.delayMethod("pool.query", 0);
    const mark = rig.pollMark();
    await once(rig.app.client, "ready");
    await rig.waitPolled(mark);
    await rig.expectStateEqualsTruth();
    const docs = rig.docsOn(poolTopic).slice(published);
    expect(docs.map((d) => d?.status)).toEqual(["degraded"]);
    expect(rig.history(rig.availabilityTopic).map((m) => m.payload)).not.toContain("offline");
    rig.world.control.restorePool("tank");
  });

  it("survives a reboot: not ready while booting, ready again after system.ready, never ready in between", async () => {
    const systemTopic = rig.stateTopic(SYSTEM_REF.kind, SYSTEM_REF.id);
    const published = rig.history(systemTopic).length;
    const bootTime = rig.docsOn(systemTopic).at(-1)?.boot_time;
    const down = once(rig.app.client, "down");
    await rig.sim.reboot();
    await down;
    rig.world.control.stopApp("nextcloud"); // missed while the NAS is away
    const mark = rig.pollMark();
    rig.sim.powerOn();
    await once(rig.app.client, "ready");
    await rig.waitPolled(mark);
    await rig.expectStateEqualsTruth();
    const booting = rig.docsOn(systemTopic).at(-1);
    expect(booting).toMatchObject({ ready: false });
    expect(booting?.boot_time).not.toBe(bootTime);
    expect(rig.docsOn(rig.stateTopic("app", "nextcloud")).at(-1)).toMatchObject({ state: "stopped" });

    const ready = rig.probe.next((m) => m.topic === systemTopic && JSON.parse(m.payload).ready === true);
    rig.world.control.setReady(true); // the system.ready event, no poll needed
    await ready;
    await rig.expectStateEqualsTruth();
    const readiness = rig
      .docsOn(systemTopic)
      .slice(published)
      .map((d) => d?.ready);
    // Between the reboot and system.ready nothing claimed the NAS was ready.
    expect(readiness.at(-1)).toBe(true);
    expect(readiness.slice(0, -1).every((r) => r === false)).toBe(true);
    expect(rig.app.client.stats.sessions).toBeGreaterThanOrEqual(2);
    rig.world.control.startApp("nextcloud");
  });
});

describe("TrueNAS faults: connections refused for minutes (manual clock)", () => {
  const clock = new ManualClock();
  let rig: FaultRig;
  beforeAll(async () => {
    rig = new FaultRig({ clock });
    await rig.start();
  });
  afterAll(async () => {
    await rig?.stop();
  });

  it("backs off with growing, jittered delays capped at 60 s, goes offline once, and recovers the truth", async () => {
    const downs: DownEvent[] = [];
    rig.app.client.on("down", (e) => downs.push(e));
    const stateTopics = (): number =>
      rig.probe.messages.filter((m) => m.topic.startsWith(`truenas2mqtt/${rig.nas.id}/`)).length;
    const before = stateTopics();
    const availability = rig.history(rig.availabilityTopic).length;
    rig.sim.faults.refuseConnections(true);
    rig.sim.faults.dropAll();
    await rig.until(() => downs.length === 1, "the session to go down");
    const start = clock.now();
    // Three minutes of refused connections, one real refused socket per retry.
    while (clock.now() - start < 180_000) {
      const seen = downs.length;
      clock.advance(downs.at(-1)!.retryInMs);
      await rig.until(() => downs.length > seen, "the next refused connect");
    }
    rig.world.control.crashApp("nextcloud"); // missed while refused

    expect(downs[0]?.reason).toBe("socket_closed");
    expect(downs.slice(1).every((d) => d.reason === "connect_failed")).toBe(true);
    const delays = downs.map((d) => d.retryInMs);
    delays.forEach((d, attempt) => {
      expect(d).toBeGreaterThanOrEqual(1_000);
      expect(d).toBeLessThanOrEqual(Math.min(60_000, 1_000 * 2 ** attempt));
    });
    expect(delays.length).toBeGreaterThan(6);
    // Visible backoff: the delays reach well past the first ceilings (P(fail) < 1e-6 for uniform draws).
    expect(Math.max(...delays.slice(6))).toBeGreaterThan(8_000);
    // Jittered: draws under the 60 s cap are not all the same.
    expect(new Set(delays.slice(6)).size).toBeGreaterThan(1);
    // Each down is logged once with its delay; refusals are not operator errors.
    const logged = rig.logs.withMsg("truenas session down");
    expect(logged.map((l) => l.retryInMs)).toEqual(delays);
    expect(logged.every((l) => l.level === 30)).toBe(true);
    // Availability went offline once, after the grace period, and nothing else about the NAS was published.
    expect(
      rig
        .history(rig.availabilityTopic)
        .slice(availability)
        .map((m) => m.payload),
    ).toEqual(["offline"]);
    expect(stateTopics()).toBe(before + 1);

    rig.sim.faults.refuseConnections(false);
    const mark = rig.pollMark();
    const ready = once(rig.app.client, "ready");
    clock.advance(downs.at(-1)!.retryInMs);
    await ready;
    await rig.waitPolled(mark);
    await rig.waitOnlineAfter(availability + 1);
    await rig.expectStateEqualsTruth();
    expect(rig.docsOn(rig.stateTopic("app", "nextcloud")).at(-1)).toMatchObject({ state: "crashed" });
  });
});
