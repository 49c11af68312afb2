/**
 * The entity registry: a pure diff from what was published to what one group poll produced. It returns only
 * what must go out (new or changed discovery configs, changed state documents, removals) and the next view.
 *
 * - Scoped per group: every published topic remembers the group that produced it, and a poll of one group
 *   only ever counts, clears or replaces that group's topics.
 * - Removal: a topic its group no longer produces is cleared (empty retained payload, ha-mqtt-discovery.md
 *   §1.4) after `removeAfterPolls` consecutive successful polls without it; until then it is kept as it was.
 *   Call `diffGroupPoll` only for successful polls, so a failing poll never removes anything.
 * - One view per NAS; nothing here is global.
 */
import { ConfigRecipe, configText } from "./configRecipe.js";
import { EntitySpecError } from "./discovery.js";
import { entityObjectId, discoveryNodeId } from "./ids.js";
import type { DeviceSpec, DiscoveryContext, GroupSnapshot, ObjectState } from "./model.js";
import { stableStringify } from "./stateDoc.js";
import { objectAttributesTopic, objectStateTopic, parseDiscoveryTopic, discoveryTopic } from "./topics.js";

/** One retained message the bridge has published (or decided to keep). */
/** `payload` is a state document's text, or a discovery config's recipe. */
export interface PublishedEntry<P = string | ConfigRecipe> {
  readonly payload: P;
  readonly group: string;
  /** Consecutive polls of `group` that did not produce it. */
  readonly missing: number;
}

export interface KnownDevice {
  readonly spec: DeviceSpec;
  readonly group: string;
  readonly missing: number;
}

/** A discovery config built in a group's last poll, remembered with what it was built from. */
interface BuiltConfig {
  readonly topic: string;
  /** Undefined until built (device unknown or spec invalid). */
  readonly payload?: ConfigRecipe;
}

/**
 * What a group's last poll derived from its specs and objects, so an unchanged spec is not validated, built and
 * serialised again on every poll (that was most of a poll's CPU). Valid only for the context it was made with.
 */
interface GroupBuild {
  readonly context: DiscoveryContext;
  /** By JSON of the entity spec. Specs are plain data (model.ts), so equal JSON means an equal payload. */
  readonly configs: ReadonlyMap<string, BuiltConfig>;
  /** State and attributes topics by object key. */
  readonly objects: ReadonlyMap<string, { readonly state: string; readonly attributes: string }>;
  /** The published topics this group owns after the poll (whatever the context). */
  readonly configTopics: ReadonlySet<string>;
  readonly stateTopics: ReadonlySet<string>;
}

const EMPTY_BUILD = {
  configs: new Map(),
  objects: new Map(),
  configTopics: new Set<string>(),
  stateTopics: new Set<string>(),
};

/** What is published for one NAS. Treat as immutable; every diff returns a new one. */
export interface RegistryView {
  readonly configs: ReadonlyMap<string, PublishedEntry<ConfigRecipe>>;
  readonly states: ReadonlyMap<string, PublishedEntry<string>>;
  /** Devices seen in any group, so a group can place entities on another group's device. */
  readonly devices: ReadonlyMap<string, KnownDevice>;
  /** Per group, what its last poll built (a cache: dropping it changes no output). */
  readonly built?: ReadonlyMap<string, GroupBuild>;
}

export const EMPTY_VIEW: RegistryView = { configs: new Map(), states: new Map(), devices: new Map() };

/** Structurally an `OutgoingMessage` of the MQTT publisher. Everything is retained; `""` clears. */
export interface RegistryMessage {
  readonly kind: "config" | "state" | "clear-config" | "clear-state";
  readonly topic: string;
  readonly payload: string;
  readonly retain: true;
  readonly qos: 0 | 1;
}

export interface RegistryOptions {
  readonly context: DiscoveryContext;
  /** Consecutive polls a topic must be missing before it is cleared (config `bridge.removal_polls`, ≥ 1). */
  readonly removeAfterPolls: number;
  /** False when HA discovery is off: states only. */
  readonly discovery?: boolean;
}

