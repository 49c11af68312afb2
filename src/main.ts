#!/usr/bin/env node
/**
 * The process entry: picks the command, wires it to the real process (stdout, signals, exit code).
 * Nothing below this file reads process.env or calls process.exit (architecture.md, rule 2).
 */
import { readFileSync } from "node:fs";
import { UsageError, type CommandIo } from "./cli/io.js";
import { ConfigError } from "./config/configError.js";

const HELP = `Usage: truenas2mqtt <command> [options]

Commands:
  run         bridge a NAS to MQTT (the default)
  check       check the configuration, the TrueNAS API key, the groups it allows and the MQTT broker
  dump        poll every group once and print the objects, state documents and entities
  demo        a simulated NAS, an embedded broker and the bridge, wired together
  simulator   serve a simulated TrueNAS SCALE for testing and demos

Options:
  -h, --help      show help (also: truenas2mqtt <command> --help)
  -v, --version   print the version
`;

interface Command {
  run: (argv: string[], io: CommandIo) => Promise<number>;
  help: string;
}

/**
 * Each command is loaded only when it runs: `run` then never loads the simulator, the embedded broker or the
 * other commands, which was a third of its start-up (npm run bench: start-up to complete discovery).
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => {
    const m = await import("./cli/runCommand.js");
    return { run: m.runCommand, help: m.RUN_HELP };
  },
  check: async () => {
    const m = await import("./cli/checkCommand.js");
    return { run: m.checkCommand, help: m.CHECK_HELP };
  },
  dump: async () => {
    const m = await import("./cli/dumpCommand.js");
    return { run: m.dumpCommand, help: m.DUMP_HELP };
  },
  demo: async () => {
    const m = await import("./cli/demoCommand.js");
    return { run: m.demoCommand, help: m.DEMO_HELP };
  },
  simulator: async () => {
    const m = await import("./cli/simulatorCommand.js");
    return { run: m.simulatorCommand, help: m.SIMULATOR_HELP };
  },
};

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

function processIo(): CommandIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
    version: packageVersion(),
    isTty: process.stdout.isTTY === true,
    untilInterrupted: () =>
      new Promise((resolve) => {
        process.once("SIGINT", () => resolve());
        process.once("SIGTERM", () => resolve());
      }),
  };
}

async function main(argv: string[]): Promise<number> {
  const io = processIo();
  const [first, ...others] = argv;
  // `run` is the default command: `truenas2mqtt` and `truenas2mqtt --config x.yaml` run the daemon.
  const [command, rest] = first === undefined || first.startsWith("--c") ? ["run", argv] : [first, others];
  if (command === "-h" || command === "--help" || command === "help") {
    io.out(HELP);
    return 0;
  }
  if (command === "-v" || command === "--version") {
    io.out(`${packageVersion()}\n`);
    return 0;
  }
  const load = COMMANDS[command];
  if (!load) {
    io.err(`truenas2mqtt: unknown command "${command}"\n\n${HELP}`);
    return 2;
  }
  const entry = await load();
  try {
    return await entry.run(rest, io);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.err(`truenas2mqtt: ${err.message}\n`);
      return 2;
    }
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.err(`truenas2mqtt ${command}: ${(err as Error).message}\n\n${entry.help}`);
      return 2;
    }
    // A system error (a port in use, an address that does not resolve) is the user's to fix: say what and
    // where, without a stack trace. Anything else is a bug: keep the stack for the report.
    const sys = err as { code?: unknown; syscall?: unknown; message?: unknown };
    if (typeof sys.code === "string" && typeof sys.syscall === "string") {
      io.err(`truenas2mqtt ${command}: ${String(sys.message)}\n`);
      return 1;
    }
    io.err(`truenas2mqtt ${command}: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // A bounded exit: if a handle keeps the loop alive after shutdown, do not hang the container.
    setTimeout(() => process.exit(code), 5000).unref();
  },
  (err: unknown) => {
    process.stderr.write(`truenas2mqtt: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
