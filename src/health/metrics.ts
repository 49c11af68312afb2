/**
 * Prometheus metrics for /metrics, on a registry owned by the app (no prom-client default registry, so two
 * bridges in one process, or tests, never share counters). Values are read from the live components at
 * scrape time (prom-client `collect`), so nothing on the hot path has to remember to count.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";

/** What the metrics read at scrape time. */
export interface MetricsSource {
  /** Per group: polls run and polls failed. */
  groups(): Record<string, { runs: number; failures: number }>;
  truenas(): {
    up: boolean;
    calls: number;
    callErrors: number;
    callTimeouts: number;
    reconnects: number;
    bytesIn: number;
  };
  mqtt(): { up: boolean; messages: number; bytes: number; dropped: number; oversized: number };
  /** Published discovery configs by component (sensor, binary_sensor, update...). */
  entities(): Record<string, number>;
}

function setCounter(counter: Counter<string>, labels: Record<string, string>, value: number): void {
  counter.remove(labels);
  counter.inc(labels, value);
}

export class BridgeMetrics {
  readonly registry = new Registry();

  constructor(source: MetricsSource, opts: { processMetrics?: boolean } = {}) {
    const r = [this.registry];
    new Counter({
      name: "truenas2mqtt_polls_total",
      help: "Group polls, by group and outcome",
      labelNames: ["group", "outcome"],
      registers: r,
      collect() {
        for (const [group, s] of Object.entries(source.groups())) {
          setCounter(this, { group, outcome: "ok" }, s.runs - s.failures);
          setCounter(this, { group, outcome: "failed" }, s.failures);
        }
      },
    });
    new Counter({
      name: "truenas2mqtt_truenas_calls_total",
      help: "TrueNAS calls, by outcome (all, error, timeout)",
      labelNames: ["outcome"],
      registers: r,
      collect() {
        const t = source.truenas();
        setCounter(this, { outcome: "all" }, t.calls);
        setCounter(this, { outcome: "error" }, t.callErrors);
        setCounter(this, { outcome: "timeout" }, t.callTimeouts);
      },
    });
    new Counter({
      name: "truenas2mqtt_truenas_received_bytes_total",
      help: "Bytes received from TrueNAS",
      registers: r,
      collect() {
        setCounter(this, {}, source.truenas().bytesIn);
      },
    });
    new Counter({
      name: "truenas2mqtt_reconnects_total",
      help: "Reconnection attempts to TrueNAS",
      registers: r,
      collect() {
        setCounter(this, {}, source.truenas().reconnects);
      },
    });
    new Counter({
      name: "truenas2mqtt_mqtt_messages_total",
      help: "MQTT messages, by outcome (published, dropped while disconnected, oversized: over MQTT_MAX_MESSAGE_BYTES)",
      labelNames: ["outcome"],
      registers: r,
      collect() {
        const m = source.mqtt();
        setCounter(this, { outcome: "published" }, m.messages);
        setCounter(this, { outcome: "dropped" }, m.dropped);
        setCounter(this, { outcome: "oversized" }, m.oversized);
      },
    });
    new Gauge({
      name: "truenas2mqtt_up",
      help: "1 when the connection is up, by side (truenas, mqtt)",
      labelNames: ["side"],
      registers: r,
      collect() {
        this.set({ side: "truenas" }, source.truenas().up ? 1 : 0);
        this.set({ side: "mqtt" }, source.mqtt().up ? 1 : 0);
      },
    });
    new Gauge({
      name: "truenas2mqtt_entities",
      help: "Entities currently published, by component",
      labelNames: ["component"],
      registers: r,
      collect() {
        this.reset();
        for (const [component, n] of Object.entries(source.entities())) this.set({ component }, n);
      },
    });
    if (opts.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
