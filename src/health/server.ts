/**
 * The health and metrics HTTP server: `GET /healthz` (200 when the broker is connected and the TrueNAS session
 * is ready, else 503 with the reason; JSON body with each group's last poll) and `GET /metrics` (Prometheus
 * text). Nothing else is served. Never exposes configuration or secrets.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";

export interface HealthReport {
  /** True when everything needed for publishing is up. */
  readonly healthy: boolean;
  /** Why not healthy (empty when healthy). */
  readonly reasons: readonly string[];
  readonly [key: string]: unknown;
}

export interface HealthServerDeps {
  readonly host: string;
  readonly port: number;
  readonly log: Logger;
  readonly report: () => HealthReport;
  readonly metrics: () => Promise<{ contentType: string; body: string }>;
}

export class HealthServer {
  #server: Server | undefined;

  constructor(private readonly deps: HealthServerDeps) {}

  /** The bound port (useful with port 0). */
  get port(): number {
    return (this.#server?.address() as AddressInfo | null)?.port ?? 0;
  }

  async start(): Promise<void> {
    if (this.#server) return;
    const server = createServer((req, res) => {
      this.#handle(req, res).catch((err: unknown) => {
        this.deps.log.warn({ err }, "health request failed");
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.deps.port, this.deps.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    this.deps.log.info({ host: this.deps.host, port: this.port }, "health server listening");
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    if (path === "/healthz") {
      const report = this.deps.report();
      res
        .writeHead(report.healthy ? 200 : 503, { "content-type": "application/json" })
        .end(JSON.stringify(report));
      return;
    }
    if (path === "/metrics") {
      const { contentType, body } = await this.deps.metrics();
      res.writeHead(200, { "content-type": contentType }).end(body);
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("Not found\n");
  }

  /** Close the listener. Idempotent; never throws. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
