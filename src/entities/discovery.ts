/**
 * Builds single-component HA MQTT discovery messages from entity specs (ha-mqtt-discovery.md §1.1, §3, §9.1).
 * Single-component rather than device-based discovery: one bad entity cannot take the whole device down, and
 * it works on every HA version (§10 "Form"). Full key names, no abbreviations, no `~`.
 *
 * Every payload has `unique_id`, `default_entity_id` (never the deprecated `object_id`, §3.2), a `device` block
 * with a name, an `origin`, and two availability topics, the bridge LWT and the NAS's, with `availability_mode:
 * all` (§2.2, §10 "Availability").
 */
import { checkEntitySpec } from "./checkSpec.js";
import {
  BRIDGE_ID,
  NAS_DEVICE,
  defaultEntityId,
  deviceIdentifier,
  discoveryNodeId,
  entityObjectId,
  uniqueId,
} from "./ids.js";
import type {
  BinarySensorTemplate,
  ButtonTemplate,
  CommandSpec,
  DeviceSpec,
  DiscoveryContext,
  EntitySpec,
  SensorTemplate,
  SwitchTemplate,
  UpdateTemplate,
} from "./model.js";
import type { JsonValue } from "./stateDoc.js";
import {
  attributesTemplate,
  enumTemplate,
  numberTemplate,
  onOffTemplate,
  textTemplate,
  timestampTemplate,
  updateTemplate,
} from "./templates.js";
import {
  bridgeStateTopic,
  commandTopic,
  discoveryTopic,
  nasAvailabilityTopic,
  objectAttributesTopic,
  objectStateTopic,
} from "./topics.js";

export type DiscoveryPayload = { [key: string]: JsonValue };

export interface DiscoveryMessage {
  readonly topic: string;
  readonly payload: DiscoveryPayload;
}

/** A spec HA would refuse or mis-show; thrown by `buildDiscovery`, caught per entity by the registry. */
export class EntitySpecError extends Error {
  override readonly name = "EntitySpecError";
  constructor(
    readonly problems: readonly string[],
    readonly entity: string,
  ) {
    super(`invalid entity spec ${entity}: ${problems.join("; ")}`);
  }
}

/** Commands HA publishes on press/install when the spec gives no payload (HA's own defaults, §3.6, §3.8). */
const DEFAULT_PRESS = "PRESS";
const DEFAULT_INSTALL = "INSTALL";

/** Drops undefined values so optional keys are simply absent; null is kept (it means something to HA). */
function compact(entries: { [key: string]: JsonValue | undefined }): DiscoveryPayload {
  const out: DiscoveryPayload = {};
  for (const [key, value] of Object.entries(entries)) if (value !== undefined) out[key] = value;
  return out;
}

interface Topics {
  readonly state: string;
  command(command: CommandSpec, key: string): string;
}

/** The component-specific keys, one builder per component. */
const COMPONENT_KEYS = {
  sensor: (spec: SensorTemplate, topics: Topics) =>
    compact({
      state_topic: topics.state,
      value_template: sensorTemplate(spec),
      device_class: spec.deviceClass,
      unit_of_measurement: "unit" in spec ? spec.unit : undefined,
      state_class: "stateClass" in spec ? spec.stateClass : undefined,
      options: spec.deviceClass === "enum" ? [...spec.options] : undefined,
      suggested_display_precision: spec.suggestedDisplayPrecision,
    }),
  binary_sensor: (spec: BinarySensorTemplate, topics: Topics) =>
    compact({
      state_topic: topics.state,
      value_template: onOffTemplate(spec.field, spec.invert),
      payload_on: "ON",
      payload_off: "OFF",
      device_class: spec.deviceClass,
    }),
  button: (spec: ButtonTemplate, topics: Topics) =>
    compact({
      command_topic: topics.command(spec.command, spec.key),
      payload_press: spec.command.payload ?? DEFAULT_PRESS,
      device_class: spec.deviceClass,
    }),
  switch: (spec: SwitchTemplate, topics: Topics) =>
    compact({
      state_topic: topics.state,
      value_template: onOffTemplate(spec.field),
      state_on: "ON",
      state_off: "OFF",
      command_topic: topics.command(spec.command, spec.key),
      payload_on: "ON",
      payload_off: "OFF",
      device_class: spec.deviceClass,
    }),
  update: (spec: UpdateTemplate, topics: Topics) =>
    compact({
      state_topic: topics.state,
      value_template: updateTemplate({
        installed: spec.installedField,
        latest: spec.latestField,
        inProgress: spec.inProgressField,
        percentage: spec.percentageField,
      }),
      command_topic: spec.command ? topics.command(spec.command, spec.key) : undefined,
      payload_install: spec.command ? (spec.command.payload ?? DEFAULT_INSTALL) : undefined,
      device_class: spec.deviceClass,
      title: spec.title,
      release_url: spec.releaseUrl,
    }),
} satisfies {
  [C in EntitySpec["component"]]: (spec: Extract<EntitySpec, { component: C }>, t: Topics) => object;
};

