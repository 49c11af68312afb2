/**
 * The benchmark's MQTT subscriber (what Home Assistant or MQTT Explorer would be): records when each topic
 * first and last received a message, counts messages and bytes, and wakes waiters on matching messages.
 */
import { performance } from "node:perf_hooks";
import mqtt, { type MqttClient } from "mqtt";

interface Waiter {
  readonly match: (topic: string, payload: string) => boolean;
  readonly resolve: (at: number) => void;
}

export class BenchSubscriber {
  readonly firstAt = new Map<string, number>();
  readonly latest = new Map<string, string>();
  messages = 0;
  bytes = 0;
  #waiters: Waiter[] = [];

  private constructor(private readonly client: MqttClient) {
    client.on("message", (topic, payload) => {
      const at = performance.now();
      const text = payload.toString();
      this.messages += 1;
      this.bytes += topic.length + payload.length;
      if (!this.firstAt.has(topic)) this.firstAt.set(topic, at);
      this.latest.set(topic, text);
      this.#waiters = this.#waiters.filter((w) => {
        if (!w.match(topic, text)) return true;
        w.resolve(at);
        return false;
      });
    });
  }

  static async connect(url: string, filters: string[]): Promise<BenchSubscriber> {
    const client = await mqtt.connectAsync(url, { clientId: `bench_${process.pid}`, reconnectPeriod: 0 });
    const sub = new BenchSubscriber(client);
    // QoS 0: at QoS 1 mosquitto queues at most 1,000 messages for a slow subscriber and drops the rest
    // (max_queued_messages), which a start-up of 35,000 messages exceeds.
    await client.subscribeAsync(filters, { qos: 0 });
    return sub;
  }

  /** Resolves with the arrival time (performance.now()) of the next matching message. */
  next(match: (topic: string, payload: string) => boolean, timeoutMs = 10_000): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w.resolve !== done);
        reject(new Error(`no matching MQTT message within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (at: number): void => {
        clearTimeout(timer);
        resolve(at);
      };
      this.#waiters.push({ match, resolve: done });
    });
  }

  /** Resolves once no message has arrived for `quietMs` (or after `maxMs`). */
  async quiet(quietMs: number, maxMs = 120_000): Promise<void> {
    const end = performance.now() + maxMs;
    let seen = this.messages;
    for (;;) {
      await new Promise((r) => setTimeout(r, quietMs));
      if (this.messages === seen || performance.now() > end) return;
      seen = this.messages;
    }
  }

  reset(): void {
    this.firstAt.clear();
    this.messages = 0;
    this.bytes = 0;
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }
}
