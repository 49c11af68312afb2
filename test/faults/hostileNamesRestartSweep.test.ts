/**
 * Regression (nasBridge.ts #countsAsPolled): a restarted bridge must not clear the retained discovery configs of
 * live datasets. The datasets group's first poll runs before the pools group has announced the pool devices, so
 * its entities wait ("device ... is not known yet"); counting that poll as complete let the start-up sweep clear
 * every dataset config it found retained, and HA deleted those entities with their customisations.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { FaultRig } from "../support/faultRig.js";

let rig: FaultRig;
beforeAll(async () => {
  rig = new FaultRig();
  await rig.start();
});
afterAll(async () => {
  await rig?.stop();
});

it("a restarted bridge clears no config of an object that still exists", async () => {
  const before = rig.app.bridge.view.configs.size;
  const mark = rig.probe.messages.length;
  // The datasets group's one retry comes after the stale scan (as on a NAS whose pools poll is slow).
  await rig.restartApp({ eventDebounceMs: 1_000 });
  // Every config is back once the datasets group has retried, well after the scan and any sweep it allows.
  await rig.until(() => rig.app.bridge.view.configs.size >= before, "every config again");
  await rig.settled();
  const cleared = rig.probe.messages
    .slice(mark)
    .filter((m) => m.topic.startsWith("homeassistant/") && m.payload === "")
    .map((m) => m.topic);
  expect(cleared).toEqual([]);
});
