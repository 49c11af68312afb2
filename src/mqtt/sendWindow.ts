/**
 * A bounded send window in front of the MQTT connection. mqtt.js turns every publish into packet buffers and
 * writes them into the socket stream at once, so a start-up that publishes 35,000 messages (25,000 entities)
 * held them all as buffers at the same time: 70 MB in the benchmark's large profile. Here messages wait in order
 * as the plain objects the registry made, and go out while the socket stream accepts writes (below its high
 * water mark, 16 KiB for a socket); the rest follow on its 'drain'. Order is kept (FIFO), so a config still goes out before its
 * state and a clear after what it clears. No I/O of its own: the publisher attaches a transport per connection.
 *
 * It does not wait for QoS 1 acknowledgements: against mosquitto 2.0, a client whose subscription is flooded
 * (the start-up's scan of retained configs) never got some of its PUBACKs, and a window waiting for them stalled
 * for good (measured: 681 of 35,000 never acknowledged).
 */
import type { OutgoingMessage } from "./publisher.js";

export interface WindowTransport {
  /** The socket stream is full: a write returned false and its 'drain' has not come yet. */
  blocked(): boolean;
  /** Call `fn` once, at the socket stream's next 'drain'. */
  onceDrained(fn: () => void): void;
  send(message: OutgoingMessage): void;
}

export class SendWindow {
  #queue: OutgoingMessage[] = [];
  #head = 0;
  #waitingForDrain = false;
  #transport: WindowTransport | undefined;
  /** Bumped on every attach and detach, so a drain of an earlier connection changes nothing. */
  #epoch = 0;

  /** Messages accepted and not yet handed to the connection. */
  get pending(): number {
    return this.#queue.length - this.#head;
  }

  /** A connection is up: send what waits. */
  attach(transport: WindowTransport): void {
    this.#epoch++;
    this.#transport = transport;
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
    while (this.#head < this.#queue.length) {
      // Only a stream that said "full" emits 'drain'; waiting on any other condition could wait forever.
      if (transport.blocked()) {
        this.#waitingForDrain = true;
        const epoch = this.#epoch;
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
      transport.send(message);
    }
    this.#queue = [];
    this.#head = 0;
  }
}
