/** Shared test data for the entity core: one NAS, its device, a pool child device and a few objects. */
import { deviceKey, makeNasIdentity, NAS_DEVICE } from "../../src/entities/ids.js";
import type {
  DeviceSpec,
  DiscoveryContext,
  EntitySpec,
  GroupSnapshot,
  ObjectRef,
  ObjectState,
} from "../../src/entities/model.js";
import { bridgeStateTopic, nasAvailabilityTopic } from "../../src/entities/topics.js";

export const NAS = makeNasIdentity({ hostId: "2f1a9c0e7d5b4e3a8c6f0a1b2c3d4e5f", hostname: "truenas-01" });

export const CTX: DiscoveryContext = {
  topics: { baseTopic: "truenas2mqtt", discoveryPrefix: "homeassistant" },
  nas: NAS,
  origin: { swVersion: "0.1.0", supportUrl: "https://example.invalid/truenas2mqtt" },
};

/** The availability topics every payload of `CTX` must list, in order. */
export const AVAILABILITY_TOPICS = [bridgeStateTopic(CTX.topics), nasAvailabilityTopic(CTX.topics, NAS.id)];

/** Validator options for truenas2mqtt payloads. */
export const PROJECT = { project: true, availabilityTopics: AVAILABILITY_TOPICS } as const;

export const NAS_DEVICE_SPEC: DeviceSpec = {
  key: NAS_DEVICE,
  name: "truenas-01",
  manufacturer: "iXsystems",
  model: "TrueNAS Community Edition",
  swVersion: "25.10.0",
  serialNumber: "A1B2C3D4",
  configurationUrl: "https://truenas-01.home.arpa/",
};

export const SYSTEM: ObjectRef = { kind: "system", id: "system" };
export const POOL: ObjectRef = { kind: "pool", id: "15532686415350213493" };

export const POOL_DEVICE: DeviceSpec = {
  key: deviceKey(POOL),
  name: "Pool tank",
  manufacturer: "iXsystems",
  model: "ZFS pool",
  viaDevice: NAS_DEVICE,
};

export function systemObject(
  doc: ObjectState["doc"] = { cpu_temp: 41.5, hostname: "truenas-01" },
): ObjectState {
  return { ref: SYSTEM, device: NAS_DEVICE, doc };
}

export function poolObject(
  doc: ObjectState["doc"] = { status: "ONLINE", used: 1000, healthy: true },
): ObjectState {
  return { ref: POOL, device: POOL_DEVICE.key, doc };
}

export const CPU_TEMP = {
  component: "sensor",
  key: "cpu_temp",
  name: "CPU temperature",
  field: "cpu_temp",
  deviceClass: "temperature",
  unit: "°C",
  stateClass: "measurement",
  suggestedDisplayPrecision: 1,
  object: SYSTEM,
} satisfies EntitySpec;

export const POOL_USED = {
  component: "sensor",
  key: "used",
  name: "Used",
  field: "used",
  deviceClass: "data_size",
  unit: "B",
  stateClass: "measurement",
  object: POOL,
} satisfies EntitySpec;

export const POOL_STATUS = {
  component: "sensor",
  key: "status",
  name: "Status",
  field: "status",
  deviceClass: "enum",
  options: ["online", "degraded", "faulted", "offline", "unavail", "removed", "suspended", "unknown"],
  fallback: "unknown",
  object: POOL,
} satisfies EntitySpec;

export function snapshot(group: string, parts: Partial<Omit<GroupSnapshot, "group">> = {}): GroupSnapshot {
  return { group, devices: [], objects: [], entities: [], ...parts };
}

/** The system group: the NAS device, the system object, the CPU temperature. */
export function systemSnapshot(doc?: ObjectState["doc"]): GroupSnapshot {
  return snapshot("system", {
    devices: [NAS_DEVICE_SPEC],
    objects: [systemObject(doc)],
    entities: [CPU_TEMP],
  });
}

/** The pools group: the pool device, the pool object, used + status. */
export function poolSnapshot(
  objects: ObjectState[] = [poolObject()],
  entities: EntitySpec[] = [POOL_USED, POOL_STATUS],
): GroupSnapshot {
  return snapshot("pools", { devices: objects.length ? [POOL_DEVICE] : [], objects, entities });
}
