/**
 * Shared steps of the group tests: poll a group against a
 * simulated NAS in-process (recording calls), publish the snapshot through the registry after the NAS device
 * is seeded the way NasBridge #seedNasDevice does, and validate every discovery config in project mode.
 */
import { expect } from "vitest";
import { makeNasIdentity, NAS_DEVICE } from "../../src/entities/ids.js";
import type { GroupSnapshot } from "../../src/entities/model.js";
import type { GroupDefinition } from "../../src/groups/group.js";
import type { SimWorld } from "../../src/simulator/nas/world.js";
import { parseVersion } from "../../src/truenas/version.js";
import { publishCheck } from "./publishCheck.js";
import { worldCall } from "./worldCall.js";

export const NAS = makeNasIdentity({ hostId: "f3a9c2d1", hostname: "nas01" });
export const OPTIONS = { datasets: { include: [], exclude: [], maxDepth: 1 } };
const SYSTEM = { kind: "system", id: "system" };
export type CallLog = Array<{ method: string; params: readonly unknown[] }>;

export async function pollGroup<R>(
  group: GroupDefinition<R>,
  world: SimWorld,
  calls?: CallLog,
): Promise<GroupSnapshot> {
  const version = parseVersion(String(world.state.info.version));
  const raw = await group.fetch({ call: worldCall(world, calls), version, options: OPTIONS });
  return group.normalise(raw, { nas: NAS, version, options: OPTIONS });
}

/** Registry issues and HA validator problems of one snapshot published after the NAS device. */
export function publishProblems(snapshot: GroupSnapshot): { issues: string[]; problems: string[] } {
  // One entity on the NAS device (the system group's, as in the bridge), so child devices' via_device
  // points at a device of the validated set.
  const system: GroupSnapshot = {
    group: "system",
    devices: [],
    objects: [{ ref: SYSTEM, device: NAS_DEVICE, doc: { version: "25.10.0" } }],
    entities: [{ component: "sensor", key: "version", name: "Version", field: "version", object: SYSTEM }],
  };
  const { issues, problems } = publishCheck(NAS, [system, snapshot]);
  return { issues: [...issues], problems: [...problems] };
}

/** No NaN or undefined anywhere in documents or attributes (nested values included). */
export function expectClean(snapshot: GroupSnapshot): void {
  const walk = (v: unknown): void => {
    expect(v === undefined || (typeof v === "number" && !Number.isFinite(v))).toBe(false);
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === "object" && !(v instanceof Date)) Object.values(v).forEach(walk);
  };
  for (const o of snapshot.objects) {
    walk(o.doc);
    if (o.attributes !== undefined) walk(o.attributes);
  }
}
