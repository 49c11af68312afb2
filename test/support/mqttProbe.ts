/**
 * A subscriber that records what a broker delivers, for asserting what the bridge published. Every message
 * (topic and payload) also goes to the whole-suite secret-scan capture (test/support/capture.ts).
 */
import mqtt, { type MqttClient } from "mqtt";
import { appendCapture } from "./capture.js";

export interface ProbeMessage {
  topic: string;
  payload: string;
  retain: boolean;
}

export class MqttProbe {
  readonly messages: ProbeMessage[] = [];
  #waiters: Array<{ match: (m: ProbeMessage) => boolean; resolve: (m: ProbeMessage) => void }> = [];

  private constructor(readonly client: MqttClient) {
    client.on("message", (topic, payload, packet) => {
      const m = { topic, payload: payload.toString(), retain: packet.retain };
      appendCapture("mqtt", `${topic}\t${m.payload}\n`);
      this.messages.push(m);
      this.#waiters = this.#waiters.filter((w) => (w.match(m) ? (w.resolve(m), false) : true));
    });
  }

  static async connect(url: string, filter = "#"): Promise<MqttProbe> {
    const client = await mqtt.connectAsync(url, { reconnectPeriod: 200 });
    const probe = new MqttProbe(client);
    await client.subscribeAsync(filter);
    return probe;
  }

  /** The next (or an already received) message matching. */
  waitFor(match: (m: ProbeMessage) => boolean): Promise<ProbeMessage> {
    const found = this.messages.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.#waiters.push({ match, resolve }));
  }

  /** Only messages arriving after this call. */
  next(match: (m: ProbeMessage) => boolean): Promise<ProbeMessage> {
    return new Promise((resolve) => this.#waiters.push({ match, resolve }));
  }

  on(topic: string): ProbeMessage[] {
    return this.messages.filter((m) => m.topic === topic);
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}

/**
 * What a fresh subscriber gets as retained on `filters` right now (empty payloads excluded), by topic. A marker
 * published after subscribing arrives after every retained message, which tells us we have them all.
 */
export async function retainedMessages(
  url: string,
  filters: readonly string[],
): Promise<Map<string, string>> {
  const marker = `t2m-test/marker/${Math.random().toString(36).slice(2)}`;
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
  try {
    const retained = new Map<string, string>();
    const done = new Promise<void>((resolve) => {
      client.on("message", (topic, payload, packet) => {
        if (topic === marker) resolve();
        else if (packet.retain && payload.length > 0) {
          appendCapture("mqtt", `${topic}\t${payload.toString()}\n`);
          retained.set(topic, payload.toString());
        }
      });
    });
    await client.subscribeAsync([...filters, marker], { qos: 1 });
    await client.publishAsync(marker, "end", { qos: 1 });
    await done;
    return retained;
  } finally {
    await client.endAsync(true);
  }
}