export interface PollDiff {
  readonly messages: readonly RegistryMessage[];
  readonly view: RegistryView;
  /**
   * Specs that could not be published this time (invalid, unknown object or device, duplicates). An entity whose
   * spec became invalid or whose device is not known keeps its last published config.
   */
  readonly issues: readonly string[];
}

/** What a poll wants published: payload per topic, plus topics to keep untouched this time. */
interface Desired {
  readonly configs: Map<string, ConfigRecipe>;
  /** Text of the configs built in this poll, by topic, so a changed config is not built twice. */
  readonly configTexts: Map<string, string>;
  readonly states: Map<string, string>;
  readonly held: Set<string>;
  readonly issues: string[];
  /** The previous poll's build of this group (empty when none or made for another context), and this one's. */
  readonly previous: GroupBuild;
  readonly builtConfigs: Map<string, BuiltConfig>;
  readonly builtObjects: Map<string, { readonly state: string; readonly attributes: string }>;
  readonly deviceJson: Map<DeviceSpec, string>;
}

function message(kind: RegistryMessage["kind"], topic: string, payload: string): RegistryMessage {
  return { kind, topic, payload, retain: true, qos: kind === "state" ? 0 : 1 };
}

function objectKey(object: ObjectState): string {
  return `${object.ref.kind}\u0000${object.ref.id}`;
}

/** Devices after one group's poll; the previous map itself when nothing changed (the bridge relies on that). */
function mergeDevices(
  view: RegistryView,
  snapshot: GroupSnapshot,
  limit: number,
): ReadonlyMap<string, KnownDevice> {
  const fresh = new Map(snapshot.devices.map((spec) => [spec.key, spec]));
  let changed = false;
  const devices = new Map<string, KnownDevice>();
  for (const [key, known] of view.devices) {
    if (known.group !== snapshot.group) devices.set(key, known);
    else if (fresh.has(key)) {
      const spec = fresh.get(key)!;
      const same = known.missing === 0 && JSON.stringify(known.spec) === JSON.stringify(spec);
      devices.set(key, same ? known : { spec, group: snapshot.group, missing: 0 });
      changed ||= !same;
    } else {
      changed = true;
      if (known.missing + 1 < limit) devices.set(key, { ...known, missing: known.missing + 1 });
    }
  }
  for (const [key, spec] of fresh) {
    if (devices.has(key) && devices.get(key)!.group === snapshot.group) continue;
    devices.set(key, { spec, group: snapshot.group, missing: 0 });
    changed = true;
  }
  return changed ? devices : view.devices;
}

function desiredStates(
  snapshot: GroupSnapshot,
  ctx: DiscoveryContext,
  desired: Desired,
): Map<string, ObjectState> {
  const objects = new Map<string, ObjectState>();
  for (const object of snapshot.objects) {
    const key = objectKey(object);
    try {
      if (objects.has(key)) throw new Error("appears twice in the snapshot");
      const topics = desired.previous.objects.get(key) ?? {
        state: objectStateTopic(ctx.topics, ctx.nas.id, object.ref),
        attributes: objectAttributesTopic(ctx.topics, ctx.nas.id, object.ref),
      };
      desired.builtObjects.set(key, topics);
      desired.states.set(topics.state, stableStringify(object.doc));
      if (object.attributes !== undefined) {
        desired.states.set(topics.attributes, stableStringify(object.attributes));
      }
      objects.set(key, object);
    } catch (error) {
      desired.issues.push(`object ${object.ref.kind} ${JSON.stringify(object.ref.id)}: ${String(error)}`);
    }
  }
  return objects;
}

/** JSON of a device spec, one string per device and poll (every config on the device shares it). */
function deviceJson(device: DeviceSpec, desired: Desired): string {
  let json = desired.deviceJson.get(device);
  if (json === undefined) {
    json = JSON.stringify(device);
    desired.deviceJson.set(device, json);
  }
  return json;
}

