/**
 * Prometheus metrics for /metrics, on a registry owned by the app (no prom-client default registry, so two
 * bridges in one process, or tests, never share counters).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export class BridgeMetrics {
  readonly registry = new Registry();
  readonly polls = new Counter({
    name: "truenas2mqtt_polls_total",
    help: "Group polls, by group and outcome",
    labelNames: ["group", "outcome"] as const,
    registers: [this.registry],
  });
  readonly callLatency = new Histogram({
    name: "truenas2mqtt_truenas_call_seconds",
    help: "TrueNAS call latency by method",
    labelNames: ["method"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly published = new Counter({
    name: "truenas2mqtt_mqtt_messages_total",
    help: "MQTT messages published, by kind (discovery, state, availability, clear)",
    labelNames: ["kind"] as const,
    registers: [this.registry],
  });
  readonly reconnects = new Counter({
    name: "truenas2mqtt_reconnects_total",
    help: "Reconnections, by side (truenas, mqtt)",
    labelNames: ["side"] as const,
    registers: [this.registry],
  });
  readonly entities = new Gauge({
    name: "truenas2mqtt_entities",
    help: "Entities currently published, by component",
    labelNames: ["component"] as const,
    registers: [this.registry],
  });
  readonly up = new Gauge({
    name: "truenas2mqtt_up",
    help: "1 when the connection is up, by side (truenas, mqtt)",
    labelNames: ["side"] as const,
    registers: [this.registry],
  });

  constructor(opts: { processMetrics?: boolean } = {}) {
    if (opts.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
