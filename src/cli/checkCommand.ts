/**
 * `truenas2mqtt check`: what a user runs first. Validates the configuration, logs in to TrueNAS once, tries
 * every enabled method group once, and connects to the MQTT broker once; bounded in time (~20 s), short output.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import mqtt from "mqtt";
import type { AppConfig } from "../config/loadConfig.js";
import { loadConfig } from "../config/loadConfig.js";
import { GROUPS } from "../groups/index.js";
import { redactUrl } from "../mqtt/publisher.js";
import type { CommandIo } from "./io.js";
import {
  describeProblem,
  fetchGroupOnce,
  openNasSession,
  probeLogger,
  withDeadline,
  type NasSessionInfo,
} from "./nasProbe.js";

export const CHECK_HELP = `Usage: truenas2mqtt check [--config FILE]

Check the configuration, the TrueNAS connection and API key, which method groups this NAS and key allow,
and the MQTT broker connection. Takes at most about 20 seconds. Exit code 0 when TrueNAS and MQTT both
work (groups that are not available are only reported), 1 otherwise, 2 for an invalid configuration.

Options:
  --config FILE   configuration file (JSON or YAML), as for \`run\`
  -h, --help      show this help
`;

const TRUENAS_TIMEOUT_MS = 10_000;
const GROUPS_TIMEOUT_MS = 6_000;
const MQTT_TIMEOUT_MS = 4_000;

/** `  pools               available` */
function groupLine(name: string, text: string): string {
  return `    ${name.padEnd(18)} ${text}\n`;
}

async function checkGroups(session: NasSessionInfo, config: AppConfig, io: CommandIo): Promise<void> {
  const enabled = GROUPS.filter((g) => config.poll[g.name].kind !== "off");
  const outcomes = await Promise.all(
    enabled.map((g) => fetchGroupOnce(g, session, config, GROUPS_TIMEOUT_MS)),
  );
  io.out("  groups:\n");
  enabled.forEach((g, i) => {
    const o = outcomes[i];
    if (o) io.out(groupLine(g.name, o.status === "ok" ? "available" : describeProblem(o)));
  });
  for (const g of GROUPS.filter((g) => config.poll[g.name].kind === "off")) {
    io.out(groupLine(g.name, `off (POLL_${g.name.toUpperCase()}=off)`));
  }
}

/** Returns the failure reason, or undefined when the session and login worked. */
async function checkTrueNas(config: AppConfig, io: CommandIo): Promise<string | undefined> {
  io.out(`TrueNAS  ${config.truenas.url}\n`);
  let session: NasSessionInfo;
  try {
    session = await openNasSession(config, {
      log: probeLogger(io.env, config),
      timeoutMs: TRUENAS_TIMEOUT_MS,
      groups: [],
    });
  } catch (err) {
    const reason = (err as Error).message;
    io.out(`  FAIL  ${reason}\n`);
    return reason;
  }
  try {
    io.out(
      `  ok    API key accepted; TrueNAS ${session.version.raw}, host ${session.nas.hostname} (${session.nas.id})\n`,
    );
    await checkGroups(session, config, io);
    return undefined;
  } finally {
    await session.client.stop();
  }
}

/** Returns the failure reason, or undefined when the broker accepted the connection. */
async function checkMqtt(config: AppConfig, io: CommandIo): Promise<string | undefined> {
  const m = config.mqtt;
  io.out(`MQTT     ${redactUrl(m.url)}\n`);
  // Never the daemon's own client id: the broker would disconnect a running bridge.
  const clientId = `truenas2mqtt_check_${randomBytes(4).toString("hex")}`;
  const connecting = mqtt.connectAsync(
    m.url,
    {
      clientId,
      ...(m.username ? { username: m.username } : {}),
      ...(m.password ? { password: m.password } : {}),
      reconnectPeriod: 0,
      connectTimeout: MQTT_TIMEOUT_MS,
    },
    false,
  );
  try {
    const client = await withDeadline(connecting, MQTT_TIMEOUT_MS + 1000, `MQTT broker ${redactUrl(m.url)}`);
    await client.endAsync().catch(() => undefined);
    io.out(`  ok    connected${m.username ? ` as ${m.username}` : ""}, broker accepted the connection\n`);
    return undefined;
  } catch (err) {
    connecting.then(
      (c) => c.end(true),
      () => undefined,
    );
    const message = (err as Error).message || String(err);
    io.out(`  FAIL  ${message}\n`);
    return message;
  }
}

export async function checkCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { config: { type: "string" }, help: { type: "boolean", short: "h", default: false } },
    strict: true,
  });
  if (values.help) {
    io.out(CHECK_HELP);
    return 0;
  }
  const config = loadConfig({ env: io.env, ...(values.config ? { configFile: values.config } : {}) });
  const truenas = await checkTrueNas(config, io);
  const broker = await checkMqtt(config, io);
  const problems = [...(truenas ? [`TrueNAS: ${truenas}`] : []), ...(broker ? [`MQTT: ${broker}`] : [])];
  if (problems.length === 0) {
    io.out("check passed\n");
    return 0;
  }
  io.out(`check failed:\n${problems.map((p) => `  - ${p}\n`).join("")}`);
  return 1;
}
