/**
 * The property-test rig of the normalisers: a simulated NAS whose every answer goes through a mutation plan in its
 * wire form (so odd extended-JSON wrappers decode the way the client decodes them), and the checks each snapshot
 * must pass whatever it was made from.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NAS_DEVICE } from "../../src/entities/ids.js";
import { normaliseDoc } from "../../src/entities/stateDoc.js";
import type { DeviceSpec, GroupSnapshot } from "../../src/entities/model.js";
import type { CallFn, GroupDefinition } from "../../src/groups/group.js";
import { toJsonRpcError } from "../../src/simulator/rpcErrors.js";
import { SimWorld } from "../../src/simulator/nas/world.js";
import { decodeEjson, parseEjson, stringifyEjson } from "../../src/truenas/ejson.js";
import { rpcErrorFrom, TrueNasRpcError } from "../../src/truenas/errors.js";
import { parseVersion } from "../../src/truenas/version.js";
import { applyPlan, mutationPlan, type Json, type MutationStep } from "../support/arbitraries.js";
import { expectClean, NAS, OPTIONS } from "../support/groupHarness.js";
import { publishCheck } from "../support/publishCheck.js";

/** Calls one fetch makes at most (pools: 2, updates: 3, disk temperatures: 3). */
const MAX_CALLS = 4;

/** A real answer in its wire form: what the client's JSON.parse sees before decoding. */
export function wireOf(value: unknown): Json {
  return JSON.parse(stringifyEjson(value) ?? "null") as Json;
}

/** Like worldCall, but call n's answer goes through plans[n] (none: as the NAS sent it). */
export function hostileCall(world: SimWorld, plans: readonly (readonly MutationStep[])[]): CallFn {
  let n = 0;
  return <T>(method: string, params: readonly unknown[] = []): Promise<T> => {
    const plan = plans[n] ?? [];
    n += 1;
    const handler = world.methods().get(method);
    if (!handler)
      return Promise.reject(rpcErrorFrom(method, { code: -32601, message: "Method does not exist" }));
    try {
      const args = parseEjson(stringifyEjson(params)) as unknown[];
      const answer = wireOf(handler(args, { messageId: 1, username: "test" }));
      return Promise.resolve(decodeEjson(applyPlan(answer, plan)) as T);
    } catch (err) {
      return Promise.reject(rpcErrorFrom(method, toJsonRpcError(err)));
    }
  };
}

/** One HA device per device key the snapshot uses but does not declare (pools for datasets, disks for temps). */
function hostDevices(snapshot: GroupSnapshot): GroupSnapshot {
  const declared = new Set(snapshot.devices.map((d) => d.key));
  const keys = new Set<string>();
  for (const o of snapshot.objects) keys.add(o.device);
  for (const e of snapshot.entities) if (e.device !== undefined) keys.add(e.device);
  const devices: DeviceSpec[] = [...keys]
    .filter((k) => k !== NAS_DEVICE && !declared.has(k))
    .map((key) => ({ key, name: `host ${key}`, viaDevice: NAS_DEVICE }));
  return { group: "hosts", devices, objects: [], entities: [] };
}

const SYSTEM_REF = { kind: "system", id: "system" };
const SYSTEM: GroupSnapshot = {
  group: "system",
  devices: [],
  objects: [{ ref: SYSTEM_REF, device: NAS_DEVICE, doc: { version: "25.10.0" } }],
  entities: [{ component: "sensor", key: "version", name: "Version", field: "version", object: SYSTEM_REF }],
};

/** Document values are plain data: no functions, Sets or class instances picked up from odd input. */
function expectPlain(snapshot: GroupSnapshot): void {
  const walk = (v: unknown, where: string): void => {
    if (v === null || ["string", "number", "boolean", "bigint"].includes(typeof v)) return;
    expect(typeof v, where).toBe("object");
    const proto: unknown = Object.getPrototypeOf(v);
    expect([Object.prototype, Array.prototype, Date.prototype, null].includes(proto as object), where).toBe(
      true,
    );
    if (!(v instanceof Date))
      for (const [k, item] of Object.entries(v as object)) walk(item, `${where}.${k}`);
  };
  for (const o of snapshot.objects) {
    walk(o.doc, `${o.ref.kind} ${o.ref.id} doc`);
    walk(o.attributes ?? null, `${o.ref.kind} ${o.ref.id} attributes`);
  }
  for (const d of snapshot.devices) expect(typeof d.name, d.key).toBe("string");
  for (const e of snapshot.entities) expect(e.name === null || typeof e.name === "string").toBe(true);
}

/** HA's timestamp parser takes ISO-8601 with an offset and a four-digit year (ha-mqtt-discovery.md §3.4). */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$/;

function fieldOf(doc: unknown, field: string): unknown {
  return field
    .split(".")
    .reduce<unknown>(
      (v, k) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[k] : null),
      doc,
    );
}

