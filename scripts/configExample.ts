/**
 * Writes config/truenas2mqtt.example.yaml from the convict schema (the single source of truth): every key,
 * its documentation, environment variable and default. `--check` exits 1 when the file is stale (CI).
 * Run: npx tsx scripts/configExample.ts [--check]
 */
import { readFileSync, writeFileSync } from "node:fs";
import { stringify } from "yaml";
import { CONFIG_SCHEMA } from "../src/config/schema.js";

interface Leaf {
  doc: string;
  default: unknown;
  env?: string;
  sensitive?: boolean;
}

function isLeaf(node: unknown): node is Leaf {
  return typeof node === "object" && node !== null && typeof (node as Leaf).doc === "string";
}

function render(node: Record<string, unknown>, indent: string): string[] {
  const lines: string[] = [];
  for (const [key, child] of Object.entries(node)) {
    if (isLeaf(child)) {
      lines.push(`${indent}# ${child.doc}`);
      lines.push(
        `${indent}# env: ${child.env ?? "-"}${child.sensitive ? " (secret: prefer the _FILE variant)" : ""}`,
      );
      const value = stringify(child.default, { lineWidth: 0 }).trim();
      lines.push(`${indent}${key}: ${value === "" ? '""' : value}`);
    } else {
      lines.push(`${indent}${key}:`);
      lines.push(...render(child as Record<string, unknown>, `${indent}  `));
    }
  }
  return lines;
}

const text = [
  "# truenas2mqtt example configuration (generated from src/config/schema.ts by scripts/configExample.ts).",
  "# Every key is optional except truenas.url and an API key. Environment variables override this file.",
  "# Point CONFIG_FILE (or --config) at your copy.",
  ...render(CONFIG_SCHEMA, ""),
  "",
].join("\n");

const target = new URL("../config/truenas2mqtt.example.yaml", import.meta.url);
if (process.argv.includes("--check")) {
  const current = readFileSync(target, "utf8");
  if (current !== text) {
    process.stderr.write("config/truenas2mqtt.example.yaml is stale: run npx tsx scripts/configExample.ts\n");
    process.exitCode = 1;
  }
} else {
  writeFileSync(target, text);
}
