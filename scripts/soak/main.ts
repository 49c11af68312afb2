/**
 * `npm run soak`: the accelerated soak (runSoak in soak.ts) with a summary on stdout; exits 1 when a check
 * fails, 2 on bad arguments.
 *
 *   npm run soak -- [--cycles 10000] [--seed N] [--json out.json] [--speed 50] [--fault-rate 0.02]
 *                   [--mutation-rate 0.3] [--warmup 200] [--version 25.10] [--log-level silent] [--aedes]
 */
import { randomInt } from "node:crypto";
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { SIM_VERSIONS, type SimVersion } from "../../src/simulator/types.js";
import { renderSummary } from "./report.js";
import { runSoak, type SoakOptions } from "./soak.js";

function options(argv: string[]): SoakOptions & { json?: string } {
  const { values } = parseArgs({
    args: argv,
    options: {
      cycles: { type: "string", default: "10000" },
      seed: { type: "string" },
      json: { type: "string" },
      speed: { type: "string" },
      "fault-rate": { type: "string" },
      "mutation-rate": { type: "string" },
      warmup: { type: "string" },
      version: { type: "string", default: "25.10" },
      "log-level": { type: "string" },
      aedes: { type: "boolean", default: false },
    },
    strict: true,
  });
  const num = (name: string, v: string | undefined, min: number, max: number): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max)
      throw new Error(`--${name} must be a number in [${min}, ${max}]`);
    return n;
  };
  const version = values.version as SimVersion;
  if (!SIM_VERSIONS.includes(version)) throw new Error(`--version must be one of ${SIM_VERSIONS.join(", ")}`);
  const opt = <T>(key: string, v: T | undefined): Record<string, T> => (v === undefined ? {} : { [key]: v });
  return {
    cycles: Math.floor(num("cycles", values.cycles, 1, 10_000_000) ?? 10_000),
    seed: Math.floor(num("seed", values.seed, 0, 2 ** 32 - 1) ?? randomInt(2 ** 32 - 1)),
    version,
    aedes: values.aedes === true,
    ...opt("json", values.json),
    ...opt("speed", num("speed", values.speed, 1, 1000)),
    ...opt("faultRate", num("fault-rate", values["fault-rate"], 0, 1)),
    ...opt("mutationRate", num("mutation-rate", values["mutation-rate"], 0, 1)),
    ...opt("warmupCycles", num("warmup", values.warmup, 0, 10_000_000)),
    ...opt("logLevel", values["log-level"]),
  };
}

async function main(): Promise<number> {
  let opts: ReturnType<typeof options>;
  try {
    opts = options(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`soak: ${(err as Error).message}\n`);
    return 2;
  }
  const every = Math.max(1, Math.floor(opts.cycles / 10));
  process.stdout.write(`soak: seed ${opts.seed} (replay with --seed ${opts.seed}), ${opts.cycles} cycles\n`);
  const result = await runSoak({
    ...opts,
    onProgress: (cycle, { faults, mutations }) => {
      if (cycle % every === 0)
        process.stdout.write(`  cycle ${cycle}: ${faults} faults, ${mutations} mutations\n`);
    },
  });
  process.stdout.write(`${renderSummary(result)}\n`);
  if (opts.json) writeFileSync(opts.json, `${JSON.stringify(result, null, 2)}\n`);
  return result.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`soak: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