/** What each entity's value template is fed has the type its component reads (§8 R1, checked before HA). */
function expectFieldTypes(snapshot: GroupSnapshot): void {
  const docs = new Map(snapshot.objects.map((o) => [`${o.ref.kind}\u0000${o.ref.id}`, normaliseDoc(o.doc)]));
  const kinds = (v: unknown): string => (v === null ? "null" : typeof v);
  for (const e of snapshot.entities) {
    const doc = docs.get(`${e.object.kind}\u0000${e.object.id}`);
    const check = (field: string, allowed: string[]): void => {
      const v = fieldOf(doc, field);
      expect(allowed, `${e.object.kind} ${e.object.id} ${field} = ${JSON.stringify(v)}`).toContain(kinds(v));
      if (allowed.includes("timestamp") && typeof v === "string") expect(v).toMatch(ISO_WITH_OFFSET);
    };
    if (e.component === "binary_sensor" || e.component === "switch") check(e.field, ["null", "boolean"]);
    else if (e.component === "update") {
      check(e.installedField, ["null", "string"]);
      check(e.latestField, ["null", "string"]);
    } else if (e.component === "sensor") {
      const dc = e.deviceClass as string | undefined;
      if (dc === "timestamp") check(e.field, ["null", "string", "timestamp"]);
      else if (dc === "enum") check(e.field, ["null", "string"]);
      else if (dc !== undefined || ("numeric" in e && e.numeric === true)) check(e.field, ["null", "number"]);
      else check(e.field, ["null", "string", "number"]);
    }
  }
}

/**
 * What every snapshot must satisfy: no NaN/Infinity/undefined in any document, plain values of the types the
 * entities read, every object and entity published (no registry issue), every discovery config valid for HA,
 * every state payload a JSON object.
 */
export function expectPublishable(snapshot: GroupSnapshot): void {
  expectClean(snapshot);
  expectPlain(snapshot);
  expectFieldTypes(snapshot);
  const check = publishCheck(NAS, [SYSTEM, hostDevices(snapshot), snapshot]);
  expect(check.issues).toEqual([]);
  expect(check.problems).toEqual([]);
  for (const [topic, entry] of check.view.states) {
    const doc: unknown = JSON.parse(entry.payload);
    expect(typeof doc === "object" && doc !== null && !Array.isArray(doc), topic).toBe(true);
  }
}

export interface HostileRun {
  readonly snapshot: GroupSnapshot | null;
  /** The typed TrueNAS error fetch rejected with (the poll fails and is retried; nothing is published). */
  readonly fetchError: TrueNasRpcError | null;
}

/**
 * Fetch through hostile answers (and a hostile `latest` for event-source groups), then normalise what fetch
 * returned after `rawPlan` (the normaliser's own input mutated as a whole, its container included).
 */
export async function hostilePoll(
  group: GroupDefinition,
  world: SimWorld,
  plans: readonly (readonly MutationStep[])[],
  latest?: unknown,
  rawPlan: readonly MutationStep[] = [],
): Promise<HostileRun> {
  const version = parseVersion(String(world.state.info.version));
  let raw: unknown;
  try {
    raw = await group.fetch({ call: hostileCall(world, plans), version, options: OPTIONS, latest });
  } catch (err) {
    // Only the NAS's own typed errors may stop a fetch: anything else is a crash on odd input.
    if (err instanceof TrueNasRpcError) return { snapshot: null, fetchError: err };
    throw err;
  }
  const input = rawPlan.length === 0 ? raw : decodeEjson(applyPlan(wireOf(raw), rawPlan));
  return { snapshot: group.normalise(input, { nas: NAS, version, options: OPTIONS }), fetchError: null };
}

/** One plan per call a fetch makes. */
export const callPlans = fc.array(mutationPlan(), { minLength: MAX_CALLS, maxLength: MAX_CALLS });
/** Mostly none: the answers are mutated already; now and then the whole input as well. */
const rawPlans = fc.oneof(
  { arbitrary: fc.constant([]), weight: 3 },
  { arbitrary: mutationPlan(3), weight: 1 },
);

/** Reporting reads its event source's latest payload; other groups get none. */
function latestOf(group: GroupDefinition, world: SimWorld, plan: readonly MutationStep[]): unknown {
  if (group.source === undefined) return undefined;
  return decodeEjson(applyPlan(wireOf(world.realtimeStats()), plan));
}

export interface SuiteOptions {
  readonly versions: readonly SimWorld["version"][];
  readonly numRuns: number;
}

/**
 * For each group and TrueNAS version: the real answers publish cleanly, and so do hostile variants of them
 * (fast-check prints the seed and the shrunk plans of a failure).
 */
export function normaliserProperties(groups: readonly GroupDefinition[], options: SuiteOptions): void {
  for (const version of options.versions) {
    describe(`on TrueNAS ${version}`, () => {
      const world = new SimWorld({ profile: "typical", version });
      for (const group of groups) {
        it(`${group.name}: real answers publish cleanly`, async () => {
          const run = await hostilePoll(group, world, [], latestOf(group, world, []));
          expect(run.fetchError).toBeNull();
          expect(run.snapshot?.objects.length).toBeGreaterThan(0);
          expectPublishable(run.snapshot as GroupSnapshot);
        });
        it(`${group.name}: hostile answers never throw, leak NaN or make an invalid config`, async () => {
          await fc.assert(
            fc.asyncProperty(callPlans, mutationPlan(), rawPlans, async (plans, latestPlan, rawPlan) => {
              const latest = latestOf(group, world, latestPlan);
              const run = await hostilePoll(group, world, plans, latest, rawPlan);
              if (run.snapshot !== null) expectPublishable(run.snapshot);
            }),
            { numRuns: options.numRuns },
          );
        });
      }
    });
  }
}
