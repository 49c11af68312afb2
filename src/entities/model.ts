/**
 * The entity model: what a method group's pure `normalise()` hands to the registry. Everything is plain,
 * declarative data: HA payloads are built from it by `discovery.ts`, never assembled by hand.
 *
 * - An **object** is one TrueNAS thing (a pool, a disk, an app, the NAS itself). It has one JSON state document
 *   on its own topic (`<base>/<nasId>/<kind>/<objectId>`), and optionally a detail document for attributes.
 * - A **device** is one HA device: the NAS, or a child device per pool/disk/app/VM/container (architecture.md).
 * - An **entity** is one HA entity reading a field of one object's state document.
 */
import type {
  BinarySensorDeviceClass,
  ButtonDeviceClass,
  EntityCategory,
  NumericSensorClass,
  SensorUnit,
  StateClass,
  StateClassFor,
  SwitchDeviceClass,
  UpdateDeviceClass,
} from "./haTables.js";
import type { DocValue } from "./stateDoc.js";

/** One TrueNAS system the bridge talks to. Everything the bridge publishes is keyed by its `id`. */
export interface NasIdentity {
  /** Stable, topic-safe id (`nas_<hash>` of the TrueNAS host id, see `nasIdFromHostId`). Never changes. */
  readonly id: string;
  /** Host name, for display and for suggested entity ids only. */
  readonly hostname: string;
}

/**
 * Which object: its kind (`pool`, `disk`, `app`, ...: one lower-case word, `[a-z][a-z0-9]*`) and its immutable
 * TrueNAS id, raw (pool guid, disk identifier, app name, VM id, dataset name). Never a renameable name when an
 * immutable id exists. Topic segments and unique ids are derived from it by `topics.ts` / `ids.ts`.
 */
export interface ObjectRef {
  readonly kind: string;
  readonly id: string;
}

/** A device key: `NAS_DEVICE` for the NAS itself, `deviceKey(ref)` for a child device. */
export type DeviceKey = string;

/** One HA device (ha-mqtt-discovery.md §3.3). */
export interface DeviceSpec {
  readonly key: DeviceKey;
  readonly name: string;
  readonly manufacturer?: string;
  readonly model?: string;
  readonly modelId?: string;
  readonly swVersion?: string;
  readonly hwVersion?: string;
  readonly serialNumber?: string;
  /** Absolute http(s) URL (HA rejects relative ones, §3.3). */
  readonly configurationUrl?: string;
  /** Parent device (`NAS_DEVICE` for pools, disks, apps...), rendered as `via_device`. */
  readonly viaDevice?: DeviceKey;
}

/** The JSON state document of one object. Dates, NaN and undefined are allowed here; `stateDoc.ts` normalises. */
export type StateDocument = { readonly [field: string]: DocValue };

/** One object's current state, from one group poll. */
export interface ObjectState {
  readonly ref: ObjectRef;
  /** The device the object's entities belong to unless an entity says otherwise. */
  readonly device: DeviceKey;
  readonly doc: StateDocument;
  /** Rich detail for `json_attributes_topic`, published on `<state topic>/attributes` when present. */
  readonly attributes?: StateDocument;
}

/**
 * A command an entity accepts (button press, switch on/off, update install). Only the discovery side exists:
 * the topic is `<state topic>/<key>/set`; handling commands is not implemented yet.
 */
export interface CommandSpec {
  /** Last-but-one topic level; defaults to the entity key. `[a-z][a-z0-9_]*`. */
  readonly key?: string;
  /** Button `payload_press` / update `payload_install` (default `PRESS` / `INSTALL`). */
  readonly payload?: string;
}

/** Where an entity's attributes come from: the object's detail document, or a mapping field of its state. */
export type AttributesSpec =
  { readonly from: "attributes" } | { readonly from: "state"; readonly field: string };

/** What every entity has. `key` is `[a-z][a-z0-9]*(_[a-z0-9]+)*` and unique per object. */
interface EntityCommon {
  readonly key: string;
  /** Entity name without the device name (HA prefixes it, §3.2); `null` = the device's main feature. */
  readonly name: string | null;
  readonly icon?: `mdi:${string}`;
  readonly entityCategory?: EntityCategory;
  readonly enabledByDefault?: boolean;
  readonly attributes?: AttributesSpec;
}

