/**
 * A bounded send window in front of the MQTT connection. mqtt.js writes every publish into the socket stream at
 * once and keeps each QoS 1 message until the broker acknowledges it, so a start-up that publishes 35,000
 * messages (25,000 entities) held them all as packet buffers at the same time: 70 MB of buffers in the
 * benchmark's large profile. Here messages wait in order as the plain objects the registry made, and go out while
 * fewer than `maxUnacked` QoS 1 messages await their PUBACK and the socket holds less than `maxBufferedBytes`
 * unsent. Order is kept (FIFO), so a config still goes out before its state and a clear after what it clears.
 * No I/O of its own: the publisher attaches a transport per connection.
 */
import type { OutgoingMessage } from "./publisher.js";

export interface WindowTransport {
  /** Bytes written to the socket stream and not flushed yet. */
  buffered(): number;
  /** Call `fn` once the socket stream has flushed. */
  onceDrained(fn: () => void): void;
  /** Send one message; for QoS 1, `acked` is called when the broker acknowledged it (or the send failed). */
  send(message: OutgoingMessage, acked: () => void): void;
}

export interface SendWindowOptions {
  /** QoS 1 messages sent and not yet acknowledged. Default 100. */
  readonly maxUnacked?: number;
  /** Unflushed bytes in the socket stream above which sending pauses. Default 256 KiB. */
  readonly maxBufferedBytes?: number;
}

export class SendWindow {
  readonly #maxUnacked: number;
  readonly #maxBuffered: number;
  #queue: OutgoingMessage[] = [];
  #head = 0;
  #unacked = 0;
  #waitingForDrain = false;
  #transport: WindowTransport | undefined;
  /** Bumped on every attach and detach, so callbacks of an earlier connection change nothing. */
  #epoch = 0;

  constructor(opts: SendWindowOptions = {}) {
    this.#maxUnacked = Math.max(1, opts.maxUnacked ?? 100);
    this.#maxBuffered = Math.max(1, opts.maxBufferedBytes ?? 256 * 1024);
  }

  /** Messages accepted and not yet handed to the connection. */
  get pending(): number {
    return this.#queue.length - this.#head;
  }

  /** QoS 1 messages handed to the connection and not yet acknowledged. */
  get unacked(): number {
    return this.#unacked;
  }

  /** A connection is up: send what waits. */
  attach(transport: WindowTransport): void {
    this.#epoch++;
    this.#transport = transport;
    this.#unacked = 0;
    this.#waitingForDrain = false;
    this.#pump();
  }

  /** The connection is gone: returns what was never handed to it, in order, and forgets it. */
  detach(): OutgoingMessage[] {
    this.#epoch++;
    this.#transport = undefined;
    const unsent = this.#queue.slice(this.#head);
    this.#queue = [];
    this.#head = 0;
    this.#unacked = 0;
    this.#waitingForDrain = false;
    return unsent;
  }

  /** Queue messages behind those already waiting and send as many as the window allows now. */
  push(messages: readonly OutgoingMessage[]): void {
    for (const m of messages) this.#queue.push(m);
    this.#pump();
  }

  #pump(): void {
    const transport = this.#transport;
    if (transport === undefined || this.#waitingForDrain) return;
    const epoch = this.#epoch;
    while (this.#head < this.#queue.length) {
      if (this.#unacked >= this.#maxUnacked) return; // an acknowledgement pumps again
      if (transport.buffered() >= this.#maxBuffered) {
        this.#waitingForDrain = true;
        transport.onceDrained(() => {
          if (epoch !== this.#epoch) return;
          this.#waitingForDrain = false;
          this.#pump();
        });
        return;
      }
      const message = this.#queue[this.#head] as OutgoingMessage;
      this.#head++;
      // Let go of what was sent during a long burst instead of holding it until the queue empties.
      if (this.#head >= 1024) {
        this.#queue = this.#queue.slice(this.#head);
        this.#head = 0;
      }
      if (message.qos === 1) this.#unacked++;
      transport.send(message, () => {
        if (epoch !== this.#epoch) return;
        this.#unacked--;
        this.#pump();
      });
    }
    // Everything went: drop the sent prefix so the array does not grow for the life of the process.
    this.#queue = [];
    this.#head = 0;
  }
}
