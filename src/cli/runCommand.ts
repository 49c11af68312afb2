/** `truenas2mqtt run` (the default command): the daemon. */
import { parseArgs } from "node:util";
import { createApp } from "../app.js";
import { loadConfig } from "../config/loadConfig.js";
import { createLogger } from "../log.js";
import type { CommandIo } from "./io.js";

export const RUN_HELP = `Usage: truenas2mqtt run [--config FILE]

Bridge a TrueNAS SCALE NAS to MQTT with Home Assistant discovery, until SIGTERM/SIGINT.
Configuration comes from the environment (TRUENAS_URL, TRUENAS_API_KEY, MQTT_URL, ...) and optionally a
JSON or YAML file (--config or CONFIG_FILE); see config/truenas2mqtt.example.yaml.

Options:
  --config FILE   configuration file (JSON or YAML)
  -h, --help      show this help
`;

export async function runCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { config: { type: "string" }, help: { type: "boolean", short: "h", default: false } },
    strict: true,
  });
  if (values.help) {
    io.out(RUN_HELP);
    return 0;
  }
  const config = loadConfig({ env: io.env, ...(values.config ? { configFile: values.config } : {}) });
  const log = createLogger({ level: config.log.level, format: config.log.format, isTty: io.isTty });
  const app = createApp(config, { log, version: io.version });
  await app.start();
  await io.untilInterrupted();
  return app.stop();
}