function desiredConfigs(
  snapshot: GroupSnapshot,
  objects: Map<string, ObjectState>,
  devices: ReadonlyMap<string, KnownDevice>,
  ctx: DiscoveryContext,
  desired: Desired,
): void {
  for (const spec of snapshot.entities) {
    // Set once the entity is known to be this poll's: a failure after that keeps what was published.
    let held: string | undefined;
    try {
      const object = objects.get(`${spec.object.kind}\u0000${spec.object.id}`);
      if (object === undefined) throw new Error("its object is not in the snapshot");
      const json = JSON.stringify(spec);
      const before = desired.previous.configs.get(json);
      // The previous build's copy of an equal key: recipes still published hold that one, so keeping the fresh
      // copy would hold every spec twice (5 MB on the large profile after one dataset change).
      const specKey = before?.payload?.spec ?? json;
      const topic =
        before?.topic ??
        discoveryTopic(
          ctx.topics,
          spec.component,
          discoveryNodeId(ctx.nas.id),
          entityObjectId(spec.object, spec.key),
        );
      if (desired.configs.has(topic) || desired.held.has(topic)) throw new Error("duplicate entity");
      held = topic;
      desired.builtConfigs.set(specKey, { topic });
      // Another group's device not seen yet: try again next poll.
      const device = devices.get(spec.device ?? object.device);
      if (device === undefined) throw new Error(`device ${spec.device ?? object.device} is not known yet`);
      const deviceKey = deviceJson(device.spec, desired);
      let payload = before?.payload;
      if (payload?.device !== deviceKey) {
        // Built (and validated) here, where a bad spec is caught and reported; the recipe rebuilds the same.
        desired.configTexts.set(topic, configText(spec, ctx, device.spec));
        payload = new ConfigRecipe(specKey, deviceKey, ctx);
      }
      desired.builtConfigs.set(specKey, { topic, payload });
      desired.configs.set(topic, payload);
    } catch (error) {
      if (held !== undefined) desired.held.add(held);
      const reason = error instanceof EntitySpecError ? error.problems.join("; ") : String(error);
      const label = `${spec.component} ${spec.object.kind} ${JSON.stringify(spec.object.id)} ${spec.key}`;
      desired.issues.push(`${label}: ${reason}`);
    }
  }
}

/**
 * Applies one kind of desired payloads to the published entries of one group. Work is proportional to the
 * group's own topics (`owned`), not to everything published, and the previous map is returned as it is when
 * nothing changed, so an unchanged poll copies nothing.
 */
function reconcile<P>(
  previous: ReadonlyMap<string, PublishedEntry<P>>,
  owned: Iterable<string>,
  wanted: ReadonlyMap<string, P>,
  held: Set<string>,
  group: string,
  limit: number,
  same: (topic: string, published: P, wanted: P) => boolean,
): {
  next: ReadonlyMap<string, PublishedEntry<P>>;
  owned: Set<string>;
  changed: string[];
  cleared: string[];
} {
  const updates = new Map<string, PublishedEntry<P> | undefined>();
  const changed: string[] = [];
  const cleared: string[] = [];
  const nowOwned = new Set(wanted.keys());
  for (const topic of owned) {
    const entry = previous.get(topic);
    if (wanted.has(topic) || entry === undefined || entry.group !== group) continue;
    nowOwned.add(topic);
    if (held.has(topic)) {
      if (entry.missing !== 0) updates.set(topic, { ...entry, missing: 0 });
    } else if (entry.missing + 1 >= limit) {
      cleared.push(topic);
      nowOwned.delete(topic);
      updates.set(topic, undefined);
    } else {
      updates.set(topic, { ...entry, missing: entry.missing + 1 });
    }
  }
  for (const [topic, payload] of wanted) {
    const entry = previous.get(topic);
    const unchanged = entry !== undefined && same(topic, entry.payload, payload);
    if (!unchanged) changed.push(topic);
    if (!unchanged || entry.payload !== payload || entry.group !== group || entry.missing !== 0)
      updates.set(topic, { payload, group, missing: 0 });
  }
  if (updates.size === 0) return { next: previous, owned: nowOwned, changed, cleared };
  const next = new Map(previous);
  for (const [topic, entry] of updates) {
    if (entry === undefined) next.delete(topic);
    else next.set(topic, entry);
  }
  return { next, owned: nowOwned, changed, cleared };
}

