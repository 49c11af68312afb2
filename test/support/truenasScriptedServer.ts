/**
 * A small scripted JSON-RPC WebSocket server on 127.0.0.1:0 for exact TrueNAS client scenarios: out-of-order
 * answers, held (never answered) calls, garbage frames, unknown ids. Defaults answer the connect flow like a NAS.
 */
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";

export const SCRIPTED_API_KEY = `7-${"k".repeat(64)}`;

export interface ScriptedRequest {
  readonly id: unknown;
  readonly method: string;
  readonly params: unknown[];
  readonly conn: WebSocket;
  readonly raw: string;
}

/** Returned by a handler to leave the call unanswered (answer later with `reply`/`replyError`). */
export const HOLD = Symbol("hold");
export type Handler = (req: ScriptedRequest) => unknown;

export class ScriptedServer {
  readonly requests: ScriptedRequest[] = [];
  readonly connections = new Set<WebSocket>();
  readonly handlers = new Map<string, Handler>();
  connectionCount = 0;
  apiKey = SCRIPTED_API_KEY;
  #consumed = new Set<ScriptedRequest>();
  #waiters: Array<{ method: string; resolve: (r: ScriptedRequest) => void }> = [];
  #connWaiters: Array<(ws: WebSocket) => void> = [];
  #sockets = new Set<Socket>();
  #ident = 0;

  private constructor(
    private readonly http: Server,
    readonly url: string,
  ) {}

  static async start(opts: { tls?: { cert: string; key: string } } = {}): Promise<ScriptedServer> {
    const http = opts.tls ? createHttpsServer(opts.tls) : createHttpServer();
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const port = (http.address() as AddressInfo).port;
    const server = new ScriptedServer(http, `${opts.tls ? "wss" : "ws"}://127.0.0.1:${port}/api/current`);
    server.#install();
    return server;
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  #install(): void {
    const wss = new WebSocketServer({ server: this.http });
    this.http.on("connection", (s: Socket) => {
      this.#sockets.add(s);
      s.on("close", () => this.#sockets.delete(s));
    });
    // A TLS handshake the client aborts surfaces here; it is expected in the certificate tests.
    this.http.on("tlsClientError", () => undefined);
    wss.on("connection", (ws) => {
      this.connectionCount++;
      this.connections.add(ws);
      ws.on("close", () => this.connections.delete(ws));
      ws.on("message", (data) => this.#onMessage(ws, (data as Buffer).toString("utf8")));
      this.#connWaiters.shift()?.(ws);
    });
    this.handlers.set("auth.login_with_api_key", (r) => r.params[0] === this.apiKey);
    this.handlers.set("system.info", () => ({ version: "25.10.0", hostname: "scripted" }));
    this.handlers.set("core.ping", () => "pong");
    this.handlers.set("core.subscribe", () => `ident-${++this.#ident}`);
    this.handlers.set("core.unsubscribe", () => null);
  }

  #onMessage(conn: WebSocket, raw: string): void {
    const msg = JSON.parse(raw) as { id: unknown; method: string; params?: unknown[] };
    const req: ScriptedRequest = { id: msg.id, method: msg.method, params: msg.params ?? [], conn, raw };
    this.requests.push(req);
    const waiter = this.#waiters.find((w) => w.method === req.method);
    if (waiter) {
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      this.#consumed.add(req);
      waiter.resolve(req);
    }
    const handler = this.handlers.get(req.method);
    if (!handler) {
      this.replyError(req, { code: -32601, message: "Method does not exist" });
      return;
    }
    const result = handler(req);
    if (result !== HOLD) this.reply(req, result);
  }

  /** The next request for `method` not yet returned by an earlier call (already received, or the next to come). */
  nextRequest(method: string): Promise<ScriptedRequest> {
    const seen = this.requests.find((r) => r.method === method && !this.#consumed.has(r));
    if (seen) {
      this.#consumed.add(seen);
      return Promise.resolve(seen);
    }
    return new Promise((resolve) => this.#waiters.push({ method, resolve }));
  }

  /** Resolves with the next connection accepted after this call. */
  nextConnection(): Promise<WebSocket> {
    return new Promise((resolve) => this.#connWaiters.push(resolve));
  }

  requestsFor(method: string): ScriptedRequest[] {
    return this.requests.filter((r) => r.method === method);
  }

  reply(req: ScriptedRequest, result: unknown): void {
    this.send(req.conn, { jsonrpc: "2.0", id: req.id, result });
  }

  replyError(req: ScriptedRequest, error: unknown): void {
    this.send(req.conn, { jsonrpc: "2.0", id: req.id, error });
  }

  send(conn: WebSocket, message: unknown): void {
    if (conn.readyState === conn.OPEN) conn.send(JSON.stringify(message));
  }

  /** Send a raw text (or binary) frame to every open connection. */
  sendRaw(data: string | Buffer): void {
    for (const c of this.connections) c.send(data);
  }

  notify(method: string, params: unknown): void {
    for (const c of this.connections) this.send(c, { jsonrpc: "2.0", method, params });
  }

  dropAll(): void {
    for (const c of this.connections) c.terminate();
  }

  async stop(): Promise<void> {
    for (const c of this.connections) c.terminate();
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }
}
