/**
 * Issue 6, "Bad input": hostile names from TrueNAS. The simulated NAS gets datasets, apps, VMs, containers and
 * network interfaces named with `/`, `+`, `#`, NUL, control characters, 10,000 characters, emoji, right-to-left
 * text, combining marks, CJK, `..`, padding spaces, lone surrogates, `__proto__`, and names that collide once
 * sanitised. Whatever the bridge publishes must stay inside its tree, keep unique ids unique and stable, stay
 * valid discovery, show the original name, and go away when the objects do.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimVersion } from "../../src/simulator/types.js";
import { FaultRig } from "../support/faultRig.js";
import { validateDiscoverySet } from "../support/haDiscoveryValidator.js";

const HOSTILE: ReadonlyArray<readonly [label: string, name: string]> = [
  ["a slash", "a/b"],
  ["its sanitised twin", "a_b"],
  ["a space", "a b"],
  ["a plus", "a+b"],
  ["a hash", "a#b"],
  ["only wildcards", "+/#"],
  ["NUL", "nul\u0000byte"],
  ["control characters", "line\nfeed\ttab\u001b[31mred"],
  ["10,000 characters", "L".repeat(10_000)],
  ["emoji", "📦 backups 🚀"],
  ["right-to-left text", "نسخ احتياطي\u202e"],
  ["combining marks", "Cafe\u0301 n\u0303"],
  ["CJK", "数据集"],
  ["a parent directory", ".."],
  ["padding spaces", "  padded  "],
  ["upper case", "Photos"],
  ["lower case", "photos"],
  ["__proto__", "__proto__"],
  ["a lone surrogate", "\ud800"],
  ["U+FFFD", "\ufffd"],
];
const NAMES = HOSTILE.map(([, name]) => name);
/**
 * Names whose suggested entity ids (default_entity_id) are meant to clash: they differ only in ASCII punctuation,
 * spacing or case, which an entity id cannot spell. HA's own slug of the friendly name clashes the same way, and
 * HA appends `_2` to the entity registered second. Unique ids, topics and device ids stay distinct.
 */
const SLUG_TWINS = [
  ["a/b", "a_b", "a b", "a+b", "a#b"],
  ["Photos", "photos"],
  ["+/#", ".."],
];
const BASE = "truenas2mqtt";
const PREFIX = "homeassistant";

type Obj = Record<string, any>;
interface Config {
  readonly topic: string;
  readonly payload: Obj;
}

/**
 * The name with lone surrogates as U+FFFD. HA cannot store a lone surrogate (orjson refuses to encode one), so a
 * bridge that replaces them still shows the original name as far as HA can.
 */
const wellFormed = (name: string): string =>
  name.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function configsOf(retained: ReadonlyMap<string, string>): Config[] {
  return [...retained]
    .filter(([topic]) => topic.startsWith(`${PREFIX}/`))
    .map(([topic, payload]) => ({ topic, payload: JSON.parse(payload) as Obj }));
}

/** The object kind a unique id names (`truenas2mqtt_<nasId>_<kind>_<object>__<key>`). */
function kindOf(uniqueId: string, nasId: string): string {
  return uniqueId.slice(`${BASE}_${nasId}_`.length).split("_")[0] ?? "";
}

