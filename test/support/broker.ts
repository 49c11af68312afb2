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
  /**
   * Accept only this user/password from now on (mosquitto re-reads its password file on SIGHUP; aedes checks
   * in-process). Connections already open stay open, as with a real broker.
   */
  setCredentials(credentials: { username: string; password: string }): Promise<void>;
}

export interface BrokerOptions {
  /** Require this user/password (mosquitto only; aedes checks it in-process). */
  credentials?: { username: string; password: string };
  /** Force aedes even when mosquitto exists (to test the fallback itself). */
  forceAedes?: boolean;
  /** Listen on this port (default: a free one). */
  port?: number;
  /** Do not start yet: the URL is known, nothing listens until start() (a broker that is down). */
  stopped?: boolean;
  /** mosquitto's message_size_limit: larger payloads are dropped without telling the publisher (mosquitto only). */
  messageSizeLimit?: number;
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

function writePasswordFile(path: string, credentials: { username: string; password: string }): void {
  writeFileSync(path, "");
  spawnSync("mosquitto_passwd", ["-b", path, credentials.username, credentials.password]);
  chmodSync(path, 0o644);
}

function mosquittoConfig(port: number, opts: BrokerOptions): { conf: string; passwd: string } {
  const dir = mkdtempSync(join(tmpdir(), "t2m-mosquitto-"));
  // mosquitto started as root drops to its own user before reading the password file.
  chmodSync(dir, 0o755);
  const passwd = join(dir, "passwd");
  const lines = [`listener ${port} 127.0.0.1`, "persistence false", "log_dest stderr", "log_type error"];
  if (opts.credentials) {
    writePasswordFile(passwd, opts.credentials);
    lines.push("allow_anonymous false", `password_file ${passwd}`);
  } else {
    lines.push("allow_anonymous true");
  }
  if (opts.messageSizeLimit !== undefined) lines.push(`message_size_limit ${opts.messageSizeLimit}`);
  const conf = join(dir, "mosquitto.conf");
  writeFileSync(conf, `${lines.join("\n")}\n`);
  return { conf, passwd };
}

export async function startBroker(opts: BrokerOptions = {}): Promise<TestBroker> {
  const port = opts.port ?? (await freePort());
  if (!opts.forceAedes && mosquittoAvailable()) {
    const { conf, passwd } = mosquittoConfig(port, opts);
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
      async setCredentials(credentials) {
        if (!opts.credentials) throw new Error("this broker was started without credentials");
        writePasswordFile(passwd, credentials);
        child?.kill("SIGHUP");
        // mosquitto gives no sign that it has reloaded; a login with the new password tells.
        await waitForLogin(broker.url, credentials);
      },
    };
    if (!opts.stopped) await broker.start();
    return broker;
  }
  return startAedes(port, opts);
}

async function waitForLogin(
  url: string,
  credentials: { username: string; password: string },
  deadline = Date.now() + 5000,
): Promise<void> {
  const { default: mqtt } = await import("mqtt");
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = mqtt.connect(url, { ...credentials, reconnectPeriod: 0, connectTimeout: 1000 });
      // The listener stays for the client's whole life: a refused CONNACK emits more than one error.
      c.on("error", () => {
        c.end(true);
        resolve(false);
      });
      c.once("connect", () => {
        c.end(true);
        resolve(true);
      });
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`the broker still refuses ${credentials.username}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function startAedes(port: number, opts: BrokerOptions): Promise<TestBroker> {
  // aedes closes the connection of a publisher it refuses; mosquitto drops the message and carries on.
  if (opts.messageSizeLimit !== undefined)
    throw new Error("messageSizeLimit needs mosquitto (.ci/run installs it)");
  const { Aedes } = await import("aedes");
  let credentials = opts.credentials;
  let server: Server | undefined;
  let aedes: InstanceType<typeof Aedes> | undefined;
  const sockets = new Set<Socket>();
  const broker: TestBroker = {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    kind: "aedes",
    async start() {
      aedes = await Aedes.createBroker();
      if (credentials) {
        aedes.authenticate = (_client, user, pass, done) => {
          const ok = user === credentials?.username && pass?.toString() === credentials?.password;
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
    async setCredentials(next) {
      if (!opts.credentials) throw new Error("this broker was started without credentials");
      credentials = next;
      await Promise.resolve();
    },
  };
  if (!opts.stopped) await broker.start();
  return broker;
}
