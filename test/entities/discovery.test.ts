import { describe, expect, it } from "vitest";
import { buildDiscovery, EntitySpecError } from "../../src/entities/discovery.js";
import {
  SENSOR_CLASS_STATE_CLASSES,
  SENSOR_CLASS_UNITS,
  type NumericSensorClass,
} from "../../src/entities/haTables.js";
import { deviceKey, NAS_DEVICE } from "../../src/entities/ids.js";
import { bindEntities, type EntitySpec, type EntityTemplate } from "../../src/entities/model.js";
import { sanitizeTopicId } from "../../src/entities/topics.js";
import { validateDiscoveryMessage, validateDiscoverySet } from "../support/haDiscoveryValidator.js";
import {
  CPU_TEMP,
  CTX,
  NAS,
  NAS_DEVICE_SPEC,
  POOL,
  POOL_DEVICE,
  POOL_STATUS,
  POOL_USED,
  PROJECT,
  SYSTEM,
} from "./fixtures.js";

function build(spec: EntitySpec, device = spec.object === POOL ? POOL_DEVICE : NAS_DEVICE_SPEC) {
  return buildDiscovery(spec, CTX, device);
}

function problemsOf(spec: EntitySpec): string[] {
  const { topic, payload } = build(spec);
  return validateDiscoveryMessage(topic, JSON.stringify(payload), PROJECT);
}

const classes = Object.keys(SENSOR_CLASS_UNITS) as NumericSensorClass[];
const COMBINATIONS = classes.flatMap((deviceClass) =>
  (SENSOR_CLASS_UNITS[deviceClass] as readonly string[]).flatMap((unit) =>
    [undefined, ...SENSOR_CLASS_STATE_CLASSES[deviceClass]].map(
      (stateClass) => [deviceClass, unit, stateClass ?? "none"] as const,
    ),
  ),
);

describe("every sensor device class, unit and state class the bridge may use", () => {
  it.each(COMBINATIONS)(
    "%s in %s with state class %s passes the validator",
    (deviceClass, unit, stateClass) => {
      const spec = {
        ...CPU_TEMP,
        deviceClass,
        unit,
        stateClass: stateClass === "none" ? undefined : stateClass,
      } as EntitySpec;
      expect(problemsOf(spec)).toEqual([]);
      expect(build(spec).payload).toMatchObject({ device_class: deviceClass, unit_of_measurement: unit });
    },
  );
});

const TEMPLATES: [string, EntityTemplate][] = [
  ["a numeric sensor", CPU_TEMP],
  [
    "a percentage without device class",
    {
      component: "sensor",
      key: "cpu_usage",
      name: "CPU usage",
      field: "cpu.usage",
      numeric: true,
      unit: "%",
      stateClass: "measurement",
      icon: "mdi:cpu-64-bit",
    },
  ],
  [
    "a text sensor",
    { component: "sensor", key: "version", name: "Version", field: "version", entityCategory: "diagnostic" },
  ],
  [
    "a timestamp sensor",
    {
      component: "sensor",
      key: "boot_time",
      name: "Last boot",
      field: "boot_time",
      deviceClass: "timestamp",
      entityCategory: "diagnostic",
    },
  ],
  ["an enum sensor", POOL_STATUS],
  [
    "a binary sensor",
    {
      component: "binary_sensor",
      key: "problem",
      name: "Problem",
      field: "healthy",
      invert: true,
      deviceClass: "problem",
      attributes: { from: "state", field: "topology" },
    },
  ],
  [
    "a button",
    {
      component: "button",
      key: "reboot",
      name: "Reboot",
      command: {},
      deviceClass: "restart",
      entityCategory: "config",
      enabledByDefault: false,
    },
  ],
  [
    "a switch",
    {
      component: "switch",
      key: "running",
      name: "Running",
      field: "running",
      command: { key: "run" },
      deviceClass: "switch",
    },
  ],
  [
    "an update",
    {
      component: "update",
      key: "update",
      name: "Update",
      installedField: "version",
      latestField: "latest",
      inProgressField: "job.running",
      percentageField: "job.pct",
      title: "TrueNAS",
      releaseUrl: "https://www.truenas.com/docs/",
      command: { payload: "UPGRADE" },
      deviceClass: "firmware",
      entityCategory: "config",
    },
  ],
  [
    "a read-only update",
    { component: "update", key: "app_update", name: "App", installedField: "version", latestField: "latest" },
  ],
  [
    "the device's main entity",
    {
      component: "binary_sensor",
      key: "state",
      name: null,
      field: "running",
      deviceClass: "running",
      attributes: { from: "attributes" },
    },
  ],
];

