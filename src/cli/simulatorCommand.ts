/**
 * `truenas2mqtt simulator`: serve a simulated TrueNAS on a local port, for trying the bridge, for the demo and
 * for other tools (MQTT Explorer users, the official TrueNAS Python client).
 */
import { parseArgs } from "node:util";
import { generateSelfSignedCert } from "../simulator/selfSignedCert.js";
import { DEFAULT_SIM_API_KEY, SimulatorServer } from "../simulator/server.js";
import { SIM_PROFILES, SIM_VERSIONS, type SimProfile, type SimVersion } from "../simulator/types.js";
import { UsageError, type CommandIo } from "./io.js";

export const SIMULATOR_HELP = `Usage: truenas2mqtt simulator [options]

Serve a simulated TrueNAS SCALE (JSON-RPC 2.0 over WebSocket) until interrupted.

Options:
  --port P          port to listen on (default 0: a free port)
  --host H          address to listen on (default 127.0.0.1)
  --profile NAME    world size: ${SIM_PROFILES.join("|")} (default typical)
  --version V       TrueNAS flavour: ${SIM_VERSIONS.join("|")} (default 25.10)
  --api-key KEY     the API key clients must use (default: a fixed simulator key, printed at start)
  --seed N          random seed for the world (default 1)
  --tls             serve wss:// with a throwaway CA (its path is printed)
  -h, --help        show this help
`;

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(", ")} (got "${value}")`);
}

function parseIntFlag(value: string, flag: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag} must be an integer from ${min} to ${max} (got "${value}")`);
  }
  return n;
}

/** Parse, start, print the URL, then resolve when `signal` aborts (after stopping the server). */
export async function simulatorCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string", default: "0" },
      host: { type: "string", default: "127.0.0.1" },
      profile: { type: "string", default: "typical" },
      version: { type: "string", default: "25.10" },
      "api-key": { type: "string" },
      seed: { type: "string", default: "1" },
      tls: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    io.out(SIMULATOR_HELP);
    return 0;
  }
  const profile = oneOf<SimProfile>(values.profile, SIM_PROFILES, "--profile");
  const version = oneOf<SimVersion>(values.version, SIM_VERSIONS, "--version");
  const port = parseIntFlag(values.port, "--port", 0, 65535);
  const seed = parseIntFlag(values.seed, "--seed", 0, 2 ** 31 - 1);
  const apiKey = values["api-key"] ?? DEFAULT_SIM_API_KEY;
  const cert = values.tls
    ? generateSelfSignedCert(["localhost"], ["127.0.0.1", "::1", values.host])
    : undefined;
  const sim = new SimulatorServer({
    host: values.host,
    port,
    profile,
    version,
    seed,
    apiKey,
    ...(cert ? { tls: { cert: cert.cert, key: cert.key } } : {}),
  });
  await sim.start();
  io.out(`truenas2mqtt simulator listening on ${sim.url}\n`);
  io.out(`  profile ${profile}, TrueNAS ${version}, API key ${apiKey}\n`);
  if (cert) io.out(`  CA certificate: ${cert.caPath}\n`);
  await io.untilInterrupted();
  await sim.stop();
  return 0;
}
