/**
 * What the bridge exposes (issue 6: "The container runs as non-root; the health server binds where configured
 * and exposes nothing else"): the Dockerfile's runtime stage, the listening sockets of a running `truenas2mqtt
 * run` (its /proc/<pid>/fd socket inodes looked up in /proc/net/{tcp,tcp6,udp,udp6}), and the HTTP surface.
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { request } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CONFIG_SCHEMA } from "../../src/config/schema.js";
import { DEFAULT_SIM_API_KEY, SimulatorServer } from "../../src/simulator/server.js";
import { freePort, startBroker, type TestBroker } from "../support/broker.js";
import { captureText } from "../support/capture.js";
import { startCli, type CliProcess } from "../support/runCli.js";

const DOCKERFILE = new URL("../../Dockerfile", import.meta.url);
const DEFAULT_HEALTH_PORT = CONFIG_SCHEMA.health.port.default;

let broker: TestBroker;
let sim: SimulatorServer;
let cli: CliProcess | undefined;

beforeAll(async () => {
  broker = await startBroker();
  sim = new SimulatorServer({ profile: "small", driftIntervalMs: 0, jitterMs: 0 });
  await sim.start();
});

afterAll(async () => {
  await sim?.stop();
  await broker?.stop();
});

afterEach(async () => {
  if (!cli) return;
  cli.kill("SIGTERM");
  await cli.exited;
  cli = undefined;
});

/** A listening socket: protocol, address as text, port. */
interface Listener {
  readonly proto: "tcp" | "tcp6" | "udp" | "udp6";
  readonly address: string;
  readonly port: number;
}

/** /proc/net addresses are the kernel's 32-bit words in host (little-endian) order. */
function decodeAddress(hex: string): string {
  const word = (w: string): number[] =>
    [w.slice(6, 8), w.slice(4, 6), w.slice(2, 4), w.slice(0, 2)].map((b) => parseInt(b, 16));
  if (hex.length === 8) return word(hex).join(".");
  const bytes = [0, 8, 16, 24].flatMap((i) => word(hex.slice(i, i + 8)));
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return groups.join(":");
}

/** The sockets of `pid` that accept connections (TCP LISTEN) or datagrams (any bound UDP socket). */
function listeningSockets(pid: number): Listener[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      // An fd closed while listing.
    }
  }
  const found: Listener[] = [];
  for (const proto of ["tcp", "tcp6", "udp", "udp6"] as const) {
    const rows = readFileSync(`/proc/${pid}/net/${proto}`, "utf8").trim().split("\n").slice(1);
    for (const row of rows) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
      const cols = row.trim().split(/\s+/);
      const [local = "", state, inode = ""] = [cols[1], cols[3], cols[9]];
      const listening = proto.startsWith("tcp") ? state === "0A" : true;
      if (!listening || !inodes.has(inode)) continue;
      const [addr, port] = local.split(":");
      found.push({ proto, address: decodeAddress(addr!), port: parseInt(port!, 16) });
    }
  }
  return found;
}

/** `truenas2mqtt run` against the simulator, resolved once the NAS is bridged and the health server is up. */
async function runBridge(health: Record<string, string>): Promise<CliProcess> {
  cli = startCli(["run"], {
    TRUENAS_URL: sim.url,
    TRUENAS_API_KEY: DEFAULT_SIM_API_KEY,
    MQTT_URL: broker.url,
    LOG_LEVEL: "debug",
    LOG_FORMAT: "json",
    ...health,
  });
  await cli.waitFor(/"msg":"polling all groups"/);
  await cli.waitFor(/"msg":"mqtt connected"/);
  return cli;
}

/** A raw request, so the path reaches the server exactly as written (fetch would normalise it). */
function raw(port: number, method: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method, path }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => {
        captureText(`exposure: ${method} ${path}`, body);
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the container image", () => {
  const text = readFileSync(DOCKERFILE, "utf8");
  // Instructions of the last stage (what runs), continuation lines joined.
  const lastStage = text
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
  const finalStage = lastStage.slice(lastStage.map((l) => /^FROM\s/i.test(l)).lastIndexOf(true));

  it("runs the final stage as a non-root user", () => {
    const users = finalStage.filter((l) => /^USER\s/i.test(l)).map((l) => l.split(/\s+/)[1]!);
    expect(users.length).toBeGreaterThan(0);
    const user = users.at(-1)!.split(":")[0]!;
    expect(["root", "0"]).not.toContain(user);
    // Nothing after the USER line switches back or runs as root.
    const afterUser = finalStage.slice(finalStage.findLastIndex((l) => /^USER\s/i.test(l)) + 1);
    expect(afterUser.filter((l) => /^(RUN|USER)\s/i.test(l))).toEqual([]);
  });

  it("exposes only the health port, and checks health on it", () => {
    const exposed = finalStage.filter((l) => /^EXPOSE\s/i.test(l)).flatMap((l) => l.split(/\s+/).slice(1));
    expect(exposed).toEqual([String(DEFAULT_HEALTH_PORT)]);
    const check = finalStage.find((l) => /^HEALTHCHECK\s/i.test(l)) ?? "";
    expect(check).toContain(`127.0.0.1:${DEFAULT_HEALTH_PORT}/healthz`);
  });
});

describe("a running bridge", () => {
  it("listens only on the configured health address and port", async () => {
    const port = await freePort();
    const run = await runBridge({ HEALTH_HOST: "127.0.0.1", HEALTH_PORT: String(port) });
    expect(listeningSockets(run.pid)).toEqual([{ proto: "tcp", address: "127.0.0.1", port }]);
  });

  it("binds an IPv6 address when configured so (and nothing else)", async () => {
    const port = await freePort();
    const run = await runBridge({ HEALTH_HOST: "::1", HEALTH_PORT: String(port) });
    expect(listeningSockets(run.pid)).toEqual([{ proto: "tcp6", address: "0:0:0:0:0:0:0:1", port }]);
  });

  it("serves /healthz and /metrics only: other paths 404, other methods 405", async () => {
    const port = await freePort();
    await runBridge({ HEALTH_HOST: "127.0.0.1", HEALTH_PORT: String(port) });
    expect((await raw(port, "GET", "/healthz")).status).toBe(200);
    expect((await raw(port, "GET", "/healthz?verbose=1")).status).toBe(200);
    expect((await raw(port, "GET", "/metrics")).status).toBe(200);
    expect((await raw(port, "HEAD", "/healthz")).body).toBe("");
    for (const path of [
      "/",
      "/healthz/",
      "/HEALTHZ",
      "//healthz",
      "/metrics/../healthz",
      "/healthz/../../etc/passwd",
      "/config",
      "/debug/pprof",
      "/favicon.ico",
      "/%2e%2e/%2e%2e/etc/passwd",
    ]) {
      const r = await raw(port, "GET", path);
      expect([path, r.status]).toEqual([path, 404]);
      expect(r.body).toBe("Not found\n");
    }
    for (const method of ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"]) {
      for (const path of ["/healthz", "/metrics", "/"]) {
        const r = await raw(port, method, path);
        expect([method, path, r.status]).toEqual([method, path, 405]);
      }
    }
  });

  it("opens no port at all with HEALTH_PORT=0", async () => {
    const run = await runBridge({ HEALTH_PORT: "0" });
    expect(listeningSockets(run.pid)).toEqual([]);
    expect(run.stdout()).not.toMatch(/health server listening/);
  });
});
