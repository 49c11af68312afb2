/**
 * The whole bridge in-process against the simulator and a real MQTT broker: discovery, states, events,
 * removal, availability, HA birth, broker restart, and a steady cycle that publishes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type App } from "../../src/app.js";
import { loadConfig } from "../../src/config/loadConfig.js";
import { GROUPS } from "../../src/groups/index.js";
import type { CronFactory } from "../../src/scheduler/scheduler.js";
import { DEFAULT_SIM_API_KEY, SimulatorServer } from "../../src/simulator/server.js";
import type { SimWorld } from "../../src/simulator/nas/world.js";
import type { SimVersion } from "../../src/simulator/types.js";
import { startBroker, type TestBroker } from "../support/broker.js";
import { validateDiscoverySet } from "../support/haDiscoveryValidator.js";
import { MqttProbe, type ProbeMessage } from "../support/mqttProbe.js";
import { testLogger } from "../support/capture.js";

/** Scheduled polls are driven by the test (app.bridge) and by events, never by wall-clock cron. */
const noCron: CronFactory = () => ({
  start: () => undefined,
  stop: () => undefined,
  destroy: () => undefined,
});

let broker: TestBroker;
let sim: SimulatorServer;
let app: App;
let probe: MqttProbe;
let world: SimWorld;
let nasId: string;

/** One config per implemented group. */
const NEEDLES = [
  "system_system__version",
  "pool_16518270468734211597__status",
  "disk_serial_lunid_S6PENL0T412873B_5002538f43a1b2c4-fd195645__pool",
  "app_nextcloud__update",
  "container_pihole__running",
  "boot_boot-pool__status",
  "dataset_tank_media-1518c5f9__used",
  "disktemp_serial_lunid_S6PENL0T412873B_5002538f43a1b2c4-fd195645__temperature",
  "reporting_realtime__cpu_usage",
  "nicrate_enp3s0__received",
  "alerts_alerts__problem",
  "interface_enp3s0__link",
  "service_cifs__running",
  "cloudsync_1__last_run",
  "replication_1__last_run",
  "snapshottask_1__last_run",
  "jobs_jobs__running",
  "truenas_update__update",
];
const isConfig = (m: ProbeMessage): boolean =>
  m.topic.startsWith("homeassistant/") && m.topic.endsWith("/config");
const lastOn = (topic: string): ProbeMessage | undefined =>
  probe.messages.filter((m) => m.topic === topic).at(-1);

