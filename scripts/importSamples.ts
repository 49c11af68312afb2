/**
 * Builds src/simulator/nas/typicalData.json from ../shared/docs/truenas-samples (the reference NAS "nas01"),
 * so the simulator's typical world is those exact objects and the project runs without ../shared.
 * Run: npx tsx scripts/importSamples.ts [samplesDir]
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2] ?? new URL("../../shared/docs/truenas-samples/", import.meta.url).pathname;
const out: Record<string, unknown> = {};
for (const file of readdirSync(dir).sort()) {
  if (!file.endsWith(".json")) continue;
  const envelope = JSON.parse(readFileSync(join(dir, file), "utf8")) as { result?: unknown };
  out[file.replace(/\.json$/, "")] = envelope.result;
}
for (const file of readdirSync(join(dir, "events")).sort()) {
  const envelope = JSON.parse(readFileSync(join(dir, "events", file), "utf8")) as { params?: unknown };
  out[`event:${file.replace(/\.event\.json$|\.json$/, "")}`] = envelope.params;
}
const target = new URL("../src/simulator/nas/typicalData.json", import.meta.url);
writeFileSync(target, `${JSON.stringify(out)}\n`);
process.stdout.write(`wrote ${Object.keys(out).length} entries to ${target.pathname}\n`);
