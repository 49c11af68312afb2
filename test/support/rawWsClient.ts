/**
 * A deliberately dumb WebSocket client for protocol tests: sends exactly the frames it is told to and records
 * everything that comes back, so tests can assert the simulator's wire behaviour byte for byte.
 */
import { WebSocket, type ClientOptions } from "ws";

export interface Received {
  raw: string;
  json: any;
}

export class RawWsClient {
  readonly received: Received[] = [];
  closeCode: number | undefined;
  closeReason = "";
  #waiters: Array<{ match: (m: Received) => boolean; resolve: (m: Received) => void }> = [];
  #closeWaiters: Array<(code: number) => void> = [];
  #nextId = 1;

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      const raw = (data as Buffer).toString("utf8");
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        json = undefined;
      }
      const msg = { raw, json };
      this.received.push(msg);
      this.#waiters = this.#waiters.filter((w) => {
        if (!w.match(msg)) return true;
        w.resolve(msg);
        return false;
      });
    });
    ws.on("close", (code, reason) => {
      this.closeCode = code;
      this.closeReason = reason.toString();
      for (const w of this.#closeWaiters) w(code);
    });
  }

  static connect(url: string, options: ClientOptions = {}): Promise<RawWsClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, options);
      const client = new RawWsClient(ws);
      ws.once("open", () => resolve(client));
      ws.once("error", reject);
    });
  }

  sendRaw(text: string | Buffer, binary = false): void {
    this.ws.send(text, { binary });
  }

  /** Send a request and resolve with the response carrying its id. */
  async call(method: string, params: unknown[] = [], id: string | number = this.#nextId++): Promise<any> {
    const wait = this.waitFor((m) => m.json?.id === id && ("result" in m.json || "error" in m.json));
    this.ws.send(JSON.stringify({ jsonrpc: "2.0", id, method, params }));
    return (await wait).json;
  }

  /** Send a request without awaiting; returns its id. */
  send(method: string, params: unknown[] = [], id: string | number = this.#nextId++): string | number {
    this.ws.send(JSON.stringify({ jsonrpc: "2.0", id, method, params }));
    return id;
  }

  waitFor(match: (m: Received) => boolean): Promise<Received> {
    const already = this.received.find(match);
    if (already) return Promise.resolve(already);
    return new Promise((resolve) => this.#waiters.push({ match, resolve }));
  }

  /** Wait for the next `count` messages matching `match`, counting those already received. */
  async waitForCount(match: (m: Received) => boolean, count: number): Promise<Received[]> {
    for (;;) {
      const found = this.received.filter(match);
      if (found.length >= count) return found;
      await new Promise<Received>((resolve) => this.#waiters.push({ match, resolve }));
    }
  }

  waitForClose(): Promise<number> {
    if (this.closeCode !== undefined) return Promise.resolve(this.closeCode);
    return new Promise((resolve) => this.#closeWaiters.push(resolve));
  }

  close(): void {
    this.ws.terminate();
  }
}