describe.each<SimVersion>(["25.10", "25.04.2", "25.04.0"])(
  "truenas2mqtt run against TrueNAS %s",
  (version) => {
    beforeAll(async () => {
      broker = await startBroker();
      sim = new SimulatorServer({ profile: "typical", version, driftIntervalMs: 0, jitterMs: 1 });
      await sim.start();
      world = sim.world as SimWorld;
      probe = await MqttProbe.connect(broker.url);
      const config = loadConfig({
        env: {
          TRUENAS_URL: sim.url,
          TRUENAS_API_KEY: DEFAULT_SIM_API_KEY,
          MQTT_URL: broker.url,
          HEALTH_PORT: "0",
          AVAILABILITY_GRACE: "1",
          REMOVAL_POLLS: "1",
        },
      });
      app = createApp(config, {
        log: testLogger(),
        version: "0.0.0-test",
        cron: noCron,
        timings: { eventDebounceMs: 20, haBirthDelayMs: 50, staleScanMs: 100, mqttReconnectMs: 100 },
      });
      await app.start();
      const avail = await probe.waitFor(
        (m) => /^truenas2mqtt\/nas_[0-9a-f]+\/availability$/.test(m.topic) && m.payload === "online",
      );
      nasId = avail.topic.split("/")[1]!;
      // Every group has published once (they poll concurrently after the session is ready).
      for (const needle of NEEDLES) await probe.waitFor((m) => isConfig(m) && m.topic.includes(needle));
    });

    afterAll(async () => {
      await app?.stop();
      await probe?.close();
      await sim?.stop();
      await broker?.stop();
    });

    describe("end to end", () => {
      it("announces the bridge online and publishes discovery for every implemented group", () => {
        expect(lastOn("truenas2mqtt/bridge/state")?.payload).toBe("online");
        const configs = probe.messages.filter(isConfig);
        for (const needle of [
          "system_system__version",
          "pool_16518270468734211597__status",
          "alerts_alerts__problem",
          "service_cifs__running",
          "app_nextcloud__update",
        ]) {
          expect(configs.some((m) => m.topic.includes(needle))).toBe(true);
        }
        expect(
          validateDiscoverySet(configs, {
            project: true,
            availabilityTopics: ["truenas2mqtt/bridge/state", `truenas2mqtt/${nasId}/availability`],
          }),
        ).toEqual([]);
        for (const m of configs) {
          const payload = JSON.parse(m.payload);
          expect(payload.availability_mode).toBe("all");
          expect(payload.availability.map((a: { topic: string }) => a.topic)).toEqual([
            "truenas2mqtt/bridge/state",
            `truenas2mqtt/${nasId}/availability`,
          ]);
          expect(payload.unique_id).toMatch(new RegExp(`^truenas2mqtt_${nasId}_`));
          expect(payload.origin.name).toBe("truenas2mqtt");
        }
        const uniques = configs.map((m) => JSON.parse(m.payload).unique_id);
        expect(new Set(uniques).size).toBe(uniques.length);
      });

      it("keeps discovery retained, so a late subscriber (Home Assistant starting later) gets it", async () => {
        const late = await MqttProbe.connect(broker.url, "homeassistant/#");
        try {
          const m = await late.waitFor((x) => x.topic.includes("service_cifs__running"));
          expect(m.retain).toBe(true);
        } finally {
          await late.close();
        }
      });

      it("publishes realtime reporting from the reporting.realtime event source", async () => {
        const rt = await probe.waitFor((m) => m.topic === `truenas2mqtt/${nasId}/reporting/realtime`);
        const doc = JSON.parse(rt.payload);
        expect(doc.cpu_usage).toEqual(expect.any(Number));
        expect(doc.memory_used).toBe(doc.memory_total - doc.memory_available);
        const nic = await probe.waitFor((m) => m.topic === `truenas2mqtt/${nasId}/nicrate/enp3s0`);
        expect(JSON.parse(nic.payload).link_state).toBe("link_state_up");
      });

      it("publishes state documents that match the simulator", async () => {
        const tank = await probe.waitFor(
          (m) => m.topic === `truenas2mqtt/${nasId}/pool/16518270468734211597`,
        );
        expect(JSON.parse(tank.payload)).toMatchObject({ name: "tank", status: "online", healthy: true });
        const cifs = await probe.waitFor((m) => m.topic === `truenas2mqtt/${nasId}/service/cifs`);
        expect(JSON.parse(cifs.payload).running).toBe(true);
      });

      it("reflects a pool going degraded through pool.query events, without waiting for a poll", async () => {
        const degraded = probe.next(
          (m) =>
            m.topic === `truenas2mqtt/${nasId}/pool/16518270468734211597` &&
            JSON.parse(m.payload).status === "degraded",
        );
        world.control.degradePool("tank");
        expect(JSON.parse((await degraded).payload).healthy).toBe(false);
        const alerts = await probe.waitFor(
          (m) => m.topic === `truenas2mqtt/${nasId}/alerts/alerts` && JSON.parse(m.payload).critical === 2,
        );
        expect(JSON.parse(alerts.payload).problem).toBe(true);
      });

      it("publishes nothing in a poll where nothing changed", async () => {
        const groups = GROUPS.map((g) => g.name);
        await Promise.all(groups.map((g) => app.bridge.pollGroup(g)));
        const before = app.publisher.stats.messages;
        await Promise.all(groups.map((g) => app.bridge.pollGroup(g)));
        expect(app.publisher.stats.messages - before).toBe(0);
      });

      it("clears the configs of an app that was deleted", async () => {
        const cleared = probe.next(
          (m) => isConfig(m) && m.topic.includes("app_home-assistant__state") && m.payload === "",
        );
        world.control.deleteApp("home-assistant");
        expect((await cleared).retain).toBe(false); // live delivery of the retained clear
      });

      it("marks the NAS offline after the grace period and online again when it returns", async () => {
        const offline = probe.next(
          (m) => m.topic === `truenas2mqtt/${nasId}/availability` && m.payload === "offline",
        );
        sim.faults.refuseConnections(true);
        sim.faults.dropAll();
        await offline;
        const online = probe.next(
          (m) => m.topic === `truenas2mqtt/${nasId}/availability` && m.payload === "online",
        );
        sim.faults.refuseConnections(false);
        await online;
      });

      it("republishes everything when Home Assistant announces itself", async () => {
        const again = probe.next((m) => isConfig(m) && m.topic.includes("pool_16518270468734211597__status"));
        await probe.client.publishAsync("homeassistant/status", "online");
        expect(JSON.parse((await again).payload).unique_id).toContain("pool_16518270468734211597__status");
      });

      it("republishes everything after the broker restarts empty", async () => {
        await broker.stop();
        await broker.start();
        const fresh = await MqttProbe.connect(broker.url);
        try {
          await fresh.waitFor((m) => isConfig(m) && m.topic.includes("service_cifs__running"));
          const state = await fresh.waitFor(
            (m) => m.topic === `truenas2mqtt/${nasId}/pool/16518270468734211597`,
          );
          expect(JSON.parse(state.payload).status).toBe("degraded");
          expect((await fresh.waitFor((m) => m.topic === "truenas2mqtt/bridge/state")).payload).toBe(
            "online",
          );
        } finally {
          await fresh.close();
        }
      });
    });
  },
);
