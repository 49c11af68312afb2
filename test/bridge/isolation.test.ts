/**
 * A group whose normaliser throws is isolated: it is reported in the bridge status (and so in /healthz) and
 * every other group keeps publishing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NasBridge } from "../../src/bridge/nasBridge.js";
import type { GroupDefinition } from "../../src/groups/group.js";
import { GROUP_NAMES, type GroupName, type Schedule } from "../../src/groups/schedules.js";
import { systemGroup } from "../../src/groups/system.js";
import { MqttPublisher } from "../../src/mqtt/publisher.js";
import type { CronFactory } from "../../src/scheduler/scheduler.js";
import { DEFAULT_SIM_API_KEY, SimulatorServer } from "../../src/simulator/server.js";
import { TrueNasClient } from "../../src/truenas/client.js";
import { systemClock } from "../../src/truenas/clock.js";
import { startBroker, type TestBroker } from "../support/broker.js";
import { MqttProbe } from "../support/mqttProbe.js";
import { testLogger } from "../support/capture.js";

const log = testLogger();
const noCron: CronFactory = () => ({
  start: () => undefined,
  stop: () => undefined,
  destroy: () => undefined,
});
const broken: GroupDefinition = {
  name: "alerts",
  fetch: ({ call }) => call("alert.list"),
  normalise: () => {
    throw new TypeError("normaliser bug");
  },
};

let broker: TestBroker;
let sim: SimulatorServer;
let client: TrueNasClient;
let publisher: MqttPublisher;
let bridge: NasBridge;

beforeAll(async () => {
  broker = await startBroker();
  sim = new SimulatorServer({ profile: "small", driftIntervalMs: 0, jitterMs: 0 });
  await sim.start();
  client = new TrueNasClient({ url: sim.url, apiKey: DEFAULT_SIM_API_KEY, log });
  publisher = new MqttPublisher({
    url: broker.url,
    clientId: "isolation",
    bridgeStateTopic: "t2m/bridge/state",
    log,
  });
  const schedules = Object.fromEntries(
    GROUP_NAMES.map((g) => [g, { kind: "cron", expression: "* * * * *" }]),
  ) as Record<GroupName, Schedule>;
  bridge = new NasBridge({
    session: client,
    publisher,
    groups: [broken, systemGroup],
    schedules,
    topics: { baseTopic: "t2m", discoveryPrefix: "homeassistant" },
    origin: { swVersion: "t" },
    discovery: true,
    haStatusTopic: "homeassistant/status",
    removeAfterPolls: 3,
    availabilityGraceMs: 1000,
    options: { datasets: { include: [], exclude: [], maxDepth: 1 } },
    log,
    clock: systemClock,
    cron: noCron,
  });
  publisher.start();
  bridge.start();
  client.start();
});

afterAll(async () => {
  await bridge.stop();
  await client.stop();
  await publisher.stop();
  await sim.stop();
  await broker.stop();
});

describe("a crashing normaliser", () => {
  it("is reported for its group while the other groups publish", async () => {
    const probe = await MqttProbe.connect(broker.url, "t2m/#");
    await probe.waitFor((m) => m.topic.endsWith("/system/system"));
    await bridge.pollGroup("alerts");
    const status = bridge.status().groups;
    expect(status.alerts).toMatchObject({ lastError: "normaliser bug", lastSuccessAt: null });
    expect(status.system!.lastSuccessAt).toEqual(expect.any(Number));
    expect(status.system!.lastError).toBeNull();
    await probe.close();
  });
});
