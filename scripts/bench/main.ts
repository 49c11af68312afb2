/**
 * `npm run bench [-- --profile typical|large] [--json out.json] [--readme] [--quick] [--cpu-prof DIR]`: measures the bridge
 * end to end (simulator + real broker + the bridge as its own process) and checks the figures against the
 * targets of the performance issue. Prints a table; writes JSON; --readme rewrites the README's table.
 */
import { cpus, totalmem, release } from "node:os";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as prettier from "prettier";
import type { SimProfile } from "../../src/simulator/types.js";
import { dependencyFloor } from "./floors.js";
import { runProfile, type ProfileResult } from "./profile.js";
import { renderMarkdown, targetChecks } from "./report.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

interface Args {
  profiles: SimProfile[];
  json: string | undefined;
  readme: boolean;
  quick: boolean;
  cpuProf: string | undefined;
  nodeOptions: string | undefined;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    profiles: ["typical", "large"],
    json: undefined,
    readme: false,
    quick: false,
    cpuProf: undefined,
    nodeOptions: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--profile") {
      const p = argv[++i];
      if (p !== "typical" && p !== "large" && p !== "small")
        throw new Error(`--profile: typical, large or small, not ${p}`);
      args.profiles = [p];
    } else if (a === "--json") args.json = argv[++i];
    else if (a === "--readme") args.readme = true;
    else if (a === "--quick") args.quick = true;
    else if (a === "--cpu-prof") args.cpuProf = argv[++i];
    else if (a === "--node-options") args.nodeOptions = argv[++i] ?? "";
    else
      throw new Error(
        `unknown option ${a} (--profile, --json, --readme, --quick, --cpu-prof DIR, --node-options OPTS)`,
      );
  }
  return args;
}

export interface BenchReport {
  date: string;
  machine: { cpu: string; cores: number; memoryGiB: number; node: string; kernel: string };
  floor: { rss: number; heapUsed: number };
  profiles: ProfileResult[];
}

/** The NODE_OPTIONS the container image runs the bridge with (Dockerfile `ENV NODE_OPTIONS=...`), if any. */
function containerNodeOptions(): string {
  const m = /^ENV NODE_OPTIONS="?([^"\n]*)"?$/m.exec(readFileSync(`${ROOT}/Dockerfile`, "utf8"));
  return m?.[1]?.trim() ?? "";
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const log = (line: string): void =>
    void process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0)} s] ${line}\n`);
  const floor = dependencyFloor(ROOT);
  const profiles: ProfileResult[] = [];
  for (const profile of args.profiles) {
    profiles.push(
      await runProfile({
        root: ROOT,
        profile,
        memoryCycles: args.quick ? 50 : profile === "large" ? 100 : 1000,
        mutations: args.quick ? 24 : 120,
        log,
        nodeOptions: args.nodeOptions ?? containerNodeOptions(),
        ...(args.cpuProf ? { cpuProfileDir: args.cpuProf } : {}),
      }),
    );
  }
  const report: BenchReport = {
    date: new Date().toISOString(),
    machine: {
      cpu: cpus()[0]?.model ?? "unknown",
      cores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      kernel: release(),
    },
    floor,
    profiles,
  };
  const markdown = renderMarkdown(report);
  process.stdout.write(`${markdown}\n`);
  if (args.json) writeFileSync(args.json, `${JSON.stringify(report, null, 2)}\n`);
  if (args.readme) {
    const readme = `${ROOT}/README.md`;
    const text = readFileSync(readme, "utf8");
    const start = "<!-- bench:start -->";
    const end = "<!-- bench:end -->";
    const [a, b] = [text.indexOf(start), text.indexOf(end)];
    if (a < 0 || b < a) throw new Error(`README.md has no ${start} … ${end} block`);
    const updated = `${text.slice(0, a + start.length)}\n\n${markdown}\n\n${text.slice(b)}`;
    const options = (await prettier.resolveConfig(readme)) ?? {};
    writeFileSync(readme, await prettier.format(updated, { ...options, filepath: readme }));
  }
  log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return targetChecks(report).every((c) => c.ok) ? 0 : 1;
}

process.exitCode = await main();
