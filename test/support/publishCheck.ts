/**
 * Runs group snapshots through the registry the way the bridge does (the NAS device seeded first, as
 * NasBridge #seedNasDevice, then each snapshot in order) and checks every discovery config with the HA
 * validator in project mode. Groups that place entities on another group's device (datasets on pools) pass
 * that group's snapshot before their own.
 */
import { NAS_DEVICE } from "../../src/entities/ids.js";
import type { DiscoveryContext, GroupSnapshot, NasIdentity } from "../../src/entities/model.js";
import {
  diffGroupPoll,
  EMPTY_VIEW,
  snapshotMessages,
  type RegistryView,
} from "../../src/entities/registry.js";
import { bridgeStateTopic, nasAvailabilityTopic } from "../../src/entities/topics.js";
import { validateDiscoverySet } from "./haDiscoveryValidator.js";

export interface PublishCheck {
  /** Registry issues of every poll (specs it could not publish). */
  readonly issues: readonly string[];
  /** Validator problems over every config published. */
  readonly problems: readonly string[];
  readonly configs: number;
  readonly view: RegistryView;
}

export function publishCheck(nas: NasIdentity, snapshots: readonly GroupSnapshot[]): PublishCheck {
  const context: DiscoveryContext = {
    topics: { baseTopic: "truenas2mqtt", discoveryPrefix: "homeassistant" },
    nas,
    origin: { swVersion: "0.1.0", supportUrl: "https://example.invalid/truenas2mqtt" },
  };
  const seed: GroupSnapshot = {
    group: "nas",
    devices: [{ key: NAS_DEVICE, name: nas.hostname, manufacturer: "iXsystems", model: "TrueNAS" }],
    objects: [],
    entities: [],
  };
  let view = EMPTY_VIEW;
  const issues: string[] = [];
  const sent = new Map<string, string>();
  for (const snapshot of [seed, ...snapshots]) {
    const diff = diffGroupPoll(view, snapshot, { context, removeAfterPolls: 1 });
    issues.push(...diff.issues);
    for (const m of diff.messages) if (m.kind === "config") sent.set(m.topic, m.payload);
    view = diff.view;
  }
  // The republish rebuilds every config from its recipe (registry.ts ConfigRecipe): it must be what was sent.
  const configs = snapshotMessages(view).filter((m) => m.kind === "config");
  const rebuilt = configs
    .filter((m) => sent.get(m.topic) !== m.payload)
    .map((m) => `${m.topic}: the rebuilt config differs from the one sent`);
  const problems = [
    ...rebuilt,
    ...validateDiscoverySet(configs, {
      project: true,
      availabilityTopics: [bridgeStateTopic(context.topics), nasAvailabilityTopic(context.topics, nas.id)],
    }),
  ];
  return { issues, problems, configs: configs.length, view };
}