describe("an entity of each component", () => {
  it.each(TEMPLATES)("%s passes the validator on the NAS and on a child device", (_label, template) => {
    for (const object of [SYSTEM, POOL]) {
      const [spec] = bindEntities([template], object);
      expect(problemsOf(spec!)).toEqual([]);
    }
  });

  it("together with their devices, passes the set rules (unique ids, via_device, consistent devices)", () => {
    const specs = [
      ...bindEntities(
        TEMPLATES.map(([, t]) => t),
        SYSTEM,
      ),
      ...bindEntities(
        TEMPLATES.map(([, t]) => t),
        POOL,
      ),
    ];
    const messages = specs.map((spec) => build(spec));
    expect(validateDiscoverySet(messages, PROJECT)).toEqual([]);
    expect(new Set(messages.map((m) => m.topic)).size).toBe(specs.length);
  });
});

describe("payload contents", () => {
  it("carries ids, availability, device, origin and the value template", () => {
    const { topic, payload } = build(CPU_TEMP);
    expect(topic).toBe(`homeassistant/sensor/truenas2mqtt_${NAS.id}/system_system__cpu_temp/config`);
    expect(payload).toMatchObject({
      name: "CPU temperature",
      unique_id: `truenas2mqtt_${NAS.id}_system_system__cpu_temp`,
      default_entity_id: "sensor.truenas_01_cpu_temperature",
      state_topic: `truenas2mqtt/${NAS.id}/system/system`,
      device_class: "temperature",
      unit_of_measurement: "°C",
      state_class: "measurement",
      suggested_display_precision: 1,
      availability: [
        { topic: "truenas2mqtt/bridge/state" },
        { topic: `truenas2mqtt/${NAS.id}/availability` },
      ],
      availability_mode: "all",
      device: {
        identifiers: [`truenas2mqtt_${NAS.id}`],
        name: "truenas-01",
        manufacturer: "iXsystems",
        model: "TrueNAS Community Edition",
        sw_version: "25.10.0",
        serial_number: "A1B2C3D4",
        configuration_url: "https://truenas-01.home.arpa/",
      },
      origin: {
        name: "truenas2mqtt",
        sw_version: "0.1.0",
        support_url: "https://example.invalid/truenas2mqtt",
      },
    });
    expect(payload.value_template).toContain("v.get('cpu_temp')");
    expect(payload).not.toHaveProperty("object_id");
  });

  it("puts child devices under the NAS with via_device and names entity ids after them", () => {
    const { payload } = build(POOL_USED);
    expect(payload.device).toEqual({
      identifiers: [`truenas2mqtt_${NAS.id}_${deviceKey(POOL)}`],
      name: "Pool tank",
      manufacturer: "iXsystems",
      model: "ZFS pool",
      via_device: `truenas2mqtt_${NAS.id}`,
    });
    expect(payload.default_entity_id).toBe("sensor.truenas_01_pool_tank_used");
  });

  it("places a dataset on its pool's device with its name as a prefix", () => {
    const dataset = { kind: "dataset", id: "tank/media" };
    const [spec] = bindEntities([POOL_USED], dataset, { device: POOL_DEVICE.key, namePrefix: "tank/media" });
    const { topic, payload } = build(spec!, POOL_DEVICE);
    expect(payload.name).toBe("tank/media Used");
    expect(payload.state_topic).toBe(`truenas2mqtt/${NAS.id}/dataset/${sanitizeTopicId("tank/media")}`);
    expect(topic).toContain(`/dataset_${sanitizeTopicId("tank/media")}__used/`);
    expect(payload.default_entity_id).toBe("sensor.truenas_01_pool_tank_tank_media_used");
  });

  it("lists enum options, with no unit or state class on enum and timestamp sensors", () => {
    const status = build(POOL_STATUS).payload;
    expect(status.options).toEqual([
      "online",
      "degraded",
      "faulted",
      "offline",
      "unavail",
      "removed",
      "suspended",
      "unknown",
    ]);
    expect(status.value_template).toContain("else 'unknown' }}");
    const [boot] = bindEntities([TEMPLATES[3]![1]], SYSTEM);
    for (const payload of [status, build(boot!).payload]) {
      expect(payload).not.toHaveProperty("unit_of_measurement");
      expect(payload).not.toHaveProperty("state_class");
    }
  });

  it("pairs json_attributes_topic with a template, from the state or the detail document", () => {
    const [fromState, fromDetail] = bindEntities([TEMPLATES[5]![1], TEMPLATES[10]![1]], POOL);
    const state = build(fromState!).payload;
    expect(state.json_attributes_topic).toBe(state.state_topic);
    expect(state.json_attributes_template).toContain("v.get('topology')");
    const detail = build(fromDetail!).payload;
    expect(detail.json_attributes_topic).toBe(`${detail.state_topic as string}/attributes`);
    expect(detail.json_attributes_template).toBe(
      "{{ (value_json if value_json is mapping else {}) | tojson }}",
    );
  });

  it("gives commands their own topics and HA's default payloads", () => {
    const [button, toggle, update] = bindEntities(
      [TEMPLATES[6]![1], TEMPLATES[7]![1], TEMPLATES[8]![1]],
      POOL,
    );
    const state = `truenas2mqtt/${NAS.id}/pool/${POOL.id}`;
    expect(build(button!).payload).toMatchObject({
      command_topic: `${state}/reboot/set`,
      payload_press: "PRESS",
    });
    expect(build(toggle!).payload).toMatchObject({
      command_topic: `${state}/run/set`,
      payload_on: "ON",
      payload_off: "OFF",
      state_on: "ON",
      state_off: "OFF",
    });
    expect(build(update!).payload).toMatchObject({
      command_topic: `${state}/update/set`,
      payload_install: "UPGRADE",
    });
    const [readOnly] = bindEntities([TEMPLATES[9]![1]], POOL);
    expect(build(readOnly!).payload).not.toHaveProperty("command_topic");
    expect(build(button!).payload).not.toHaveProperty("state_topic");
  });

  it("is the same for the same spec (no time, no randomness)", () => {
    expect(JSON.stringify(build(CPU_TEMP))).toBe(JSON.stringify(build({ ...CPU_TEMP })));
  });

  it("keeps several NAS apart", () => {
    const other = { ...CTX, nas: { id: "nas_other", hostname: "truenas-02" } };
    const a = build(CPU_TEMP);
    const b = buildDiscovery(CPU_TEMP, other, { ...NAS_DEVICE_SPEC, key: NAS_DEVICE });
    expect(b.topic).not.toBe(a.topic);
    expect(b.payload.unique_id).not.toBe(a.payload.unique_id);
    expect(validateDiscoverySet([a, b], { project: true })).toEqual([]);
  });
});

