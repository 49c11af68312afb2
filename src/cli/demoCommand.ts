/**
 * `truenas2mqtt demo`: the simulator (typical NAS), an embedded MQTT broker (aedes) and the bridge, wired
 * together on this machine, so a newcomer sees entities arrive without a NAS or a broker.
 */
import { createServer, type Server, type Socket } from "node:net";
import { parseArgs } from "node:util";
import { Aedes } from "aedes";
import { createApp } from "../app.js";
import { loadConfig } from "../config/loadConfig.js";
import { createLogger } from "../log.js";
import { DEFAULT_SIM_API_KEY, SimulatorServer } from "../simulator/server.js";
import type { CommandIo } from "./io.js";

export const DEMO_HELP = `Usage: truenas2mqtt demo [--mqtt-port P] [--log-level LEVEL]

Run a simulated TrueNAS, an embedded MQTT broker and the bridge together. Point MQTT Explorer (or Home
Assistant's MQTT integration) at the printed broker address to see the entities. Stop with Ctrl-C.

Options:
  --mqtt-port P      broker port (default 0: a free port)
  --log-level LEVEL  bridge log level (default info)
  -h, --help         show this help
`;

async function startBroker(port: number): Promise<{ port: number; stop: () => Promise<void> }> {
  const aedes = await Aedes.createBroker();
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    aedes.handle(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    port: (server.address() as { port: number }).port,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
    },
  };
}

export async function demoCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      "mqtt-port": { type: "string", default: "0" },
      "log-level": { type: "string", default: "info" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    io.out(DEMO_HELP);
    return 0;
  }
  const sim = new SimulatorServer({ profile: "typical", version: "25.10" });
  await sim.start();
  const broker = await startBroker(Number(values["mqtt-port"]));
  const mqttUrl = `mqtt://127.0.0.1:${broker.port}`;
  const config = loadConfig({
    env: {
      TRUENAS_URL: sim.url,
      TRUENAS_API_KEY: DEFAULT_SIM_API_KEY,
      MQTT_URL: mqttUrl,
      HEALTH_PORT: "0",
      LOG_LEVEL: values["log-level"],
      // Pretty on a terminal unless LOG_FORMAT says otherwise.
      ...(io.env.LOG_FORMAT === undefined ? {} : { LOG_FORMAT: io.env.LOG_FORMAT }),
    },
  });
  const log = createLogger({ level: config.log.level, format: config.log.format, isTty: io.isTty });
  const app = createApp(config, { log, version: io.version });
  io.out(
    `truenas2mqtt demo\n  simulated TrueNAS: ${sim.url}\n  MQTT broker:       ${mqttUrl}  (point MQTT Explorer or Home Assistant here)\n\n`,
  );
  await app.start();
  const summary = setInterval(() => {
    const v = app.bridge.view;
    io.out(
      `[demo] ${v.configs.size} entities, ${v.states.size} state documents, ${app.publisher.stats.messages} MQTT messages so far\n`,
    );
  }, 10_000);
  await io.untilInterrupted();
  clearInterval(summary);
  const code = await app.stop();
  await broker.stop();
  await sim.stop();
  return code;
}
