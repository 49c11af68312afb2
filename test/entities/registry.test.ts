import { describe, expect, it } from "vitest";
import { discoveryNodeId } from "../../src/entities/ids.js";
import type { EntitySpec, GroupSnapshot } from "../../src/entities/model.js";
import {
  diffGroupPoll,
  EMPTY_VIEW,
  snapshotMessages,
  staleConfigTopics,
  type PollDiff,
  type RegistryOptions,
  type RegistryView,
} from "../../src/entities/registry.js";
import { objectAttributesTopic, objectStateTopic } from "../../src/entities/topics.js";
import { validateDiscoverySet } from "../support/haDiscoveryValidator.js";
import {
  CPU_TEMP,
  CTX,
  NAS,
  POOL,
  POOL_DEVICE,
  POOL_USED,
  PROJECT,
  poolObject,
  poolSnapshot,
  snapshot,
  systemObject,
  systemSnapshot,
} from "./fixtures.js";

const OPTIONS: RegistryOptions = { context: CTX, removeAfterPolls: 3 };
const POOL_STATE = objectStateTopic(CTX.topics, NAS.id, POOL);
const SYSTEM_STATE = objectStateTopic(CTX.topics, NAS.id, { kind: "system", id: "system" });

/** Runs polls in order from an empty view; returns every diff. */
function run(polls: GroupSnapshot[], options: RegistryOptions = OPTIONS): PollDiff[] {
  let view: RegistryView = EMPTY_VIEW;
  return polls.map((poll) => {
    const diff = diffGroupPoll(view, poll, options);
    view = diff.view;
    return diff;
  });
}

const last = <T>(list: readonly T[]): T => list[list.length - 1]!;
const kinds = (diff: PollDiff) => diff.messages.map((m) => `${m.kind} ${m.topic}`);