function sensorTemplate(spec: SensorTemplate): string {
  switch (spec.deviceClass) {
    case "timestamp":
      return timestampTemplate(spec.field);
    case "enum":
      return enumTemplate(spec.field, spec.options, spec.fallback);
    case undefined:
      return spec.numeric === true ? numberTemplate(spec.field) : textTemplate(spec.field);
    default:
      return numberTemplate(spec.field);
  }
}

function componentKeys(spec: EntitySpec, topics: Topics): DiscoveryPayload {
  switch (spec.component) {
    case "sensor":
      return COMPONENT_KEYS.sensor(spec, topics);
    case "binary_sensor":
      return COMPONENT_KEYS.binary_sensor(spec, topics);
    case "button":
      return COMPONENT_KEYS.button(spec, topics);
    case "switch":
      return COMPONENT_KEYS.switch(spec, topics);
    case "update":
      return COMPONENT_KEYS.update(spec, topics);
  }
}

/** The `device` block (§3.3): identifiers from immutable ids, the name always present. */
export function deviceBlock(nasId: string, device: DeviceSpec): DiscoveryPayload {
  return compact({
    identifiers: [deviceIdentifier(nasId, device.key)],
    name: device.name,
    manufacturer: device.manufacturer,
    model: device.model,
    model_id: device.modelId,
    sw_version: device.swVersion,
    hw_version: device.hwVersion,
    serial_number: device.serialNumber,
    configuration_url: device.configurationUrl,
    via_device: device.viaDevice === undefined ? undefined : deviceIdentifier(nasId, device.viaDevice),
  });
}

/** `origin` block (§3.1): invalid origin makes HA drop the whole payload, so only known-good keys. */
export function originBlock(ctx: DiscoveryContext): DiscoveryPayload {
  return compact({ name: BRIDGE_ID, sw_version: ctx.origin.swVersion, support_url: ctx.origin.supportUrl });
}

/** Bridge LWT and NAS availability, both required (§2.2 `availability_mode: all`). */
export function availabilityKeys(ctx: DiscoveryContext): DiscoveryPayload {
  return {
    availability: [
      { topic: bridgeStateTopic(ctx.topics) },
      { topic: nasAvailabilityTopic(ctx.topics, ctx.nas.id) },
    ],
    availability_mode: "all",
  };
}

function attributesKeys(spec: EntitySpec, ctx: DiscoveryContext): DiscoveryPayload {
  const { attributes } = spec;
  if (attributes === undefined) return {};
  const fromDetail = attributes.from === "attributes";
  return {
    json_attributes_topic: fromDetail
      ? objectAttributesTopic(ctx.topics, ctx.nas.id, spec.object)
      : objectStateTopic(ctx.topics, ctx.nas.id, spec.object),
    json_attributes_template: attributesTemplate(fromDetail ? undefined : attributes.field),
  };
}

/** `default_entity_id` from host name, child device name and entity name, like HA's own derivation. */
function suggestedEntityId(spec: EntitySpec, ctx: DiscoveryContext, device: DeviceSpec): string {
  const deviceName = device.key === NAS_DEVICE ? undefined : device.name;
  return defaultEntityId(spec.component, [ctx.nas.hostname, deviceName, spec.name]);
}

/**
 * The discovery message of one entity. `device` is the HA device the entity belongs to (the registry resolves
 * it from the spec's `device` or its object's). Throws `EntitySpecError` for a spec HA would not accept.
 */
export function buildDiscovery(
  spec: EntitySpec,
  ctx: DiscoveryContext,
  device: DeviceSpec,
): DiscoveryMessage {
  const problems = checkEntitySpec(spec);
  const objectId = entityObjectId(spec.object, spec.key);
  if (problems.length > 0) throw new EntitySpecError(problems, objectId);
  const topics: Topics = {
    state: objectStateTopic(ctx.topics, ctx.nas.id, spec.object),
    command: (command, key) => commandTopic(ctx.topics, ctx.nas.id, spec.object, command.key ?? key),
  };
  const payload: DiscoveryPayload = {
    name: spec.name,
    unique_id: uniqueId(ctx.nas.id, spec.object, spec.key),
    default_entity_id: suggestedEntityId(spec, ctx, device),
    ...componentKeys(spec, topics),
    ...attributesKeys(spec, ctx),
    ...compact({
      entity_category: spec.entityCategory,
      icon: spec.icon,
      enabled_by_default: spec.enabledByDefault,
    }),
    ...availabilityKeys(ctx),
    device: deviceBlock(ctx.nas.id, device),
    origin: originBlock(ctx),
  };
  const topic = discoveryTopic(ctx.topics, spec.component, discoveryNodeId(ctx.nas.id), objectId);
  return { topic, payload };
}
