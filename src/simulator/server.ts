/**
 * The TrueNAS simulator's protocol server: an HTTP(S) server answering `/api/versions`, `/api/boot_id` and the
 * JSON-RPC WebSocket endpoints (`/api/current`, `/api/v<version>`), in front of a simulated world.
 * Used in-process by tests, the demo and the benchmarks, and by `truenas2mqtt simulator`.
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { SimConnection, type ConnectionHost } from "./connection.js";
import { EventSourceHub } from "./eventSources.js";
import { SimFaults } from "./faults.js";
import { realtimeSource } from "./realtimeSource.js";
import { SimStats } from "./stats.js";
import type { MethodHandler, SimProfile, SimVersion, SimWorldLike } from "./types.js";
import { SimWorld } from "./nas/world.js";

/** The default API key of a simulator (id 1, 64 alphanumerics), as TrueNAS formats keys. */
export const DEFAULT_SIM_API_KEY = `1-${"truenas2mqttSimulatorKey".padEnd(64, "0")}`;

export interface SimulatorOptions {
  /** Listen address; default 127.0.0.1. */
  host?: string;
  /** Listen port; 0 (default) picks a free one. */
  port?: number;
  profile?: SimProfile;
  version?: SimVersion;
  seed?: number;
  /** The one valid API key; default DEFAULT_SIM_API_KEY. */
  apiKey?: string;
  /** The user the key belongs to (appears in auth.me and job credentials). */
  username?: string;
  /** Serve wss:// with this certificate and key (PEM). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** A world to serve instead of building one from profile/version/seed. */
  world?: SimWorldLike;
  /** Advance the world every N ms of real time (0 = never; tests call world.advance). Default 2000. */
  driftIntervalMs?: number;
  /** Max random extra latency per call in ms, so responses arrive out of order. Default 2. */
  jitterMs?: number;
  /** Delay range [min, max] ms for a failed login (real NAS: 1000-2000). */
  authFailDelayMs?: readonly [number, number];
  /** Delay range [min, max] ms before a rate-limited call fails (real NAS: 1000-10000). */
  rateLimitDelayMs?: readonly [number, number];
  /** Random source in [0, 1) for jitter and delays (tests pass a seeded one). */
  random?: () => number;
}

const API_VERSIONS: Record<SimVersion, string[]> = {
  "25.04.0": ["v24.10", "v25.04.0"],
  "25.04.2": ["v24.10", "v25.04.0", "v25.04.1", "v25.04.2"],
  "25.10": ["v25.04.0", "v25.04.1", "v25.04.2", "v25.10.0"],
};

