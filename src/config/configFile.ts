/**
 * The config file (JSON, or YAML by extension), read and shape-checked before convict sees it:
 * - Parse errors give the line and column only. JSON.parse quotes the text around the error and the YAML
 *   parser prints the offending line, and that line can be the API key's.
 * - An empty file is an empty configuration; a file that is not a mapping is one clear problem.
 * - A section that is not a mapping and an option given a mapping become one problem naming the key. Convict
 *   would report "missing from config, did you override its parent?" for each option of the section, or
 *   throw a TypeError on a null section (YAML `mqtt:` with every option commented out, which is read here
 *   as an empty section).
 */
import { readFileSync, statSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { ConfigError } from "./configError.js";
import { isLeaf, keyName, kindOf, shown } from "./describe.js";
import { CONFIG_SCHEMA } from "./schema.js";

type Mapping = Record<string, unknown>;

function isMapping(v: unknown): v is Mapping {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** 1-based line and column of a character offset. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, Math.max(0, offset));
  const line = before.split("\n").length;
  return `line ${line}, column ${offset - before.lastIndexOf("\n")}`;
}

function parseProblem(err: unknown, text: string, yaml: boolean): string {
  if (yaml) {
    const e = err as { message?: string; pos?: [number, number] };
    // prettyErrors off: the message is the parser's reason alone, without the line it quotes otherwise.
    const reason = String(e.message ?? "cannot be parsed").split("\n")[0] ?? "";
    return `not valid YAML: ${reason}${e.pos ? ` (${lineColumn(text, e.pos[0])})` : ""}`;
  }
  const position = /at position (\d+)/.exec(String((err as Error).message));
  return `not valid JSON${position ? ` (${lineColumn(text, Number(position[1]))})` : ""}`;
}

/**
 * A small regular file's text, or why it cannot be read (`(ENOENT)`). Only regular files up to `maxBytes` are
 * read: a FIFO would block the read forever and /dev/zero would never end.
 */
export function readSmallFile(path: string, maxBytes: number): { text: string } | { why: string } {
  const code = (err: unknown): string => `(${(err as NodeJS.ErrnoException).code ?? "error"})`;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return { why: "(not a regular file)" };
    if (stat.size > maxBytes) return { why: `(larger than ${Math.round(maxBytes / 1024)} KiB)` };
    return { text: readFileSync(path, "utf8") };
  } catch (err) {
    return { why: code(err) };
  }
}

/** A configuration is a few kilobytes; anything near this is not one. */
const CONFIG_FILE_MAX = 1024 * 1024;

function parseFile(file: string): unknown {
  const read = readSmallFile(file, CONFIG_FILE_MAX);
  if ("why" in read) throw new ConfigError([`config file ${file}: cannot read it ${read.why}`]);
  const { text } = read;
  const yaml = /\.ya?ml$/i.test(file);
  try {
    return yaml ? parseYaml(text, { prettyErrors: false }) : JSON.parse(text);
  } catch (err) {
    throw new ConfigError([`config file ${file}: ${parseProblem(err, text, yaml)}`]);
  }
}

/** Keys that would reach an object's prototype rather than hold an option. */
const PROTOTYPE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

function checkSection(value: Mapping, schema: Mapping, path: string[], problems: string[]): Mapping {
  const out: Mapping = {};
  for (const [key, v] of Object.entries(value)) {
    const at = [...path, key].join(".");
    if (PROTOTYPE_KEYS.has(key)) {
      problems.push(`${at}: unknown option (see config/truenas2mqtt.example.yaml)`);
      continue;
    }
    const node = Object.hasOwn(schema, key) ? schema[key] : undefined;
    // Unknown keys stay for convict's strict validation, which names them.
    if (node === undefined || isLeaf(node)) {
      if (node !== undefined && isMapping(v)) {
        problems.push(`${keyName(at)}: must be a single value, not a mapping; got ${shown(at, v)}`);
      } else out[key] = v;
    } else if (isMapping(v)) out[key] = checkSection(v, node as Mapping, [...path, key], problems);
    else if (v !== null) problems.push(`${at}: must be a mapping of options; got ${kindOf(v)}`);
  }
  return out;
}

/** The file's settings with wrongly shaped entries left out, and a problem for each of those. */
export function readConfigFile(file: string): { settings: Mapping; problems: string[] } {
  const parsed = parseFile(file);
  if (parsed === null || parsed === undefined) return { settings: {}, problems: [] };
  if (!isMapping(parsed)) {
    throw new ConfigError([
      `config file ${file}: must be a mapping of options (a JSON object or YAML mapping); got ${kindOf(parsed)}`,
    ]);
  }
  const problems: string[] = [];
  const settings = checkSection(parsed, CONFIG_SCHEMA, [], problems);
  return { settings, problems };
}