/** Topics of `group` in `entries`: from the last build when there is one, else by a scan. */
function ownedBy(
  entries: ReadonlyMap<string, PublishedEntry>,
  group: string,
  remembered: ReadonlySet<string> | undefined,
): Iterable<string> {
  if (remembered !== undefined) return remembered;
  const owned: string[] = [];
  for (const [topic, entry] of entries) if (entry.group === group) owned.push(topic);
  return owned;
}

/**
 * The messages one successful poll of `snapshot.group` requires, and the view after publishing them. Order:
 * configs, then states (so HA subscribes before the state arrives), then config clears, then state clears.
 */
export function diffGroupPoll(
  view: RegistryView,
  snapshot: GroupSnapshot,
  options: RegistryOptions,
): PollDiff {
  const limit = Math.max(1, Math.floor(options.removeAfterPolls));
  const ctx = options.context;
  const last = view.built?.get(snapshot.group);
  const desired: Desired = {
    configs: new Map(),
    configTexts: new Map(),
    states: new Map(),
    held: new Set(),
    issues: [],
    previous: last?.context === ctx ? last : { ...EMPTY_BUILD, context: ctx },
    builtConfigs: new Map(),
    builtObjects: new Map(),
    deviceJson: new Map(),
  };
  const devices = mergeDevices(view, snapshot, limit);
  const objects = desiredStates(snapshot, ctx, desired);
  if (options.discovery !== false) desiredConfigs(snapshot, objects, devices, ctx, desired);
  const group = snapshot.group;
  const textOf = (topic: string, recipe: ConfigRecipe): string =>
    desired.configTexts.get(topic) ?? recipe.text();
  const configs = reconcile(
    view.configs,
    ownedBy(view.configs, group, last?.configTopics),
    desired.configs,
    desired.held,
    group,
    limit,
    (topic, published, wanted) => published.sameSource(wanted) || published.text() === textOf(topic, wanted),
  );
  const states = reconcile(
    view.states,
    ownedBy(view.states, group, last?.stateTopics),
    desired.states,
    new Set(),
    group,
    limit,
    (_topic, published, wanted) => published === wanted,
  );
  const messages = [
    ...configs.changed.map((topic) => message("config", topic, textOf(topic, desired.configs.get(topic)!))),
    ...states.changed.map((topic) => message("state", topic, desired.states.get(topic) ?? "")),
    ...configs.cleared.map((topic) => message("clear-config", topic, "")),
    ...states.cleared.map((topic) => message("clear-state", topic, "")),
  ];
  const built = new Map(view.built);
  built.set(group, {
    context: ctx,
    configs: desired.builtConfigs,
    objects: desired.builtObjects,
    configTopics: configs.owned,
    stateTopics: states.owned,
  });
  return {
    messages,
    view: { configs: configs.next, states: states.next, devices, built },
    issues: desired.issues,
  };
}

/** Every config, then every state, for a republish after a broker reconnect or HA's birth message (§2.1). */
export function snapshotMessages(view: RegistryView): RegistryMessage[] {
  return [
    ...Array.from(view.configs, ([topic, entry]) => message("config", topic, entry.payload.text())),
    ...Array.from(view.states, ([topic, entry]) => message("state", topic, entry.payload)),
  ];
}

/**
 * Retained discovery topics found under this NAS's node id that the view does not hold: configs of objects
 * that disappeared while the bridge was not running. Clear them (empty retained) at start-up, but only once
 * every group has polled successfully, or live entities of a slow group would be deleted (§2.1 step 5).
 */
export function staleConfigTopics(
  view: RegistryView,
  retainedTopics: Iterable<string>,
  ctx: DiscoveryContext,
): string[] {
  const nodeId = discoveryNodeId(ctx.nas.id);
  const stale = new Set<string>();
  for (const topic of retainedTopics) {
    const parsed = parseDiscoveryTopic(ctx.topics, topic);
    if (parsed?.nodeId === nodeId && !view.configs.has(topic)) stale.add(topic);
  }
  return [...stale];
}
