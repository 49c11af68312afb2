/**
 * `truenas2mqtt dump`: one poll of every enabled method group, printed as the bridge would see it (objects,
 * their state documents, and each entity with the value it reads), for "why is my entity missing?".
 * No MQTT at all.
 */
import { parseArgs } from "node:util";
import type { AppConfig } from "../config/loadConfig.js";
import { loadConfig } from "../config/loadConfig.js";
import type { EntitySpec, GroupSnapshot, ObjectState } from "../entities/model.js";
import { normaliseDoc, type JsonValue } from "../entities/stateDoc.js";
import { GROUPS } from "../groups/index.js";
import type { CommandIo } from "./io.js";
import {
  describeProblem,
  fetchGroupOnce,
  openNasSession,
  probeLogger,
  ProbeError,
  waitForSources,
  type NasSessionInfo,
} from "./nasProbe.js";

export const DUMP_HELP = `Usage: truenas2mqtt dump [--config FILE] [--json]

Poll every enabled method group once and print what the bridge would publish: each group's objects with
their state documents, and each entity with the value it reads from its document. Needs only the TrueNAS
settings (no MQTT). Exit code 1 when TrueNAS cannot be reached or refuses the API key.

Options:
  --config FILE   configuration file (JSON or YAML), as for \`run\`
  --json          one JSON document: {version, nas, groups: {<group>: {objects, entities, error?}}}
  -h, --help      show this help
`;

const CONNECT_TIMEOUT_MS = 15_000;
const GROUP_TIMEOUT_MS = 15_000;
/** How long to wait for the first payload of event sources (reporting.realtime comes every 2 s). */
const SOURCE_WAIT_MS = 3_000;

interface DumpObject {
  readonly kind: string;
  readonly id: string;
  readonly device: string;
  readonly doc: JsonValue;
  readonly attributes?: JsonValue;
}

type DumpEntity = EntitySpec & { readonly value: JsonValue };

interface DumpGroup {
  objects: DumpObject[];
  entities: DumpEntity[];
  error?: string;
}

function pick(doc: JsonValue | undefined, path: string): JsonValue {
  let node: JsonValue | undefined = doc;
  for (const part of path.split(".")) {
    node = node !== null && typeof node === "object" && !Array.isArray(node) ? node[part] : undefined;
  }
  return node ?? null;
}

/** The value an entity shows: its field, or for update entities {installed, latest}; null for buttons. */
function entityValue(e: EntitySpec, doc: JsonValue | undefined): JsonValue {
  switch (e.component) {
    case "update":
      return { installed: pick(doc, e.installedField), latest: pick(doc, e.latestField) };
    case "button":
      return null;
    default:
      return pick(doc, e.field);
  }
}

function objectKey(ref: { kind: string; id: string }): string {
  return `${ref.kind}\u0000${ref.id}`;
}

function dumpSnapshot(snapshot: GroupSnapshot): DumpGroup {
  const objects = snapshot.objects.map((o: ObjectState): DumpObject => ({
    kind: o.ref.kind,
    id: o.ref.id,
    device: o.device,
    doc: normaliseDoc(o.doc),
    ...(o.attributes ? { attributes: normaliseDoc(o.attributes) } : {}),
  }));
  const docs = new Map(objects.map((o) => [objectKey(o), o.doc]));
  const entities = snapshot.entities.map((e): DumpEntity => ({
    ...e,
    value: entityValue(e, docs.get(objectKey(e.object))),
  }));
  return { objects, entities };
}

async function pollAll(session: NasSessionInfo, config: AppConfig): Promise<Record<string, DumpGroup>> {
  const enabled = GROUPS.filter((g) => config.poll[g.name].kind !== "off");
  await waitForSources(session, enabled, SOURCE_WAIT_MS);
  const outcomes = await Promise.all(
    enabled.map((g) => fetchGroupOnce(g, session, config, GROUP_TIMEOUT_MS)),
  );
  const groups: Record<string, DumpGroup> = {};
  enabled.forEach((g, i) => {
    const o = outcomes[i];
    if (!o) return;
    if (o.status !== "ok") {
      groups[g.name] = { objects: [], entities: [], error: describeProblem(o) };
      return;
    }
    try {
      const ctx = { nas: session.nas, version: session.version, options: { datasets: config.datasets } };
      groups[g.name] = dumpSnapshot(g.normalise(o.raw, ctx));
    } catch (err) {
      groups[g.name] = { objects: [], entities: [], error: `normalise failed (${(err as Error).message})` };
    }
  });
  return groups;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function objectTitle(o: DumpObject): string {
  const name = pick(o.doc, "name");
  return typeof name === "string" && name !== o.id ? `${o.kind} ${o.id} "${name}"` : `${o.kind} ${o.id}`;
}

function entityLine(e: DumpEntity): string {
  const name = e.name ?? "(device name)";
  const where =
    e.component === "update" ? `${e.installedField}/${e.latestField}` : "field" in e ? e.field : "";
  const inverted = e.component === "binary_sensor" && e.invert ? ", inverted" : "";
  return `    ${name} [${e.component}${where ? ` ${where}` : ""}${inverted}] = ${JSON.stringify(e.value)}\n`;
}

function renderText(session: NasSessionInfo, groups: Record<string, DumpGroup>, config: AppConfig): string {
  const { nas, version } = session;
  let out = `TrueNAS ${version.raw}, host ${nas.hostname} (${nas.id})\n`;
  for (const [name, g] of Object.entries(groups)) {
    out += `\n${name}: `;
    if (g.error !== undefined) {
      out += `${g.error}\n`;
      continue;
    }
    out += `${plural(g.objects.length, "object")}, ${plural(g.entities.length, "entity").replace(/entitys$/, "entities")}\n`;
    for (const o of g.objects) {
      out += `  ${objectTitle(o)}\n`;
      for (const e of g.entities.filter((e) => objectKey(e.object) === objectKey(o))) out += entityLine(e);
      const doc = JSON.stringify(o.doc);
      out += `    document: ${doc.length > 400 ? `${doc.slice(0, 400)}…` : doc}\n`;
    }
    const orphans = g.entities.filter((e) => !g.objects.some((o) => objectKey(o) === objectKey(e.object)));
    for (const e of orphans) out += `  (no document for ${e.object.kind} ${e.object.id})\n${entityLine(e)}`;
  }
  const off = GROUPS.filter((g) => config.poll[g.name].kind === "off").map((g) => g.name);
  if (off.length > 0) out += `\npolling off: ${off.join(", ")}\n`;
  return out;
}

export async function dumpCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    io.out(DUMP_HELP);
    return 0;
  }
  const config = loadConfig({ env: io.env, ...(values.config ? { configFile: values.config } : {}) });
  const enabled = GROUPS.filter((g) => config.poll[g.name].kind !== "off");
  let session: NasSessionInfo;
  try {
    session = await openNasSession(config, {
      log: probeLogger(io.env, config),
      timeoutMs: CONNECT_TIMEOUT_MS,
      groups: enabled,
    });
  } catch (err) {
    if (!(err instanceof ProbeError)) throw err;
    io.err(`truenas2mqtt dump: ${err.message}\n`);
    return 1;
  }
  try {
    const groups = await pollAll(session, config);
    if (values.json) {
      const doc = { version: session.version.raw, nas: session.nas, groups };
      io.out(`${JSON.stringify(doc, null, 2)}\n`);
    } else {
      io.out(renderText(session, groups, config));
    }
    return 0;
  } finally {
    await session.client.stop();
  }
}
