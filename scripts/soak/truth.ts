/**
 * The end-of-soak correctness check: what the broker holds retained must equal what a bridge that never saw
 * a fault would publish for the simulated NAS as it is now. The truth is built without the bridge: every
 * group is fetched in-process against the world and normalised, and the snapshots go through the registry
 * from an empty view in the group table's order. The retained side is read by a fresh subscriber.
 */
import { randomBytes } from "node:crypto";
import mqtt from "mqtt";
import type { AppConfig } from "../../src/config/loadConfig.js";
import { NAS_DEVICE } from "../../src/entities/ids.js";
import type { DeviceSpec, DiscoveryContext, GroupSnapshot } from "../../src/entities/model.js";
import {
  diffGroupPoll,
  EMPTY_VIEW,
  snapshotMessages,
  type RegistryView,
} from "../../src/entities/registry.js";
import { bridgeStateTopic, nasAvailabilityTopic } from "../../src/entities/topics.js";
import type { GroupDefinition } from "../../src/groups/group.js";
import type { MqttPublisher } from "../../src/mqtt/publisher.js";
import type { SimWorld } from "../../src/simulator/nas/world.js";
import type { SystemInfo } from "../../src/truenas/clientTypes.js";
import { parseEjson, stringifyEjson } from "../../src/truenas/ejson.js";
import { MethodNotFoundError } from "../../src/truenas/errors.js";
import { parseVersion } from "../../src/truenas/version.js";
import { worldCall } from "../../test/support/worldCall.js";

export interface TruthInput {
  readonly world: SimWorld;
  readonly config: AppConfig;
  readonly groups: readonly GroupDefinition[];
  readonly context: DiscoveryContext;
  /** `system.info` of the bridge's session (the NAS device is built from it). */
  readonly info: SystemInfo;
}

/** The NAS device as the bridge seeds it on every ready (nasBridge.ts #seedNasDevice). */
function nasDevice(hostname: string, info: SystemInfo): DeviceSpec {
  const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
  const serial = text(info.system_serial);
  return {
    key: NAS_DEVICE,
    name: hostname,
    manufacturer: "iXsystems",
    model: text(info.system_product) ?? "TrueNAS",
    swVersion: info.version,
    ...(serial ? { serialNumber: serial } : {}),
  };
}

/** Every retained topic and payload a faultless bridge would leave on the broker. */
export async function expectedRetained(input: TruthInput): Promise<Map<string, string>> {
  const { world, config, context } = input;
  const version = parseVersion(input.info.version);
  const options = { datasets: config.datasets };
  const registry = { context, removeAfterPolls: 1, discovery: config.homeassistant.discovery };
  const seed: GroupSnapshot = {
    group: "nas",
    devices: [nasDevice(context.nas.hostname, input.info)],
    objects: [],
    entities: [],
  };
  let view: RegistryView = diffGroupPoll(EMPTY_VIEW, seed, registry).view;
  // The wire form of the realtime payload, as the bridge receives it in the event.
  const latest = parseEjson(stringifyEjson(world.realtimeStats()));
  for (const group of input.groups) {
    if (config.poll[group.name].kind === "off") continue;
    let raw: unknown;
    try {
      raw = await group.fetch({ call: worldCall(world), version, options, latest });
    } catch (err) {
      if (err instanceof MethodNotFoundError) continue; // the bridge disables such a group too
      throw err;
    }
    const snapshot = group.normalise(raw, { nas: context.nas, version, options });
    view = diffGroupPoll(view, snapshot, registry).view;
  }
  const retained = new Map(snapshotMessages(view).map((m) => [m.topic, m.payload]));
  retained.set(bridgeStateTopic(context.topics), "online");
  retained.set(nasAvailabilityTopic(context.topics, context.nas.id), "online");
  return retained;
}

/**
 * What the broker holds retained under the bridge's topics. A marker sent through the bridge's own
 * connection first proves the broker has processed everything the bridge published before it. mosquitto
 * sends the retained messages of a subscription before it handles the subscriber's next packet, so a second
 * marker ends the burst there; aedes streams them from its store afterwards, so the burst ends only when
 * the messages stop coming.
 */
export async function retainedOnBroker(
  url: string,
  publisher: MqttPublisher,
  filters: readonly string[],
): Promise<Map<string, string>> {
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
  try {
    const marker = `truenas2mqtt-soak/marker/${randomBytes(6).toString("hex")}`;
    const retained = new Map<string, string>();
    let collecting = false;
    let lastRetainedAt = Date.now();
    const seen = new Map<string, () => void>();
    client.on("message", (topic, payload, packet) => {
      if (topic === marker) seen.get(payload.toString())?.();
      else if (collecting && packet.retain) {
        retained.set(topic, payload.toString());
        lastRetainedAt = Date.now();
      }
    });
    const markerArrives = (payload: string): Promise<void> =>
      new Promise((resolve) => seen.set(payload, resolve));
    await client.subscribeAsync(marker, { qos: 1 });
    const fromBridge = markerArrives("bridge");
    if (publisher.publish([{ topic: marker, payload: "bridge", retain: false, qos: 1 }]) !== 1)
      throw new Error("the bridge is not connected to the broker");
    await fromBridge;
    collecting = true;
    await client.subscribeAsync([...filters], { qos: 0 });
    const end = markerArrives("end");
    await client.publishAsync(marker, "end", { qos: 1 });
    await end;
    const deadline = Date.now() + RETAINED_BURST_MAX_MS;
    while (Date.now() - lastRetainedAt < RETAINED_QUIET_MS && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, RETAINED_QUIET_MS / 5));
    return retained;
  } finally {
    await client.endAsync(true);
  }
}

const RETAINED_QUIET_MS = 300;
const RETAINED_BURST_MAX_MS = 10_000;

/** Differences between the truth and the broker, one line each (payloads shortened). */
export function compareRetained(expected: Map<string, string>, actual: Map<string, string>): string[] {
  const short = (s: string): string => (s.length > 160 ? `${s.slice(0, 157)}...` : s);
  const problems: string[] = [];
  for (const [topic, payload] of expected) {
    const got = actual.get(topic);
    if (got === undefined) problems.push(`missing ${topic}`);
    else if (got !== payload) problems.push(`differs ${topic}: expected ${short(payload)} got ${short(got)}`);
  }
  for (const topic of actual.keys())
    if (!expected.has(topic)) problems.push(`unexpected ${topic}: ${short(actual.get(topic) ?? "")}`);
  return problems.sort();
}