describe("specs HA would refuse", () => {
  const bad: [string, EntitySpec][] = [
    ["a unit that does not match the class", { ...CPU_TEMP, unit: "C" } as unknown as EntitySpec],
    [
      "a state class the class does not allow",
      { ...CPU_TEMP, stateClass: "total_increasing" } as unknown as EntitySpec,
    ],
    ["an unknown device class", { ...CPU_TEMP, deviceClass: "cpu" } as unknown as EntitySpec],
    ["a unit on a timestamp", { ...CPU_TEMP, deviceClass: "timestamp" } as unknown as EntitySpec],
    ["an empty enum", { ...POOL_STATUS, options: [], fallback: undefined }],
    ["a fallback outside the options", { ...POOL_STATUS, fallback: "lost" }],
    ["upper-case options", { ...POOL_STATUS, options: ["ONLINE"], fallback: undefined }],
    ["entity_category config on a sensor", { ...CPU_TEMP, entityCategory: "config" }],
    ["an empty name", { ...CPU_TEMP, name: "" }],
    ["an icon without prefix", { ...CPU_TEMP, icon: "harddisk" } as unknown as EntitySpec],
    ["a bad field path", { ...CPU_TEMP, field: "cpu temp" }],
    ["a negative precision", { ...CPU_TEMP, suggestedDisplayPrecision: -1 }],
    [
      "a bad command key",
      { component: "button", key: "b", name: "B", command: { key: "Run" }, object: SYSTEM },
    ],
    [
      "a button device class it does not have",
      {
        component: "button",
        key: "b",
        name: "B",
        command: {},
        deviceClass: "shutdown",
        object: SYSTEM,
      } as unknown as EntitySpec,
    ],
  ];

  it.each(bad)("refuses %s with EntitySpecError", (_label, spec) => {
    expect(() => build(spec)).toThrow(EntitySpecError);
  });

  it("refuses a key that could not be a unique id", () => {
    expect(() => build({ ...CPU_TEMP, key: "CPU temp" })).toThrow(/entity key/);
  });
});