describe("diffGroupPoll", () => {
  it("publishes configs, then states, for a new group", () => {
    const [diff] = run([systemSnapshot()]);
    expect(diff!.issues).toEqual([]);
    expect(diff!.messages.map((m) => m.kind)).toEqual(["config", "state"]);
    const [config, state] = diff!.messages;
    expect(config).toMatchObject({ retain: true, qos: 1 });
    expect(state).toEqual({
      kind: "state",
      topic: SYSTEM_STATE,
      payload: '{"cpu_temp":41.5,"hostname":"truenas-01"}',
      retain: true,
      qos: 0,
    });
    expect(validateDiscoverySet([{ topic: config!.topic, payload: config!.payload }], PROJECT)).toEqual([]);
  });

  it("publishes nothing when a poll changes nothing, whatever the key order", () => {
    const diffs = run([systemSnapshot({ a: 1, b: 2 }), systemSnapshot({ b: 2, a: 1 })]);
    expect(last(diffs).messages).toEqual([]);
  });

  it("publishes one state message when one object's state changes", () => {
    const diffs = run([poolSnapshot([poolObject({ used: 1 })]), poolSnapshot([poolObject({ used: 2 })])]);
    expect(kinds(last(diffs))).toEqual([`state ${POOL_STATE}`]);
    expect(last(diffs).messages[0]!.payload).toBe('{"used":2}');
  });

  it("republishes only the config whose spec changed", () => {
    const renamed: EntitySpec = { ...POOL_USED, name: "Used space" };
    const diffs = run([poolSnapshot(), poolSnapshot(undefined, [renamed, poolSnapshot().entities[1]!])]);
    expect(last(diffs).messages).toHaveLength(1);
    expect(last(diffs).messages[0]!.kind).toBe("config");
    expect(JSON.parse(last(diffs).messages[0]!.payload)).toMatchObject({ name: "Used space" });
  });

  it("republishes configs when their device changes (a new TrueNAS version)", () => {
    const upgraded = systemSnapshot();
    const device = { ...upgraded.devices[0]!, swVersion: "25.10.1" };
    const diffs = run([systemSnapshot(), { ...upgraded, devices: [device] }]);
    expect(last(diffs).messages.map((m) => m.kind)).toEqual(["config"]);
  });

  it("keeps a vanished object for N-1 polls and clears it at the N-th", () => {
    const gone = poolSnapshot([]);
    const diffs = run([poolSnapshot(), gone, gone, gone]);
    expect(diffs[1]!.messages).toEqual([]);
    expect(diffs[2]!.messages).toEqual([]);
    expect(diffs[2]!.view.configs.size).toBe(2);
    const cleared = diffs[3]!;
    expect(cleared.messages.map((m) => m.kind)).toEqual(["clear-config", "clear-config", "clear-state"]);
    expect(cleared.messages.every((m) => m.payload === "" && m.retain)).toBe(true);
    expect(cleared.view.configs.size).toBe(0);
    expect(cleared.view.states.size).toBe(0);
    expect(cleared.view.devices.has(POOL_DEVICE.key)).toBe(false);
  });

  it("forgets the missing count when the object comes back", () => {
    const gone = poolSnapshot([]);
    const diffs = run([poolSnapshot(), gone, gone, poolSnapshot(), gone, gone]);
    expect(diffs[3]!.messages).toEqual([]);
    expect(diffs.flatMap((d) => d.messages).filter((m) => m.kind.startsWith("clear"))).toEqual([]);
  });

  it("clears on the first missing poll when N is 1", () => {
    const diffs = run([poolSnapshot(), poolSnapshot([])], { ...OPTIONS, removeAfterPolls: 1 });
    expect(last(diffs).messages.filter((m) => m.kind === "clear-config")).toHaveLength(2);
  });

  it("removes a single entity its group stops producing, keeping the others", () => {
    const fewer = poolSnapshot(undefined, [POOL_USED]);
    const diffs = run([poolSnapshot(), fewer, fewer, fewer]);
    expect(kinds(last(diffs))).toHaveLength(1);
    expect(last(diffs).messages[0]!.kind).toBe("clear-config");
    expect(last(diffs).view.states.has(POOL_STATE)).toBe(true);
  });

  it("never touches another group's topics", () => {
    const diffs = run([
      systemSnapshot(),
      poolSnapshot(),
      poolSnapshot([]),
      poolSnapshot([]),
      poolSnapshot([]),
    ]);
    const final = last(diffs);
    expect(final.messages.every((m) => !m.topic.includes("/system"))).toBe(true);
    expect(final.view.states.has(SYSTEM_STATE)).toBe(true);
    expect([...final.view.configs.values()].map((e) => e.group)).toEqual(["system"]);
    const systemAgain = diffGroupPoll(final.view, systemSnapshot(), OPTIONS);
    expect(systemAgain.messages).toEqual([]);
  });

  it("lets a group place entities on a device another group declared", () => {
    const dataset = { kind: "dataset", id: "tank/media" };
    const datasets = snapshot("datasets", {
      objects: [{ ref: dataset, device: POOL_DEVICE.key, doc: { used: 5 } }],
      entities: [{ ...POOL_USED, object: dataset }],
    });
    const early = run([datasets]);
    expect(early[0]!.issues).toEqual([expect.stringContaining("is not known yet")]);
    expect(early[0]!.messages.map((m) => m.kind)).toEqual(["state"]);
    const diffs = run([poolSnapshot(), datasets]);
    expect(last(diffs).issues).toEqual([]);
    expect(last(diffs).messages.map((m) => m.kind)).toEqual(["config", "state"]);
  });

  it("keeps a published config while its device is unknown instead of counting it missing", () => {
    const dataset = { kind: "dataset", id: "tank/media" };
    const datasets = snapshot("datasets", {
      objects: [{ ref: dataset, device: POOL_DEVICE.key, doc: { used: 5 } }],
      entities: [{ ...POOL_USED, object: dataset }],
    });
    // The pool device disappears from its group (dropped after 3 polls), the dataset stays.
    const gone = poolSnapshot([]);
    const diffs = run([poolSnapshot(), datasets, gone, gone, gone, datasets, datasets, datasets, datasets]);
    expect(
      diffs
        .slice(5)
        .flatMap((d) => d.messages)
        .filter((m) => m.topic.includes("dataset_")),
    ).toEqual([]);
    expect(last(diffs).view.configs.size).toBe(1);
  });

  it("reports bad specs and duplicates without dropping the rest of the poll", () => {
    const broken = { ...POOL_USED, key: "used_pct", unit: "KB" } as unknown as EntitySpec;
    const orphan = { ...POOL_USED, object: { kind: "pool", id: "elsewhere" } };
    const diff = run([poolSnapshot(undefined, [POOL_USED, POOL_USED, broken, orphan])])[0]!;
    expect(diff.issues).toHaveLength(3);
    expect(diff.issues.join("\n")).toMatch(/duplicate entity/);
    expect(diff.issues.join("\n")).toMatch(/unit KB/);
    expect(diff.issues.join("\n")).toMatch(/not in the snapshot/);
    expect(diff.messages.map((m) => m.kind)).toEqual(["config", "state"]);
  });

  it("keeps the last good config of an entity whose spec turns invalid", () => {
    const invalid = { ...POOL_USED, unit: "KB" } as unknown as EntitySpec;
    const bad = poolSnapshot(undefined, [invalid]);
    const diffs = run([poolSnapshot(undefined, [POOL_USED]), bad, bad, bad, bad]);
    expect(diffs.slice(1).flatMap((d) => d.messages)).toEqual([]);
    expect(last(diffs).issues).toEqual([expect.stringMatching(/unit KB/)]);
    expect(last(diffs).view.configs.size).toBe(1);
  });

  it("writes NaN, Infinity and undefined as null in state documents", () => {
    const diff = run([
      poolSnapshot([poolObject({ a: Number.NaN, b: Number.POSITIVE_INFINITY, c: undefined })]),
    ])[0]!;
    const state = diff.messages.find((m) => m.kind === "state")!;
    expect(state.payload).toBe('{"a":null,"b":null,"c":null}');
  });

  it("publishes detail documents on the attributes topic", () => {
    const object = { ...poolObject(), attributes: { topology: { data: [] } } };
    const diff = run([poolSnapshot([object])])[0]!;
    const topic = objectAttributesTopic(CTX.topics, NAS.id, POOL);
    expect(diff.messages.find((m) => m.topic === topic)?.payload).toBe('{"topology":{"data":[]}}');
  });

  it("publishes states only when discovery is off", () => {
    const diff = run([poolSnapshot()], { ...OPTIONS, discovery: false })[0]!;
    expect(diff.messages.map((m) => m.kind)).toEqual(["state"]);
  });

  it("treats a non-integer or zero removal count as at least one poll", () => {
    const diffs = run([poolSnapshot(), poolSnapshot([])], { ...OPTIONS, removeAfterPolls: 0 });
    expect(last(diffs).messages.some((m) => m.kind === "clear-config")).toBe(true);
  });
});

