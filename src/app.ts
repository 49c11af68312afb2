/**
 * The composition root (architecture.md rule 1): builds every component from the frozen configuration and
 * hands each its dependencies as one named object. Nothing else constructs components.
 */
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Logger } from "pino";
import { NasBridge } from "./bridge/nasBridge.js";
import type { AppConfig } from "./config/loadConfig.js";
import { bridgeStateTopic } from "./entities/topics.js";
import type { GroupDefinition } from "./groups/group.js";
import { GROUPS } from "./groups/index.js";
import { BridgeMetrics } from "./health/metrics.js";
import { HealthServer, type HealthReport } from "./health/server.js";
import { MqttPublisher } from "./mqtt/publisher.js";
import type { CronFactory } from "./scheduler/scheduler.js";
import { TrueNasClient } from "./truenas/client.js";
import { systemClock, type Clock } from "./truenas/clock.js";

export interface AppDeps {
  readonly log: Logger;
  readonly version: string;
  readonly clock?: Clock;
  readonly cron?: CronFactory;
  /** Tuning for tests and the demo (event debounce, HA birth delay, stale scan window). */
  readonly timings?: {
    eventDebounceMs?: number;
    haBirthDelayMs?: number;
    staleScanMs?: number;
    /** Between MQTT reconnect attempts (default 5 s). */
    mqttReconnectMs?: number;
  };
  /** The method groups (default: all of GROUPS); tests swap one for a broken one to check isolation. */
  readonly groups?: readonly GroupDefinition[];
}

export interface App {
  readonly client: TrueNasClient;
  readonly publisher: MqttPublisher;
  readonly bridge: NasBridge;
  readonly health: HealthServer | undefined;
  start(): Promise<void>;
  /** Reverse order; collects failures; resolves to the exit code (0 or 1). Idempotent. */
  stop(): Promise<number>;
  report(): HealthReport;
}

export function createApp(config: AppConfig, deps: AppDeps): App {
  const { log } = deps;
  const clock = deps.clock ?? systemClock;
  const { mqttReconnectMs, ...bridgeTimings } = deps.timings ?? {};
  const topics = { baseTopic: config.mqtt.baseTopic, discoveryPrefix: config.homeassistant.discoveryPrefix };
  const keyFile = config.truenas.apiKeyFile;
  const client = new TrueNasClient({
    url: config.truenas.url,
    // A key file is read before every login, so a new key is picked up without a restart.
    apiKey: keyFile ? async () => (await readFile(keyFile, "utf8")).trim() : config.truenas.apiKey,
    log: log.child({ component: "truenas" }),
    clock,
    verifyTls: config.truenas.verifyTls,
    ...(config.truenas.caFile ? { ca: config.truenas.caFile } : {}),
    callTimeoutMs: config.truenas.callTimeoutMs,
  });
  const publisher = new MqttPublisher({
    url: config.mqtt.url,
    username: config.mqtt.username,
    password: config.mqtt.password,
    clientId: config.mqtt.clientId || `truenas2mqtt_${randomBytes(4).toString("hex")}`,
    bridgeStateTopic: bridgeStateTopic(topics),
    maxMessageBytes: config.mqtt.maxMessageBytes,
    log: log.child({ component: "mqtt" }),
    ...(mqttReconnectMs ? { reconnectPeriodMs: mqttReconnectMs } : {}),
  });
  const bridge = new NasBridge({
    session: client,
    publisher,
    groups: deps.groups ?? GROUPS,
    schedules: config.poll,
    topics,
    origin: { swVersion: deps.version, supportUrl: "https://github.com/truenas2mqtt/truenas2mqtt" },
    discovery: config.homeassistant.discovery,
    haStatusTopic: config.homeassistant.statusTopic,
    removeAfterPolls: config.bridge.removalPolls,
    availabilityGraceMs: config.bridge.availabilityGraceMs,
    options: { datasets: config.datasets },
    log: log.child({ component: "bridge" }),
    clock,
    ...(deps.cron ? { cron: deps.cron } : {}),
    ...bridgeTimings,
  });
  const metrics = new BridgeMetrics({
    groups: () => bridge.status().groups,
    truenas: () => ({ up: client.state === "ready", ...client.stats }),
    mqtt: () => ({ up: publisher.connected, ...publisher.stats }),
    entities: () => {
      const counts: Record<string, number> = {};
      for (const topic of bridge.view.configs.keys()) {
        const component = topic.split("/").at(-4) ?? "unknown";
        counts[component] = (counts[component] ?? 0) + 1;
      }
      return counts;
    },
  });
  const report = (): HealthReport => {
    const reasons: string[] = [];
    if (!publisher.connected) reasons.push("mqtt broker not connected");
    if (client.state !== "ready") reasons.push(`truenas session not ready (${client.state})`);
    return {
      healthy: reasons.length === 0,
      reasons,
      truenas: client.state,
      mqtt: publisher.connected,
      ...bridge.status(),
    };
  };
  const health =
    config.health.port === 0
      ? undefined
      : new HealthServer({
          host: config.health.host,
          port: config.health.port,
          log: log.child({ component: "health" }),
          report,
          metrics: async () => ({ contentType: metrics.contentType, body: await metrics.text() }),
        });
  let stopped: Promise<number> | undefined;
  return {
    client,
    publisher,
    bridge,
    health,
    report,
    async start() {
      await health?.start();
      publisher.start();
      bridge.start();
      client.start();
    },
    stop() {
      stopped ??= (async () => {
        let code = 0;
        const step = async (what: string, fn: () => unknown): Promise<void> => {
          try {
            await fn();
          } catch (err) {
            code = 1;
            log.error({ err, what }, "shutdown step failed");
          }
        };
        await step("availability", () => bridge.publishOffline());
        // The bridge's stop waits for the polls in flight, and a poll waits for its TrueNAS calls: stopping
        // the session meanwhile rejects those calls, so a NAS that never answers cannot hold up the exit until
        // the call timeout. bridge.stop() stops scheduling synchronously, before the session goes.
        const bridgeStopped = step("bridge", () => bridge.stop());
        await step("truenas", () => client.stop());
        await bridgeStopped;
        await step("mqtt", () => publisher.stop());
        await step("health", () => health?.stop());
        log.info({ code }, "stopped");
        return code;
      })();
      return stopped;
    },
  };
}
