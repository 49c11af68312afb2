/**
 * A real MQTT broker for tests, on a free loopback port: a mosquitto process when installed (the broker most
 * users run), otherwise aedes in-process. Each test file gets its own broker, so retained state never leaks.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, connect as netConnect, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestBroker {
  readonly url: string;
  readonly port: number;
  readonly kind: "mosquitto" | "aedes";
  /** Stop the broker (retained messages are lost: no persistence). */
  stop(): Promise<void>;
  /** Start it again on the same port, empty. */
  start(): Promise<void>;
}

export interface BrokerOptions {
  /** Require this user/password (mosquitto only; aedes checks it in-process). */
  credentials?: { username: string; password: string };
  /** Force aedes even when mosquitto exists (to test the fallback itself). */
  forceAedes?: boolean;
}

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

function mosquittoAvailable(): boolean {
  return spawnSync("mosquitto", ["-h"], { stdio: "ignore" }).error === undefined;
}

async function waitForPort(port: number, deadline = Date.now() + 5000): Promise<void> {
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = netConnect(port, "127.0.0.1");
      s.once("connect", () => {
        s.destroy();
        resolve(true);
      });
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`broker did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function mosquittoConfig(port: number, opts: BrokerOptions): string {
  const dir = mkdtempSync(join(tmpdir(), "t2m-mosquitto-"));
  // mosquitto started as root drops to its own user before reading the password file.
  chmodSync(dir, 0o755);
  const lines = [`listener ${port} 127.0.0.1`, "persistence false", "log_dest stderr", "log_type error"];
  if (opts.credentials) {
    const pw = join(dir, "passwd");
    writeFileSync(pw, "");
    spawnSync("mosquitto_passwd", ["-b", pw, opts.credentials.username, opts.credentials.password]);
    chmodSync(pw, 0o644);
    lines.push("allow_anonymous false", `password_file ${pw}`);
  } else {
    lines.push("allow_anonymous true");
  }
  const conf = join(dir, "mosquitto.conf");
  writeFileSync(conf, `${lines.join("\n")}\n`);
  return conf;
}

export async function startBroker(opts: BrokerOptions = {}): Promise<TestBroker> {
  const port = await freePort();
  if (!opts.forceAedes && mosquittoAvailable()) {
    const conf = mosquittoConfig(port, opts);
    let child: ChildProcess | undefined;
    const broker: TestBroker = {
      url: `mqtt://127.0.0.1:${port}`,
      port,
      kind: "mosquitto",
      async start() {
        child = spawn("mosquitto", ["-c", conf], { stdio: "ignore" });
        await waitForPort(port);
      },
      async stop() {
        const c = child;
        child = undefined;
        if (!c || c.exitCode !== null) return;
        await new Promise<void>((resolve) => {
          c.once("exit", () => resolve());
          c.kill("SIGKILL");
        });
      },
    };
    await broker.start();
    return broker;
  }
  return startAedes(port, opts);
}

async function startAedes(port: number, opts: BrokerOptions): Promise<TestBroker> {
  const { Aedes } = await import("aedes");
  let server: Server | undefined;
  let aedes: InstanceType<typeof Aedes> | undefined;
  const sockets = new Set<Socket>();
  const broker: TestBroker = {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    kind: "aedes",
    async start() {
      aedes = await Aedes.createBroker();
      if (opts.credentials) {
        const { username, password } = opts.credentials;
        aedes.authenticate = (_client, user, pass, done) => {
          const ok = user === username && pass?.toString() === password;
          done(ok ? null : Object.assign(new Error("bad credentials"), { returnCode: 4 }), ok);
        };
      }
      const a = aedes;
      server = createServer((socket) => {
        sockets.add(socket);
        socket.once("close", () => sockets.delete(socket));
        a.handle(socket);
      });
      await new Promise<void>((resolve) => server!.listen(port, "127.0.0.1", resolve));
    },
    async stop() {
      const s = server;
      const a = aedes;
      server = undefined;
      aedes = undefined;
      if (s) {
        for (const socket of sockets) socket.destroy();
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
      if (a) await new Promise<void>((resolve) => a.close(() => resolve()));
    },
  };
  await broker.start();
  return broker;
}
