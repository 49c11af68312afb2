/**
 * The MQTT side of the bridge: one mqtt.js client with the bridge's last will, that never publishes while
 * disconnected (no queued burst on reconnect; the app republishes a full snapshot on `connected` instead) and
 * reports every connect so the app can do that (architecture.md rule 6; zigbee2mqtt `lib/mqtt.ts` does the
 * same with its `isConnected()` check).
 */
import { EventEmitter } from "node:events";
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import type { Logger } from "pino";
import { SendWindow } from "./sendWindow.js";

export interface OutgoingMessage {
  readonly topic: string;
  /** "" clears a retained message. */
  readonly payload: string;
  readonly retain: boolean;
  readonly qos?: 0 | 1;
}

export interface PublisherOptions {
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  readonly clientId: string;
  /** Retained "online" on every connect, "offline" as the last will and on stop. */
  readonly bridgeStateTopic: string;
  /**
   * Largest message (topic + payload, UTF-8 bytes) to send; 0 = no limit. A broker with max_packet_size closes
   * the connection on a larger packet, and the full republish after reconnecting would send it again, so the
   * bridge would flap forever; a broker with message_size_limit drops it silently. Skipping it here keeps
   * everything else flowing and says which topic was too big.
   */
  readonly maxMessageBytes?: number;
  readonly log: Logger;
  /** Seconds between reconnect attempts (mqtt.js reconnectPeriod). */
  readonly reconnectPeriodMs?: number;
  /** For tests: replace mqtt.connect. */
  readonly connect?: (url: string, opts: IClientOptions) => MqttClient;
}

export interface PublisherEvents {
  connected: [];
  disconnected: [reason: string];
  message: [topic: string, payload: Buffer, retained: boolean];
}

export interface PublishStats {
  messages: number;
  bytes: number;
  dropped: number;
  /** Not sent because larger than maxMessageBytes. */
  oversized: number;
}

export class MqttPublisher extends EventEmitter<PublisherEvents> {
  #client: MqttClient | undefined;
  #stopped = false;
  #wasConnected = false;
  readonly stats: PublishStats = { messages: 0, bytes: 0, dropped: 0, oversized: 0 };
  /** Topics already logged as oversized (logged once each, not on every poll). */
  readonly #oversizedTopics = new Set<string>();
  /** The broker's last refusal (CONNACK reason), so a refusal repeated on every retry is logged once. */
  #refusal: string | undefined;
  /**
   * Retained clears dropped while disconnected, by topic. The app republishes its whole snapshot on connect,
   * but a snapshot cannot say what was removed meanwhile, and a broker that kept its retained messages (a lost
   * connection, a broker with persistence) would keep serving the removed entity forever.
   */
  readonly #pendingClears = new Map<string, OutgoingMessage>();
  readonly #window = new SendWindow();

  constructor(private readonly opts: PublisherOptions) {
    super();
  }

  /** Messages accepted and waiting for room in the send window. */
  get pending(): number {
    return this.#window.pending;
  }

  get connected(): boolean {
    return this.#client?.connected === true;
  }

  start(): void {
    if (this.#client || this.#stopped) return;
    const { opts } = this;
    const connect = opts.connect ?? mqtt.connect;
    const client = connect(opts.url, {
      clientId: opts.clientId,
      ...(opts.username ? { username: opts.username } : {}),
      ...(opts.password ? { password: opts.password } : {}),
      reconnectPeriod: opts.reconnectPeriodMs ?? 5000,
      // mqtt.js stops retrying for good after a refused CONNACK (bad credentials, broker starting up, ...); a
      // daemon must keep trying, so fixing the password or the broker is enough to recover.
      reconnectOnConnackError: true,
      connectTimeout: 10_000,
      queueQoSZero: false,
      will: { topic: opts.bridgeStateTopic, payload: Buffer.from("offline"), retain: true, qos: 1 },
    });
    this.#client = client;
    client.on("connect", () => {
      this.#wasConnected = true;
      this.#refusal = undefined;
      opts.log.info({ url: redactUrl(opts.url) }, "mqtt connected");
      client.publish(opts.bridgeStateTopic, "online", { retain: true, qos: 1 });
      this.#window.attach({
        blocked: () => client.stream?.writableNeedDrain === true,
        onceDrained: (fn) => client.stream.once("drain", fn),
        send: (m) => {
          // No callback: mqtt.js would add a 'drain' listener per QoS 0 message while the socket is full.
          client.publish(m.topic, m.payload, { retain: m.retain, qos: m.qos ?? 0 });
          this.stats.messages += 1;
          this.stats.bytes += m.topic.length + m.payload.length;
        },
      });
      const clears = [...this.#pendingClears.values()];
      this.#pendingClears.clear();
      if (clears.length > 0) {
        opts.log.info({ count: clears.length }, "clearing what was removed while disconnected");
        this.publish(clears);
      }
      this.emit("connected");
    });
    client.on("close", () => {
      this.#dropped(this.#window.detach());
      if (this.#wasConnected) {
        this.#wasConnected = false;
        opts.log.warn({ retryInMs: opts.reconnectPeriodMs ?? 5000 }, "mqtt disconnected");
        this.emit("disconnected", "connection closed");
      }
    });
    client.on("error", (err) => {
      const code = (err as { code?: unknown }).code;
      if (err.message.startsWith("Connection refused")) {
        // The broker answered and said no: name the cause once, not on every retry.
        const level = this.#refusal === err.message ? "debug" : "error";
        this.#refusal = err.message;
        opts.log[level](
          {
            reason: err.message.replace(/^Connection refused: /, ""),
            code,
            username: opts.username ?? null,
            retryInMs: opts.reconnectPeriodMs ?? 5000,
            hint: REFUSAL_HINTS[code as number] ?? "see the broker's log",
          },
          "mqtt broker refused the connection",
        );
        return;
      }
      opts.log.warn({ err: { message: err.message, code } }, "mqtt error");
    });
    client.on("message", (topic, payload, packet) => this.emit("message", topic, payload, packet.retain));
  }

