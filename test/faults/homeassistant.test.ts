/**
 * Home Assistant's side of MQTT (issue 6): a storm of birth messages costs exactly one full republish, after the
 * debounce; HA's "offline" (its last will) publishes nothing and clears nothing; the next birth republishes.
 * Time is a ManualClock, so "after the debounce" and "nothing more later" are exact, not sleeps.
 */
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FaultRig } from "../support/faultRig.js";
import type { ProbeMessage } from "../support/mqttProbe.js";
import { ManualClock } from "../support/truenasClock.js";

const BIRTH_DELAY_MS = 1_000;
const STATUS = "homeassistant/status";
const REPUBLISHING = "home assistant started: republishing";

describe("Home Assistant birth and will", () => {
  const clock = new ManualClock();
  let rig: FaultRig;
  /** Home Assistant's own connection to the broker. */
  let ha: MqttClient;
  /** Status messages the bridge has received, by payload. */
  const received: Record<string, number> = {};

  beforeAll(async () => {
    rig = new FaultRig({ clock, timings: { haBirthDelayMs: BIRTH_DELAY_MS } });
    await rig.start();
    // Let the start-up's own timers run (event debounce, a group re-polled once its device is known, the stale
    // scan), so that what follows is only Home Assistant's doing.
    clock.advance(200);
    await rig.until(
      () => Object.values(rig.app.bridge.status().groups).every((g) => !g.running),
      "the start-up polls to finish",
    );
    await rig.settled();
    rig.app.publisher.on("message", (topic, payload) => {
      if (topic === STATUS) received[payload.toString()] = (received[payload.toString()] ?? 0) + 1;
    });
    ha = await mqtt.connectAsync(rig.broker.url, { reconnectPeriod: 0 });
  });

  afterAll(async () => {
    await ha?.endAsync(true);
    await rig?.stop();
  });

  /** Messages the bridge published since `from` (the probe's index): not HA's own, not the tests' markers. */
  function publishedSince(from: number): ProbeMessage[] {
    return rig.probe.messages
      .slice(from)
      .filter((m) => m.topic !== STATUS && !/^(faultrig\/)?marker\//.test(m.topic));
  }

  /** Everything sent to the broker before this call has reached the probe once the marker arrives. */
  async function drained(): Promise<void> {
    const marker = `marker/${Math.random().toString(36).slice(2)}`;
    const seen = rig.probe.next((m) => m.topic === marker);
    await ha.publishAsync(marker, "x", { qos: 1 });
    await seen;
  }

  /** What one full republish sends: the NAS's availability, then every config and state document once. */
  function fullRepublishTopics(): string[] {
    const { configs, states } = rig.app.bridge.view;
    return [rig.availabilityTopic, ...configs.keys(), ...states.keys()].sort();
  }

  it("50 births in a burst: nothing before the debounce, then exactly one full republish", async () => {
    const from = rig.probe.messages.length;
    const births = received.online ?? 0;
    for (let i = 0; i < 50; i++) ha.publish(STATUS, "online", { qos: 0 });
    await rig.until(() => (received.online ?? 0) === births + 50, "the bridge to receive the 50 births");
    await drained();
    expect(publishedSince(from)).toEqual([]);

    clock.advance(BIRTH_DELAY_MS);
    const expected = fullRepublishTopics();
    await rig.until(() => publishedSince(from).length >= expected.length, "the republish");
    // Long after the debounce, nothing else follows.
    clock.advance(10 * BIRTH_DELAY_MS);
    await drained();
    const republished = publishedSince(from);
    expect(republished.map((m) => m.topic).sort()).toEqual(expected);
    expect(republished.find((m) => m.topic === rig.availabilityTopic)?.payload).toBe("online");
    expect(rig.logs.withMsg(REPUBLISHING)).toHaveLength(1);
    await rig.expectStateEqualsTruth();
  });

  it('"offline" from Home Assistant publishes nothing and clears nothing; the next birth republishes', async () => {
    const before = await rig.retainedState();
    const from = rig.probe.messages.length;
    const wills = received.offline ?? 0;
    ha.publish(STATUS, "offline", { qos: 0, retain: true });
    await rig.until(() => (received.offline ?? 0) === wills + 1, "the bridge to receive HA's will");
    clock.advance(10 * BIRTH_DELAY_MS);
    await drained();
    expect(publishedSince(from)).toEqual([]);
    const after = await rig.retainedState();
    after.delete(STATUS);
    expect(after).toEqual(before);

    const births = received.online ?? 0;
    ha.publish(STATUS, "online", { qos: 0, retain: true });
    await rig.until(() => (received.online ?? 0) === births + 1, "the bridge to receive the birth");
    clock.advance(BIRTH_DELAY_MS);
    const expected = fullRepublishTopics();
    await rig.until(() => publishedSince(from).length >= expected.length, "the republish");
    await drained();
    expect(
      publishedSince(from)
        .map((m) => m.topic)
        .sort(),
    ).toEqual(expected);
    expect(rig.logs.withMsg(REPUBLISHING)).toHaveLength(2);
    await rig.expectStateEqualsTruth();
  });
});
