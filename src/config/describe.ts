/**
 * How configuration problems name keys and show values: `mqtt.url (MQTT_URL)`, the value as JSON (cut when
 * long), and `"********"` for sensitive keys, so no message ever carries a secret.
 */
import { CONFIG_SCHEMA } from "./schema.js";

interface LeafInfo {
  env?: string;
  sensitive?: boolean;
  doc?: string;
}

/** Longest value text a problem shows; a 10,000-character value would bury the message. */
const SHOWN_MAX = 120;

function schemaNode(path: string): unknown {
  let node: unknown = CONFIG_SCHEMA;
  for (const part of path.split(".")) {
    const parent = node as Record<string, unknown> | undefined;
    node = parent !== undefined && Object.hasOwn(parent, part) ? parent[part] : undefined;
  }
  return node;
}

export function leafInfo(path: string): LeafInfo {
  const node = schemaNode(path);
  return typeof node === "object" && node !== null ? node : {};
}

/** A schema leaf (an option), as opposed to a section or an unknown path. */
export function isLeaf(node: unknown): boolean {
  return typeof (node as LeafInfo | undefined)?.doc === "string";
}

/** `mqtt.url (MQTT_URL)` */
export function keyName(path: string): string {
  const env = leafInfo(path).env;
  return env ? `${path} (${env})` : path;
}

/** The value as a problem shows it: masked when the key is sensitive, cut when long. */
export function shown(path: string, value: unknown): string {
  if (leafInfo(path).sensitive) return '"********"';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > SHOWN_MAX ? `${text.slice(0, SHOWN_MAX)}… (${text.length} characters)` : text;
}

/** What kind of value, without the value: for places where any part of it could be a secret. */
export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "a mapping" : `a ${typeof value}`;
}