describe("snapshotMessages", () => {
  it("lists every config, then every state, as published", () => {
    const view = last(run([systemSnapshot(), poolSnapshot()])).view;
    const messages = snapshotMessages(view);
    expect(messages.map((m) => m.kind)).toEqual(["config", "config", "config", "state", "state"]);
    expect(messages.filter((m) => m.kind === "state").map((m) => m.topic)).toEqual([
      SYSTEM_STATE,
      POOL_STATE,
    ]);
    expect(messages.every((m) => m.retain && m.payload !== "")).toBe(true);
    expect(
      validateDiscoverySet(
        messages.filter((m) => m.kind === "config"),
        PROJECT,
      ),
    ).toEqual([]);
  });

  it("is empty for an empty view", () => {
    expect(snapshotMessages(EMPTY_VIEW)).toEqual([]);
  });
});

describe("staleConfigTopics", () => {
  it("finds retained configs under this NAS's node id that the view does not hold", () => {
    const view = last(run([systemSnapshot()])).view;
    const node = discoveryNodeId(NAS.id);
    const kept = [...view.configs.keys()][0]!;
    const retained = [
      kept,
      `homeassistant/sensor/${node}/pool_gone__used/config`,
      `homeassistant/sensor/${node}/pool_gone__used/config`,
      `homeassistant/sensor/truenas2mqtt_nas_other/pool_1__used/config`,
      `homeassistant/sensor/0x00158d0001/temperature/config`,
      `truenas2mqtt/${NAS.id}/pool/1`,
    ];
    expect(staleConfigTopics(view, retained, CTX)).toEqual([
      `homeassistant/sensor/${node}/pool_gone__used/config`,
    ]);
  });
});