export class SimulatorServer {
  readonly world: SimWorldLike;
  readonly faults: SimFaults;
  readonly stats = new SimStats();
  readonly version: SimVersion;
  readonly #opts: SimulatorOptions;
  readonly #connections = new Set<SimConnection>();
  readonly #sockets = new Set<Socket>();
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 * 1024 });
  readonly #sources: EventSourceHub;
  readonly #rate = new Map<string, number[]>();
  readonly #tokens = new Set<string>();
  #methods: ReadonlyMap<string, MethodHandler>;
  #http: Server | undefined;
  #drift: NodeJS.Timeout | undefined;
  #unsubscribeWorld: (() => void) | undefined;
  #url = "";

  constructor(opts: SimulatorOptions = {}) {
    this.#opts = opts;
    this.version = opts.world?.version ?? opts.version ?? "25.10";
    this.world =
      opts.world ??
      new SimWorld({ profile: opts.profile ?? "typical", version: this.version, seed: opts.seed ?? 1 });
    this.#methods = this.world.methods();
    this.faults = new SimFaults(opts.apiKey ?? DEFAULT_SIM_API_KEY, {
      dropAll: () => this.#forEach((c) => c.terminate()),
      sendRaw: (text) => this.#forEach((c) => c.sendRaw(text)),
      dropAuthenticated: () => this.#forEach((c) => c.authenticated && c.terminate()),
      endSubscriptions: (name, error) => {
        let ended = this.#sources.end(name, error);
        this.#forEach((c) => (ended += c.endSubscriptions(name, error)));
        return ended;
      },
    });
    this.#sources = new EventSourceHub(new Map([["reporting.realtime", realtimeSource(this.world)]]));
  }

  /** `ws://host:port/api/current` (or `wss://`). Valid after start(). */
  get url(): string {
    return this.#url;
  }

  get port(): number {
    return (this.#http?.address() as AddressInfo | null)?.port ?? 0;
  }

  /** Number of open WebSocket connections. */
  get openConnections(): number {
    return this.#connections.size;
  }

  async start(): Promise<void> {
    if (this.#http) return;
    const handler = (req: IncomingMessage, res: ServerResponse): void => this.#onHttp(req, res);
    const http = this.#opts.tls
      ? createHttpsServer({ cert: this.#opts.tls.cert, key: this.#opts.tls.key }, handler)
      : createHttpServer(handler);
    this.#http = http;
    http.on("connection", (socket: Socket) => {
      this.#sockets.add(socket);
      socket.on("close", () => this.#sockets.delete(socket));
    });
    http.on("upgrade", (req, socket: Socket, head) => this.#onUpgrade(req, socket, head));
    this.#unsubscribeWorld = this.world.onEvent((event) => {
      const params: Record<string, unknown> = { msg: event.msg, collection: event.collection };
      if (event.id !== undefined) params.id = event.id;
      if (event.fields !== undefined && event.msg !== "removed") params.fields = event.fields;
      if (event.extra !== undefined) params.extra = event.extra;
      for (const conn of this.#connections) {
        if (conn.authenticated && conn.wants(event.collection)) {
          this.stats.recordEvent(
            event.collection,
            conn.send({ jsonrpc: "2.0", method: "collection_update", params }),
          );
        }
      }
    });
    await new Promise<void>((resolve, reject) => {
      http.once("error", reject);
      http.listen(this.#opts.port ?? 0, this.#opts.host ?? "127.0.0.1", () => {
        http.off("error", reject);
        resolve();
      });
    });
    const host = this.#opts.host ?? "127.0.0.1";
    const shown = host.includes(":") ? `[${host}]` : host;
    this.#url = `${this.#opts.tls ? "wss" : "ws"}://${shown}:${this.port}/api/current`;
    const drift = this.#opts.driftIntervalMs ?? 2000;
    if (drift > 0) {
      this.#drift = setInterval(() => this.world.advance(drift), drift);
      this.#drift.unref();
    }
  }

  /** Close every connection and the listener. Idempotent; never throws. */
  async stop(): Promise<void> {
    clearInterval(this.#drift);
    this.#drift = undefined;
    this.#unsubscribeWorld?.();
    this.#unsubscribeWorld = undefined;
    this.#sources.stop();
    this.#forEach((c) => c.terminate());
    for (const socket of this.#sockets) socket.destroy();
    const http = this.#http;
    this.#http = undefined;
    if (http) await new Promise<void>((resolve) => http.close(() => resolve()));
  }

  /**
   * The NAS reboots (truenas-api.md §2.3 `system.reboot`, §3.3 `system.ready`): new connections are refused,
   * subscribers get `system.reboot`, the boot id changes and `system.ready` turns false, then every connection
   * drops. Connections stay refused until powerOn(); after it the NAS answers while still booting, until
   * `world.control.setReady(true)` (which sends `system.ready`). Needs the simulator's own world.
   */
  async reboot(): Promise<void> {
    if (!(this.world instanceof SimWorld)) throw new Error("reboot() needs the simulator's own world");
    this.faults.refuseConnections(true);
    this.world.control.reboot();
    // The middleware sends system.reboot before it goes away; give the frames a moment to leave the sockets.
    await new Promise((resolve) => setTimeout(resolve, 20));
    this.faults.dropAll();
  }

  /** After reboot(): the middleware accepts connections again (`system.ready` stays false until setReady). */
  powerOn(): void {
    this.faults.refuseConnections(false);
  }

  #forEach(fn: (c: SimConnection) => unknown): void {
    for (const conn of [...this.#connections]) fn(conn);
  }

  #onHttp(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === "/api/versions") {
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify(API_VERSIONS[this.version]));
      return;
    }
    if (req.method === "GET" && path === "/api/boot_id") {
      const bootId = this.#methods.get("system.boot_id")?.([], { messageId: null, username: "" });
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(bootId ?? null));
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("Not found\n");
  }

  #endpointOk(path: string): boolean {
    if (path === "/api/current") return true;
    return API_VERSIONS[this.version].some((v) => path === `/api/${v}`) || path === `/api/v${this.version}`;
  }

  #onUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (this.faults.refusing) {
      socket.end("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      socket.destroy();
      return;
    }
    if (!this.#endpointOk(path)) {
      socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const conn = new SimConnection(ws, this.#host(), socket.remoteAddress ?? "", Boolean(this.#opts.tls));
      this.#connections.add(conn);
      this.stats.recordConnection();
      ws.on("close", () => {
        this.#connections.delete(conn);
        this.#sources.unsubscribeAll(conn);
      });
      conn.start();
    });
  }

  #host(): ConnectionHost {
    const random = this.#opts.random ?? Math.random;
    const between = (range: readonly [number, number]): number => range[0] + random() * (range[1] - range[0]);
    return {
      version: this.version,
      faults: this.faults,
      username: this.#opts.username ?? "truenas_admin",
      worldMethod: (name) => this.#methods.get(name),
      rateLimited: (method, ip) => this.#rateLimited(method, ip),
      penaltyDelay: (kind) =>
        between(
          kind === "auth"
            ? (this.#opts.authFailDelayMs ?? [1000, 2000])
            : (this.#opts.rateLimitDelayMs ?? [1000, 10000]),
        ),
      callLatency: () => random() * (this.#opts.jitterMs ?? 2),
      subscribeSource: (conn, ident, name) => this.#sources.subscribe(conn, ident, name),
      unsubscribeSource: (conn, ident) => this.#sources.unsubscribe(conn, ident),
      recordCall: (method, bytes) => this.stats.recordCall(method, bytes),
      tokens: this.#tokens,
    };
  }

  /** 20 calls per 60 s per (method, ip) for unauthenticated sessions; core.set_options is exempt. */
  #rateLimited(method: string, ip: string): boolean {
    if (method === "core.set_options") return false;
    const key = `${method}|${ip}`;
    const now = Date.now();
    const recent = (this.#rate.get(key) ?? []).filter((t) => now - t < 60_000);
    recent.push(now);
    this.#rate.set(key, recent);
    return recent.length > 20;
  }
}
