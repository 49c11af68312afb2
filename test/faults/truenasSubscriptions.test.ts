/**
 * Issue 6, a TrueNAS subscription ended by the server with `notify_unsubscribed` (an event source that stopped
 * or crashed): the client subscribes again after a short backoff and events keep flowing. Time is a ManualClock,
 * sockets stay real.
 */
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REALTIME_SOURCE } from "../../src/groups/reporting.js";
import { FaultRig } from "../support/faultRig.js";
import { ManualClock } from "../support/truenasClock.js";

const TANK = "16518270468734211597";

describe("TrueNAS faults: a subscription ends with notify_unsubscribed", () => {
  const clock = new ManualClock();
  let rig: FaultRig;
  beforeAll(async () => {
    rig = new FaultRig({ clock });
    await rig.start();
  });
  afterAll(async () => {
    await rig?.stop();
  });

  /** The client's next notification on `collection` (events reach the bridge through the same frames). */
  const nextNotification = (collection: string): Promise<unknown> =>
    new Promise((resolve) => {
      const on = (n: { collection: string }): void => {
        if (n.collection !== collection) return;
        rig.app.client.off("notification", on);
        resolve(n);
      };
      rig.app.client.on("notification", on);
    });

  it("re-subscribes an event source that stopped, and realtime reporting keeps flowing", async () => {
    const subscribes = rig.sim.stats.calls("core.subscribe");
    expect(rig.sim.faults.endSubscriptions(REALTIME_SOURCE)).toBe(1);
    const ended = await rig.logs.waitFor(
      (l) => l.msg === "subscription ended by server" && l.collection === REALTIME_SOURCE,
    );
    expect(ended.error).toMatchObject({ errname: "EFAULT" });
    // The resubscribe waits a backoff (5 s at first): a crashing source is not restarted in a tight loop.
    expect(ended.retryInMs).toBe(5_000);
    rig.world.state.realtime.cpu = { cpu: { usage: 77.5, temp: 51 } }; // new figures from the NAS
    const update = nextNotification(REALTIME_SOURCE);
    await rig.advance(clock, 4_000);
    expect(rig.sim.stats.calls("core.subscribe")).toBe(subscribes);
    await rig.advance(clock, 1_000);
    await rig.until(() => rig.sim.stats.calls("core.subscribe") === subscribes + 1, "a new core.subscribe");
    expect(await update).toMatchObject({ fields: { cpu: { cpu: { usage: 77.5 } } } });
    await rig.pollAll();
    await rig.settled();
    expect(rig.docsOn(rig.stateTopic("reporting", "realtime")).at(-1)).toMatchObject({ cpu_usage: 77.5 });
    await rig.expectStateEqualsTruth();
  });

  it("re-subscribes a plain event and polls the group once for what it may have missed", async () => {
    const poolTopic = rig.stateTopic("pool", TANK);
    const mark = rig.pollMark();
    expect(rig.sim.faults.endSubscriptions("pool.query")).toBe(1);
    await rig.logs.waitFor((l) => l.msg === "subscription ended by server" && l.collection === "pool.query");
    await rig.advance(clock, 10_000);
    // Events may have been missed while unsubscribed: the group was polled once on the notification.
    await rig.until(() => rig.pollMark().pools === (mark.pools ?? 0) + 1, "one poll of pools");
    await rig.until(
      () => rig.logs.lines.some((l) => l.msg === "subscription restored" && l.collection === "pool.query"),
      "pool.query to be subscribed again",
    );
    // A pool event after the resubscribe reaches MQTT without any scheduled poll.
    const event = nextNotification("pool.query");
    const degraded = rig.probe.next(
      (m) => m.topic === poolTopic && JSON.parse(m.payload).status === "degraded",
    );
    rig.world.control.degradePool("tank");
    await event;
    clock.advance(100); // the bridge's event debounce
    await degraded;
    await rig.settled();
    await rig.expectStateEqualsTruth();
  });

  it("does not re-subscribe arguments the server refused (EINVAL) until the next session", async () => {
    const subscribes = rig.sim.stats.calls("core.subscribe");
    const refused = { error: 22, errname: "EINVAL", reason: "[EINVAL] interval: too small", trace: null };
    expect(rig.sim.faults.endSubscriptions(REALTIME_SOURCE, refused)).toBe(1);
    const ended = await rig.logs.waitFor(
      (l) =>
        l.msg === "subscription ended by server" && (l.error as { errname?: string })?.errname === "EINVAL",
    );
    expect(ended.retryInMs).toBeUndefined();
    await rig.advance(clock, 60_000, 5_000);
    expect(rig.sim.stats.calls("core.subscribe")).toBe(subscribes);
    expect(rig.app.client.state).toBe("ready");
    const ready = once(rig.app.client, "ready");
    const update = nextNotification(REALTIME_SOURCE); // subscribed again with the new session
    rig.sim.faults.dropAll();
    await rig.until(() => rig.app.client.state === "backoff", "the session to drop");
    await rig.advance(clock, 2_000);
    await ready;
    await update;
  });
});