describe("several NAS", () => {
  it("keep separate views and topics", () => {
    const other = { ...OPTIONS, context: { ...CTX, nas: { id: "nas_other", hostname: "truenas-02" } } };
    const a = diffGroupPoll(EMPTY_VIEW, systemSnapshot(), OPTIONS);
    const b = diffGroupPoll(EMPTY_VIEW, systemSnapshot(), other);
    const topicsA = new Set(a.messages.map((m) => m.topic));
    expect(b.messages.some((m) => topicsA.has(m.topic))).toBe(false);
    expect(
      validateDiscoverySet(
        [...a.messages, ...b.messages].filter((m) => m.kind === "config"),
        { project: true },
      ),
    ).toEqual([]);
  });
});

describe("state documents from a real object", () => {
  it("serialise dates with an offset for timestamp sensors", () => {
    const doc = { boot_time: new Date(Date.UTC(2026, 0, 5, 8, 12)) };
    const diff = run([
      snapshot("system", {
        devices: systemSnapshot().devices,
        objects: [systemObject(doc)],
        entities: [CPU_TEMP],
      }),
    ])[0]!;
    expect(diff.messages.find((m) => m.kind === "state")!.payload).toBe(
      '{"boot_time":"2026-01-05T08:12:00.000+00:00"}',
    );
  });
});

describe("what a group's last poll built", () => {
  const withoutBuilt = (view: RegistryView): RegistryView => ({
    configs: view.configs,
    states: view.states,
    devices: view.devices,
  });

  it("gives the same messages as building everything again", () => {
    const polls = [
      systemSnapshot(),
      poolSnapshot(),
      systemSnapshot({ cpu_temp: 50, hostname: "x" }),
      poolSnapshot(),
    ];
    let cached: RegistryView = EMPTY_VIEW;
    let fresh: RegistryView = EMPTY_VIEW;
    for (const poll of polls) {
      const a = diffGroupPoll(cached, poll, OPTIONS);
      const b = diffGroupPoll(fresh, poll, OPTIONS);
      expect(a.messages).toEqual(b.messages);
      cached = a.view;
      fresh = withoutBuilt(b.view);
    }
  });

  it("rebuilds a config when its device changed, though the entity spec did not", () => {
    const first = diffGroupPoll(EMPTY_VIEW, systemSnapshot(), OPTIONS);
    const renamed = snapshot("system", {
      devices: [{ ...systemSnapshot().devices[0]!, name: "renamed-nas" }],
      objects: systemSnapshot().objects,
      entities: systemSnapshot().entities,
    });
    const second = diffGroupPoll(first.view, renamed, OPTIONS);
    const config = second.messages.find((m) => m.kind === "config");
    expect(JSON.parse(config!.payload).device.name).toBe("renamed-nas");
  });

  it("rebuilds every config for a new context (another bridge version)", () => {
    const first = diffGroupPoll(EMPTY_VIEW, systemSnapshot(), OPTIONS);
    const context = { ...CTX, origin: { ...CTX.origin, swVersion: "9.9.9" } };
    const second = diffGroupPoll(first.view, systemSnapshot(), { ...OPTIONS, context });
    const config = second.messages.find((m) => m.kind === "config");
    expect(JSON.parse(config!.payload).origin.sw_version).toBe("9.9.9");
  });
});
