/**
 * Start-up sweep: retained discovery configs under this bridge's node id that it no longer produces (an
 * object deleted while the bridge was down) are cleared once every group has polled; others' configs and
 * live ones are left alone. Configs are never cleared on shutdown.
 */
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type App } from "../../src/app.js";
import { loadConfig } from "../../src/config/loadConfig.js";
import { discoveryNodeId, nasIdFromHostId } from "../../src/entities/ids.js";
import type { CronFactory } from "../../src/scheduler/scheduler.js";
import { DEFAULT_SIM_API_KEY, SimulatorServer } from "../../src/simulator/server.js";
import { startBroker, type TestBroker } from "../support/broker.js";
import { MqttProbe } from "../support/mqttProbe.js";
import { testLogger } from "../support/capture.js";

const noCron: CronFactory = () => ({
  start: () => undefined,
  stop: () => undefined,
  destroy: () => undefined,
});
let broker: TestBroker;
let sim: SimulatorServer;
let app: App;

beforeAll(async () => {
  broker = await startBroker();
  sim = new SimulatorServer({ profile: "small", driftIntervalMs: 0, jitterMs: 0 });
  await sim.start();
});

afterAll(async () => {
  await app?.stop();
  await sim?.stop();
  await broker?.stop();
});

describe("stale retained configs", () => {
  it("clears this NAS's leftovers after the first full poll, keeps everything else, and clears nothing on stop", async () => {
    const hostId = String(sim.world.methods().get("system.host_id")!([], { messageId: 1, username: "t" }));
    const node = discoveryNodeId(nasIdFromHostId(hostId));
    const leftover = `homeassistant/sensor/${node}/app_gone__state/config`;
    const foreign = "homeassistant/sensor/some_other_bridge/thing/config";
    const seed = await mqtt.connectAsync(broker.url);
    await seed.publishAsync(leftover, JSON.stringify({ name: "old" }), { retain: true, qos: 1 });
    await seed.publishAsync(foreign, JSON.stringify({ name: "other" }), { retain: true, qos: 1 });
    await seed.endAsync();

    const probe = await MqttProbe.connect(broker.url, "homeassistant/#");
    const cleared = probe.next((m) => m.topic === leftover && m.payload === "");
    const config = loadConfig({
      env: {
        TRUENAS_URL: sim.url,
        TRUENAS_API_KEY: DEFAULT_SIM_API_KEY,
        MQTT_URL: broker.url,
        HEALTH_PORT: "0",
      },
    });
    app = createApp(config, {
      log: testLogger(),
      version: "t",
      cron: noCron,
      timings: { staleScanMs: 200 },
    });
    await app.start();
    await cleared;
    await app.stop();
    await probe.close();

    // What a Home Assistant starting now would see: the foreign config and all live configs, no leftover.
    const after = await MqttProbe.connect(broker.url, "homeassistant/#");
    await after.waitFor((m) => m.topic === foreign);
    await after.waitFor((m) => m.topic.includes(`/${node}/pool_`));
    expect(after.messages.some((m) => m.topic === leftover)).toBe(false);
    expect(after.messages.filter((m) => m.topic.includes(`/${node}/`) && m.payload === "")).toEqual([]);
    await after.close();
  });
});
