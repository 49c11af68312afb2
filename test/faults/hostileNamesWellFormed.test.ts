/**
 * Names with lone surrogates (Python's surrogateescape for undecodable bytes) must reach Home Assistant as
 * well-formed strings: HA parses `\\udXXX` escapes into strings its JSON encoder (orjson) refuses, so it could not
 * save its device and entity registries. Lone surrogates are published as U+FFFD.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { FaultRig } from "../support/faultRig.js";

const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (typeof value === "object" && value !== null) for (const v of Object.values(value)) strings(v, out);
  return out;
}

let rig: FaultRig;
beforeAll(async () => {
  rig = new FaultRig();
  await rig.start();
});
afterAll(async () => {
  await rig?.stop();
});

it("publishes only well-formed strings for names with lone surrogates", async () => {
  const mark = rig.probe.messages.length;
  rig.world.control.addApp("app \ud800");
  rig.world.control.createDataset("tank/data \udc00");
  await rig.pollAll();
  await rig.settled();
  const published = rig.probe.messages.slice(mark).filter((m) => m.payload.startsWith("{"));
  expect(published.length).toBeGreaterThan(0);
  const bad = published.filter((m) => strings(JSON.parse(m.payload)).some((s) => LONE.test(s)));
  expect(bad.map((m) => m.topic)).toEqual([]);
});