  /**
   * Send in order through the send window, or drop (and count) when disconnected. Returns how many were
   * accepted; they count in `stats.messages` when they actually go out.
   */
  publish(messages: readonly OutgoingMessage[]): number {
    const client = this.#client;
    if (!client?.connected) {
      this.#dropped(messages);
      return 0;
    }
    const limit = this.opts.maxMessageBytes ?? 0;
    const accepted: OutgoingMessage[] = [];
    for (const m of messages) {
      if (limit > 0 && Buffer.byteLength(m.topic) + Buffer.byteLength(m.payload) > limit) {
        this.stats.oversized += 1;
        if (!this.#oversizedTopics.has(m.topic)) {
          this.#oversizedTopics.add(m.topic);
          this.opts.log.warn(
            { topic: m.topic, bytes: Buffer.byteLength(m.payload), limit },
            "message larger than MQTT_MAX_MESSAGE_BYTES not sent",
          );
        }
        continue;
      }
      accepted.push(m);
    }
    this.#window.push(accepted);
    return accepted.length;
  }

  /** Messages that will not be sent (no connection): remember the retained clears among them. */
  #dropped(messages: readonly OutgoingMessage[]): void {
    for (const m of messages) {
      if (!m.retain) continue;
      if (m.payload === "") this.#pendingClears.set(m.topic, m);
      else this.#pendingClears.delete(m.topic);
    }
    this.stats.dropped += messages.length;
    if (messages.length > 0) this.opts.log.debug({ count: messages.length }, "not connected, dropped");
  }

  /** Subscribe (mqtt.js resubscribes after reconnects). */
  async subscribe(filter: string): Promise<void> {
    await this.#client?.subscribeAsync(filter, { qos: 0 });
  }

  async unsubscribe(filter: string): Promise<void> {
    await this.#client?.unsubscribeAsync(filter);
  }

  /** Publish "offline" (when connected) and disconnect. Idempotent; never throws. */
  async stop(timeoutMs = 2000): Promise<void> {
    this.#stopped = true;
    const client = this.#client;
    this.#client = undefined;
    this.#window.detach();
    if (!client) return;
    try {
      if (client.connected) {
        await withTimeout(
          client.publishAsync(this.opts.bridgeStateTopic, "offline", { retain: true, qos: 1 }),
          timeoutMs,
        );
      }
      await withTimeout(client.endAsync(false), timeoutMs);
    } catch {
      client.end(true);
    }
  }
}

/** What to check for each MQTT 3.1.1 CONNACK refusal (v5 reason codes share the meaning of 4 and 5 as 134/135). */
const REFUSAL_HINTS: Record<number, string> = {
  1: "the broker does not speak MQTT 3.1.1",
  2: "the broker rejected the client id (MQTT_CLIENT_ID)",
  3: "the broker is not ready yet",
  4: "check MQTT_USERNAME and MQTT_PASSWORD (or MQTT_PASSWORD_FILE)",
  5: "check MQTT_USERNAME and MQTT_PASSWORD, and the broker's ACL for this user",
  134: "check MQTT_USERNAME and MQTT_PASSWORD (or MQTT_PASSWORD_FILE)",
  135: "check MQTT_USERNAME and MQTT_PASSWORD, and the broker's ACL for this user",
};

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The broker URL without credentials, for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "********";
    return u.toString();
  } catch {
    return "(invalid url)";
  }
}