function countByKind(configs: readonly Config[], nasId: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of configs) {
    const kind = kindOf(String(c.payload.unique_id), nasId);
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

/** What is wrong with one topic the bridge published, if anything. */
function topicProblems(topic: string, nasId: string): string[] {
  const problems: string[] = [];
  const levels = topic.split("/");
  const control = Array.from(topic).some((c) => c.charCodeAt(0) <= 0x1f || (c >= "\u007f" && c <= "\u009f"));
  if (control || /[+#]/.test(topic)) problems.push("wildcard or control character");
  if (levels.some((level) => level === "")) problems.push("empty level");
  if (Buffer.byteLength(topic, "utf8") > 65_535) problems.push("longer than MQTT allows");
  const id = /^[A-Za-z0-9_-]{1,64}$/;
  if (levels[0] === BASE) {
    const [, owner, kind, object, extra, ...rest] = levels;
    if (owner === "bridge") {
      if (topic !== `${BASE}/bridge/state`) problems.push("unknown bridge topic");
    } else if (owner !== nasId) problems.push("outside the NAS's tree");
    else if (kind === "availability" && levels.length === 3) return problems;
    else if (!/^[a-z][a-z0-9]*$/.test(kind ?? "") || !id.test(object ?? ""))
      problems.push("bad kind or id level");
    else if (rest.length > 0 || (extra !== undefined && extra !== "attributes"))
      problems.push("escaped its level");
  } else if (levels[0] === PREFIX) {
    // The config's object id is `<kind>_<object id>__<entity key>`: HA's alphabet, no length limit of its own.
    if (levels.length !== 5 || levels[4] !== "config" || !/^[A-Za-z0-9_-]+$/.test(levels[3] ?? ""))
      problems.push("bad config topic");
    if (levels[2] !== `${BASE}_${nasId}`) problems.push("another node id");
  } else problems.push("outside the bridge's trees");
  return problems;
}

/** Polls `group` until `check` holds (the realtime stats reach the bridge on their own 2 s tick). */
async function pollUntil(rig: FaultRig, group: string, check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    await rig.app.bridge.pollGroup(group);
    if (check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** The realtime stats' interfaces have reached the bridge's nicrate objects. */
function nicratesMatch(rig: FaultRig): boolean {
  const want = Object.keys(rig.world.state.realtime.interfaces as object).length;
  const prefix = `${BASE}/${rig.nas.id}/nicrate/`;
  const have = [...rig.app.bridge.view.states.keys()].filter((t) => t.startsWith(prefix)).length;
  return have === want;
}

async function pollEverything(rig: FaultRig): Promise<void> {
  await rig.pollAll();
  await pollUntil(rig, "reporting", () => nicratesMatch(rig), "the interfaces in the realtime stats");
  await rig.settled();
}

describe.each<SimVersion>(["25.10", "25.04.0"])("hostile names from TrueNAS %s", (version) => {
  let rig: FaultRig;
  let nasId: string;
  let hostname: string;
  /** VM ids by name (on 25.04.0 the VMs are Incus instances named `vm <name>`). */
  const vms = new Map<string, number>();
  const vmName = (name: string): string => (version === "25.04.0" ? `vm ${name}` : name);
  const datasetName = (name: string): string => `tank/${name}`;
  // Interfaces do not differ between versions, and their rates wait for the 2 s realtime tick: one version is enough.
  const interfaces = version === "25.10";
  let baseline: Record<string, number>;
  let withHostile: Config[];

  /**
   * HA's device names for a hostile name. Devices whose names would suggest the same entity id get their object
   * id appended in parentheses (src/groups/values.ts distinctLabels), so both forms count.
   */
  const deviceNames = (n: string): string[] => [
    `${hostname} app ${n}`,
    `${hostname} container ${n}`,
    `${hostname} VM ${vmName(n)}`,
  ];
  const isDeviceOf = (device: string, raw: string): boolean =>
    [raw, wellFormed(raw)].some(
      (base) => device === base || (device.startsWith(`${base} (`) && device.endsWith(")")),
    );

  const same = (shown: string, raw: string): boolean => shown === raw || shown === wellFormed(raw);

  /** Which hostile name a config belongs to, from what HA shows (device and entity names). */
  const sourceName = (c: Config): string | undefined => {
    const device = c.payload.device.name as string;
    const entity = c.payload.name as string;
    return NAMES.find(
      (n) =>
        deviceNames(n).some((base) => isDeviceOf(device, base)) ||
        ["Link", "Link speed", "MTU", "received", "sent"].some((e) => same(entity, `${n} ${e}`)) ||
        ["Used", "Available", "Usage", "Compression ratio"].some((e) =>
          same(entity, `${datasetName(n)} ${e}`),
        ),
    );
  };

  beforeAll(async () => {
    rig = new FaultRig({ version, env: { DATASETS_MAX_DEPTH: "2" } });
    await rig.start();
    nasId = rig.nas.id;
    hostname = rig.nas.hostname;
    const control = rig.world.control;
    for (const name of NAMES) {
      control.addApp(name);
      control.addContainer(name);
      vms.set(name, control.addVm(vmName(name), { running: true }));
      if (interfaces) control.addInterface(name);
      control.createDataset(datasetName(name));
    }
    await pollEverything(rig);
    withHostile = configsOf(await rig.retainedState());
    baseline = countByKind(
      withHostile.filter((c) => sourceName(c) === undefined),
      nasId,
    );
  });

  afterAll(async () => {
    await rig?.stop();
  });

  it("publishes every topic inside the bridge's tree, at its level, within MQTT's limits", () => {
    expect(rig.probe.messages.length).toBeGreaterThan(withHostile.length);
    const bad = rig.probe.messages
      .filter((m) => !/^(faultrig|hostile)\/marker\//.test(m.topic)) // end-of-retained markers
      .map((m) => [JSON.stringify(m.topic).slice(0, 120), topicProblems(m.topic, nasId)] as const)
      .filter(([, problems]) => problems.length > 0);
    expect(bad).toEqual([]);
  });

  it("publishes one config per entity of every hostile object, each with its own unique id", () => {
    const n = NAMES.length;
    // 3 entities per app and interface, 4 per VM, container and dataset (no quota), 2 per network rate.
    expect(countByKind(withHostile, nasId)).toEqual({
      ...baseline,
      app: (baseline.app ?? 0) + 3 * n,
      container: (baseline.container ?? 0) + 4 * n,
      vm: (baseline.vm ?? 0) + 4 * n,
      interface: (baseline.interface ?? 0) + (interfaces ? 3 * n : 0),
      nicrate: (baseline.nicrate ?? 0) + (interfaces ? 2 * n : 0),
      dataset: (baseline.dataset ?? 0) + 4 * n,
    });
    const ids = withHostile.map((c) => c.payload.unique_id);
    expect(new Set(ids).size).toBe(ids.length);
    // One state document per hostile object: 20 names × (app, container, VM, dataset, and interface and rate).
    const documents = new Set(
      withHostile.filter((c) => sourceName(c) !== undefined).map((c) => c.payload.state_topic),
    );
    expect(documents.size).toBe((interfaces ? 6 : 4) * n);
  });

  it("passes the HA discovery validator, but for suggested entity ids of names that differ in punctuation or case", () => {
    const problems = validateDiscoverySet(
      withHostile.map((c) => ({ topic: c.topic, payload: c.payload })),
      { project: true, availabilityTopics: [`${BASE}/bridge/state`, `${BASE}/${nasId}/availability`] },
    );
    const duplicate = /(?:^|: )C7 W: duplicate default_entity_id (\S+)$/;
    expect(problems.filter((p) => !duplicate.test(p))).toEqual([]);
    const clashes = new Set(problems.map((p) => duplicate.exec(p)?.[1]));
    expect(clashes.size).toBeGreaterThan(0);
    for (const id of clashes) {
      const sources = withHostile.filter((c) => c.payload.default_entity_id === id).map(sourceName);
      const hostile = sources.filter((n): n is string => n !== undefined);
      const twins = SLUG_TWINS.find((group) => group.includes(hostile[0] ?? ""));
      // Punctuation-only names slug to nothing, so `tank/..` suggests what the pool's root dataset `tank` does.
      const mayClashWithOthers = twins === SLUG_TWINS[2];
      expect({ id, hostile: hostile.filter((n) => !twins?.includes(n)) }).toEqual({ id, hostile: [] });
      if (!mayClashWithOthers) expect(hostile.length, id).toBe(sources.length);
    }
  });

  it("shows the original names in Home Assistant", () => {
    const devices = withHostile.map((c) => c.payload.device.name as string);
    const entities = new Set(withHostile.map((c) => c.payload.name as string));
    const shown = (text: string): boolean => entities.has(text) || entities.has(wellFormed(text));
    for (const name of NAMES) {
      for (const base of deviceNames(name))
        expect(
          devices.some((d) => isDeviceOf(d, base)),
          base,
        ).toBe(true);
      if (interfaces) expect(shown(`${name} Link`) && shown(`${name} received`), name).toBe(true);
      expect(shown(`${datasetName(name)} Used`), name).toBe(true);
    }
  });

  it("publishes state documents that parse as JSON and carry the raw names", async () => {
    const retained = await rig.retainedState();
    const docs = [...retained]
      .filter(([topic]) => topic.startsWith(`${BASE}/${nasId}/`) && !topic.endsWith("/availability"))
      .map(([, payload]) => JSON.parse(payload) as unknown);
    expect(docs.every((d) => typeof d === "object" && d !== null && !Array.isArray(d))).toBe(true);
    const names = new Set(docs.map((d) => (d as Obj).name));
    for (const name of NAMES) {
      for (const raw of [name, vmName(name), datasetName(name)])
        expect(names.has(raw) || names.has(wellFormed(raw)), raw).toBe(true);
    }
    await rig.expectStateEqualsTruth();
  });

  it("keeps every unique id and topic across a restart of the bridge", async () => {
    const before = new Map(
      [...rig.app.bridge.view.configs].map(([t, e]) => [t, JSON.parse(e.payload.text()).unique_id]),
    );
    await rig.restartApp();
    await pollEverything(rig);
    // Groups whose devices come from another group (datasets on pools) publish on their retry after start-up.
    await rig.until(() => rig.app.bridge.view.configs.size >= before.size, "every config again");
    await rig.settled();
    const after = new Map(
      [...rig.app.bridge.view.configs].map(([t, e]) => [t, JSON.parse(e.payload.text()).unique_id]),
    );
    expect(after).toEqual(before);
  });

  it("clears the configs and documents of the hostile objects when they go away", async () => {
    const hostileIds = new Set(withHostile.map((c) => c.payload.unique_id as string));
    for (const c of configsOf(await rig.retainedState())) hostileIds.delete(c.payload.unique_id);
    expect(hostileIds.size).toBe(0); // all still there before the removal
    const control = rig.world.control;
    for (const name of NAMES) {
      control.deleteApp(name);
      control.deleteInstance(name);
      control.deleteVm(vms.get(name) ?? -1);
      if (interfaces) control.removeInterface(name);
      control.destroyDataset(datasetName(name));
    }
    await pollEverything(rig);
    const gone = withHostile.filter((c) => sourceName(c) !== undefined);
    expect(gone.length).toBe((interfaces ? 20 : 15) * NAMES.length);
    const cleared = (topic: string): boolean => rig.history(topic).at(-1)?.payload === "";
    await rig.until(
      () => gone.every((c) => cleared(c.topic) && cleared(c.payload.state_topic)),
      "the clears",
    );
    const retained = await rig.retainedState();
    const left = configsOf(retained);
    expect(countByKind(left, nasId)).toEqual(baseline);
    expect(left.filter((c) => sourceName(c) !== undefined).map((c) => c.topic)).toEqual([]);
    expect(gone.filter((c) => retained.has(c.topic) || retained.has(c.payload.state_topic))).toEqual([]);
    await rig.expectStateEqualsTruth();
  });
});