/** Sensor value kinds and their HA typing (§3.4, §5.3). Field paths are dotted: `scrub.state`. */
type SensorValue =
  | {
      [C in NumericSensorClass]: {
        readonly deviceClass: C;
        readonly unit: SensorUnit<C>;
        readonly stateClass?: StateClassFor<C>;
      };
    }[NumericSensorClass]
  /** A number without a device class: any unit (`%`, `rpm`, `IOPS`). */
  | {
      readonly deviceClass?: undefined;
      readonly numeric: true;
      readonly unit?: string;
      readonly stateClass?: StateClass;
    }
  /** Free text (≤ 255 characters are shown; longer text belongs in attributes). */
  | { readonly deviceClass?: undefined; readonly numeric?: false }
  /** ISO-8601 string with offset in the document (stateDoc turns Dates into that). */
  | { readonly deviceClass: "timestamp" }
  /**
   * One of `options`: the document value is lower-cased; anything else becomes `fallback` (which must be one of
   * the options) or unknown, so an unexpected TrueNAS value never makes HA reject the state.
   */
  | { readonly deviceClass: "enum"; readonly options: readonly string[]; readonly fallback?: string };

export type SensorTemplate = EntityCommon & {
  readonly component: "sensor";
  readonly field: string;
  readonly suggestedDisplayPrecision?: number;
} & SensorValue;

/** A boolean field shown as on/off; `invert` for fields like `healthy` under device class `problem`. */
export interface BinarySensorTemplate extends EntityCommon {
  readonly component: "binary_sensor";
  readonly field: string;
  readonly invert?: boolean;
  readonly deviceClass?: BinarySensorDeviceClass;
}

export interface ButtonTemplate extends EntityCommon {
  readonly component: "button";
  readonly command: CommandSpec;
  readonly deviceClass?: ButtonDeviceClass;
}

/** A boolean state field plus a command (payloads `ON`/`OFF`). */
export interface SwitchTemplate extends EntityCommon {
  readonly component: "switch";
  readonly field: string;
  readonly command: CommandSpec;
  readonly deviceClass?: SwitchDeviceClass;
}

/** An update entity reading version fields of the state document (§3.8). */
export interface UpdateTemplate extends EntityCommon {
  readonly component: "update";
  readonly installedField: string;
  readonly latestField: string;
  /** Boolean field: an install is running. */
  readonly inProgressField?: string;
  /** Number field 0–100 (or null). */
  readonly percentageField?: string;
  readonly title?: string;
  readonly releaseUrl?: string;
  /** Install action; absent = read-only update entity. */
  readonly command?: CommandSpec;
  readonly deviceClass?: UpdateDeviceClass;
}

/** An entity declared once per object kind, as constant data (`satisfies readonly EntityTemplate[]`). */
export type EntityTemplate =
  SensorTemplate | BinarySensorTemplate | ButtonTemplate | SwitchTemplate | UpdateTemplate;

export type Component = EntityTemplate["component"];

/** Binds a template to the object it reads. */
export interface EntityBinding {
  readonly object: ObjectRef;
  /** HA device, when not the object's own (e.g. datasets on their pool's device). */
  readonly device?: DeviceKey;
}

/** One concrete HA entity: a template bound to an object. */
export type EntitySpec = EntityTemplate & EntityBinding;

/** What one successful poll of one method group produced. */
export interface GroupSnapshot {
  readonly group: string;
  readonly devices: readonly DeviceSpec[];
  readonly objects: readonly ObjectState[];
  readonly entities: readonly EntitySpec[];
}

/** Fixed part of the discovery `origin` block (§3.1). */
export interface OriginInfo {
  readonly swVersion: string;
  readonly supportUrl?: string;
}

/** Topic roots, both configurable (§1.1: the discovery prefix is user-configurable in HA). */
export interface TopicSettings {
  /** `mqtt.base_topic`, e.g. `truenas2mqtt`. */
  readonly baseTopic: string;
  /** `homeassistant.discovery_prefix`, e.g. `homeassistant`. */
  readonly discoveryPrefix: string;
}

/** Everything discovery needs besides the spec: one per NAS. */
export interface DiscoveryContext {
  readonly topics: TopicSettings;
  readonly nas: NasIdentity;
  readonly origin: OriginInfo;
}

/**
 * Binds constant templates to one object. `namePrefix` prefixes entity names for objects that live on another
 * object's device (a dataset's "Used" on its pool's device becomes "tank/media Used").
 */
export function bindEntities(
  templates: readonly EntityTemplate[],
  object: ObjectRef,
  options: { readonly device?: DeviceKey; readonly namePrefix?: string } = {},
): EntitySpec[] {
  const { device, namePrefix } = options;
  return templates.map((template) => ({
    ...template,
    object,
    device,
    name: namePrefix === undefined ? template.name : joinName(namePrefix, template.name),
  }));
}

function joinName(prefix: string, name: string | null): string {
  return name === null ? prefix : `${prefix} ${name}`;
}
