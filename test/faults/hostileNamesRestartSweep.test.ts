/**
 * NOT COMMITTED (bug report for src/bridge/nasBridge.ts): a restarted bridge clears the retained discovery configs
 * of live datasets. The datasets group's first poll runs before the pools group has announced the pool devices,
 * so its entities are held ("device ... is not known yet"); the bridge still counts the group as polled once, and
 * the start-up sweep then clears every dataset config it finds retained. HA deletes those entities (losing their
 * customisations) and recreates them at the datasets group's next poll.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { FaultRig, noCron } from "../support/faultRig.js";

let rig: FaultRig;
beforeAll(async () => {
  rig = new FaultRig();
  await rig.start();
});
afterAll(async () => {
  await rig?.stop();
});

it("a restarted bridge clears no config of an object that still exists", async () => {
  const availability = rig.availabilityTopic;
  await rig.app.stop();
  const mark = rig.probe.messages.length;
  // The datasets group's one retry comes after the stale scan (as on a NAS whose pools poll is slow).
  rig.app = createApp(rig.config, {
    log: rig.logs.log,
    version: "0.0.0-faults",
    cron: noCron,
    timings: { eventDebounceMs: 1_000, haBirthDelayMs: 50, staleScanMs: 100 },
  });
  await rig.app.start();
  const seen = rig.history(availability).length;
  await rig.until(
    () =>
      rig
        .history(availability)
        .slice(seen)
        .some((m) => m.payload === "online"),
    "online",
  );
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const cleared = rig.probe.messages
    .slice(mark)
    .filter((m) => m.topic.startsWith("homeassistant/") && m.payload === "")
    .map((m) => m.topic);
  expect(cleared).toEqual([]);
});
