import { describe, expect, it } from "vitest";
import {
  expandAbbreviations,
  validateDiscoveryMessage,
  validateDiscoverySet,
} from "./haDiscoveryValidator.js";

// ha-mqtt-discovery.md §9, composed for this project.
const AVAILABILITY = [
  { topic: "truenas2mqtt/bridge/availability" },
  { topic: "truenas2mqtt/nas_8f3c2a/availability" },
];
const DEVICE = {
  identifiers: ["truenas2mqtt_nas_8f3c2a"],
  name: "truenas-01",
  manufacturer: "iXsystems",
  model: "TrueNAS Community Edition",
  sw_version: "25.04.2",
  serial_number: "A1B2C3D4",
  configuration_url: "https://truenas-01.home.arpa/",
};
const ORIGIN = {
  name: "truenas2mqtt",
  sw_version: "0.1.0",
  support_url: "https://example.invalid/truenas2mqtt",
};
const CPU_TOPIC = "homeassistant/sensor/nas_8f3c2a/cpu_temp/config";
const CPU_TEMP = {
  name: "CPU temperature",
  unique_id: "truenas2mqtt_nas_8f3c2a_cpu_temp",
  default_entity_id: "sensor.nas_8f3c2a_cpu_temperature",
  state_topic: "truenas2mqtt/nas_8f3c2a/state",
  value_template: "{{ value_json.cpu.temperature_c }}",
  device_class: "temperature",
  unit_of_measurement: "°C",
  state_class: "measurement",
  suggested_display_precision: 1,
  availability: AVAILABILITY,
  availability_mode: "all",
  device: DEVICE,
  origin: ORIGIN,
};
const CPU_TEMP_SHORT = {
  name: "CPU temperature",
  uniq_id: "truenas2mqtt_nas_8f3c2a_cpu_temp",
  def_ent_id: "sensor.nas_8f3c2a_cpu_temperature",
  "~": "truenas2mqtt/nas_8f3c2a",
  stat_t: "~/state",
  val_tpl: "{{ value_json.cpu.temperature_c }}",
  dev_cla: "temperature",
  unit_of_meas: "°C",
  stat_cla: "measurement",
  sug_dsp_prc: 1,
  avty: [{ t: "truenas2mqtt/bridge/availability" }, { t: "~/availability" }],
  avty_mode: "all",
  dev: { ids: ["truenas2mqtt_nas_8f3c2a"], name: "truenas-01", mf: "iXsystems" },
  o: { name: "truenas2mqtt", sw: "0.1.0" },
};
const PARTS: [string, object][] = [
  [
    "homeassistant/binary_sensor/nas_8f3c2a/pool_tank_problem/config",
    {
      name: "Pool tank problem",
      unique_id: "truenas2mqtt_nas_8f3c2a_pool_tank_problem",
      state_topic: "truenas2mqtt/nas_8f3c2a/state",
      value_template: "{{ 'OFF' if value_json.pools.tank.healthy else 'ON' }}",
      device_class: "problem",
      entity_category: "diagnostic",
    },
  ],
  [
    "homeassistant/button/nas_8f3c2a/reboot/config",
    {
      name: "Reboot",
      unique_id: "truenas2mqtt_nas_8f3c2a_reboot",
      command_topic: "truenas2mqtt/nas_8f3c2a/cmd/reboot",
      payload_press: "REBOOT",
      device_class: "restart",
      entity_category: "config",
      enabled_by_default: false,
    },
  ],
  [
    "homeassistant/switch/nas_8f3c2a/svc_smb/config",
    {
      name: "SMB service",
      unique_id: "truenas2mqtt_nas_8f3c2a_svc_smb",
      command_topic: "truenas2mqtt/nas_8f3c2a/cmd/service/smb",
      state_topic: "truenas2mqtt/nas_8f3c2a/state",
      value_template: "{{ 'ON' if value_json.services.cifs.running else 'OFF' }}",
      payload_on: "START",
      payload_off: "STOP",
      state_on: "ON",
      state_off: "OFF",
      device_class: "switch",
      entity_category: "config",
    },
  ],
  [
    "homeassistant/update/nas_8f3c2a/os_update/config",
    {
      name: "TrueNAS",
      unique_id: "truenas2mqtt_nas_8f3c2a_os_update",
      state_topic: "truenas2mqtt/nas_8f3c2a/update",
      command_topic: "truenas2mqtt/nas_8f3c2a/cmd/update",
      payload_install: "INSTALL",
      device_class: "firmware",
      title: "TrueNAS",
      release_url: "https://www.truenas.com/docs/",
    },
  ],
  [
    "homeassistant/event/nas_8f3c2a/alert_event/config",
    {
      name: "Alert",
      unique_id: "truenas2mqtt_nas_8f3c2a_alert_event",
      state_topic: "truenas2mqtt/nas_8f3c2a/event/alert",
      event_types: ["info", "warning", "critical"],
    },
  ],
];
const DEVICE_DOC = {
  dev: {
    ids: ["truenas2mqtt_nas_8f3c2a"],
    name: "truenas-01",
    mf: "iXsystems",
    mdl: "TrueNAS Community Edition",
    sw: "25.04.2",
    cu: "https://truenas-01.home.arpa/",
  },
  o: { name: "truenas2mqtt", sw: "0.1.0", url: "https://example.invalid/truenas2mqtt" },
  avty: [{ t: "truenas2mqtt/bridge/availability" }, { t: "truenas2mqtt/nas_8f3c2a/availability" }],
  avty_mode: "all",
  stat_t: "truenas2mqtt/nas_8f3c2a/state",
  qos: 1,
  cmps: {
    cpu_temp: {
      p: "sensor",
      name: "CPU temperature",
      uniq_id: "truenas2mqtt_nas_8f3c2a_cpu_temp",
      dev_cla: "temperature",
      unit_of_meas: "°C",
      stat_cla: "measurement",
      val_tpl: "{{ value_json.cpu.temperature_c }}",
    },
    cpu_usage: {
      p: "sensor",
      name: "CPU usage",
      uniq_id: "truenas2mqtt_nas_8f3c2a_cpu_usage",
      unit_of_meas: "%",
      stat_cla: "measurement",
      ic: "mdi:cpu-64-bit",
      val_tpl: "{{ value_json.cpu.usage_pct }}",
    },
    pool_tank_used: {
      p: "sensor",
      name: "Pool tank used",
      uniq_id: "truenas2mqtt_nas_8f3c2a_pool_tank_used",
      dev_cla: "data_size",
      unit_of_meas: "B",
      stat_cla: "measurement",
      sug_dsp_prc: 0,
      val_tpl: "{{ value_json.pools.tank.used_bytes }}",
    },
    net_rx: {
      p: "sensor",
      name: "eno1 receive",
      uniq_id: "truenas2mqtt_nas_8f3c2a_net_eno1_rx",
      dev_cla: "data_rate",
      unit_of_meas: "B/s",
      stat_cla: "measurement",
      val_tpl: "{{ value_json.net.eno1.rx_bps }}",
    },
    boot_time: {
      p: "sensor",
      name: "Last boot",
      uniq_id: "truenas2mqtt_nas_8f3c2a_boot_time",
      dev_cla: "timestamp",
      ent_cat: "diagnostic",
      val_tpl: "{{ value_json.boot_time }}",
    },
    pool_tank_status: {
      p: "sensor",
      name: "Pool tank status",
      uniq_id: "truenas2mqtt_nas_8f3c2a_pool_tank_status",
      dev_cla: "enum",
      ops: ["online", "degraded", "faulted", "offline", "unavail", "removed"],
      val_tpl: "{{ value_json.pools.tank.status | lower }}",
    },
    reboot: {
      p: "button",
      name: "Reboot",
      uniq_id: "truenas2mqtt_nas_8f3c2a_reboot",
      cmd_t: "truenas2mqtt/nas_8f3c2a/cmd/reboot",
      dev_cla: "restart",
      ent_cat: "config",
      en: false,
    },
  },
};
const SENSOR_TOPIC = "homeassistant/sensor/truenas2mqtt_nas_1/pool_1__used/config";

/** The §9.1 sensor with some keys replaced (undefined = removed). */
function cpu(overrides: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...CPU_TEMP, ...overrides };
  for (const [key, value] of Object.entries(overrides)) if (value === undefined) delete out[key];
  return out;
}

const rulesOf = (problems: string[]): string[] =>
  problems.map((p) => p.replace(/^.*?: (?=[A-Z]\d)/, "").split(" ")[0]!);

describe("the §9 example payloads", () => {
  it("accepts the full single-component sensor, also under the project policy", () => {
    expect(validateDiscoveryMessage(CPU_TOPIC, JSON.stringify(CPU_TEMP))).toEqual([]);
    expect(validateDiscoveryMessage(CPU_TOPIC, CPU_TEMP, { project: true })).toEqual([]);
  });

  it("accepts the abbreviated variant with ~ and expands it to the same keys", () => {
    expect(validateDiscoveryMessage(CPU_TOPIC, CPU_TEMP_SHORT, { project: true })).toEqual([]);
    const expanded = expandAbbreviations(CPU_TEMP_SHORT);
    expect(expanded.unique_id).toBe(CPU_TEMP.unique_id);
    expect(expanded.device).toEqual({
      identifiers: DEVICE.identifiers,
      name: "truenas-01",
      manufacturer: "iXsystems",
    });
    expect(expanded.origin).toEqual({ name: "truenas2mqtt", sw_version: "0.1.0" });
  });

  it.each(PARTS)("accepts the component part %s", (topic, payload) => {
    expect(validateDiscoveryMessage(topic, payload)).toEqual([]);
  });

  it("accepts the device-based document, its button ignoring the inherited state_topic", () => {
    expect(validateDiscoveryMessage("homeassistant/device/nas_8f3c2a/config", DEVICE_DOC)).toEqual([]);
  });

  it("accepts removals (zero bytes) and a set of distinct payloads", () => {
    expect(validateDiscoveryMessage(CPU_TOPIC, "")).toEqual([]);
    expect(
      validateDiscoverySet([
        { topic: CPU_TOPIC, payload: CPU_TEMP },
        ...PARTS.map(([topic, payload]) => ({ topic, payload })),
      ]),
    ).toEqual([]);
  });
});

/** [rule, topic, payload, options]: each must produce at least one problem of that rule. */
const FAILING: [string, string, string | object, { project?: boolean }?][] = [
  ["T1", "homeassistant/sensor/nas.01/cpu/config", CPU_TEMP],
  ["T1", "homeassistant/sensor/heating_küche/cpu/config", CPU_TEMP],
  ["T1", "homeassistant/sensor/a/b/c/config", CPU_TEMP],
  ["T1", "other/sensor/nas/cpu/config", CPU_TEMP],
  ["T2", "homeassistant/gauge/nas/cpu/config", CPU_TEMP],
  ["P1", CPU_TOPIC, "[1, 2]"],
  ["P1", CPU_TOPIC, "{not json"],
  ["P3", CPU_TOPIC, cpu({ origin: { sw_version: "1" } })],
  ["P3", CPU_TOPIC, cpu({ origin: { name: "x", support_url: "example.invalid" } })],
  ["P4", CPU_TOPIC, cpu({ unit_of_measure: "°C" })],
  ["P5", CPU_TOPIC, cpu({ platform: "sensor" })],
  ["P6", CPU_TOPIC, cpu({ state_topic: "a/+x/b" })],
  ["P6", CPU_TOPIC, cpu({ state_topic: "a/\u0000/b" })],
  ["P6", CPU_TOPIC, cpu({ state_topic: "a/#/b" })],
  ["P6", "homeassistant/button/n/b/config", { name: "B", unique_id: "b", command_topic: "a/+/set" }],
  ["C1", CPU_TOPIC, cpu({ availability_topic: "x/y" })],
  ["C1", CPU_TOPIC, cpu({ availability: [{ payload_available: "on" }] })],
  ["C1", CPU_TOPIC, cpu({ availability_mode: "some" })],
  ["C2", CPU_TOPIC, cpu({ device: { name: "truenas-01" } })],
  ["C2", CPU_TOPIC, cpu({ device: { ...DEVICE, configuration_url: "/ui" } })],
  ["C2", CPU_TOPIC, cpu({ device: { ...DEVICE, connections: [["mac"]] } })],
  ["C3", CPU_TOPIC, cpu({ device: { identifiers: ["x"] } })],
  ["C4", CPU_TOPIC, cpu({ entity_category: "config" })],
  ["C4", CPU_TOPIC, cpu({ entity_category: "system" })],
  ["C5", CPU_TOPIC, cpu({ icon: "harddisk" })],
  ["C5", CPU_TOPIC, cpu({ qos: 3 })],
  ["C5", CPU_TOPIC, cpu({ enabled_by_default: "no" })],
  ["C5", CPU_TOPIC, cpu({ entity_picture: "/local/x.png" })],
  ["C6", CPU_TOPIC, cpu({ unique_id: undefined })],
  ["C7", CPU_TOPIC, cpu({ default_entity_id: "nas_cpu" })],
  ["C7", CPU_TOPIC, cpu({ default_entity_id: "binary_sensor.nas_cpu" })],
  ["C7", CPU_TOPIC, cpu({ default_entity_id: "sensor.Nas__cpu" })],
  ["C7", CPU_TOPIC, cpu({ object_id: "nas_cpu" })],
  ["C8", CPU_TOPIC, cpu({ icon: null })],
  ["C8", CPU_TOPIC, cpu({ value_template: ["x"] })],
  ["C9", CPU_TOPIC, cpu({ name: 5 })],
  ["C10", CPU_TOPIC, cpu({ name: "" })],
  ["C10", "homeassistant/switch/n/s/config", { unique_id: "s", command_topic: "a/set", state_topic: "a" }],
  ["S1", CPU_TOPIC, cpu({ state_topic: undefined })],
  ["S2", CPU_TOPIC, cpu({ device_class: "cpu" })],
  ["S2", CPU_TOPIC, cpu({ state_class: "average" })],
  ["S3", CPU_TOPIC, cpu({ options: ["a"] })],
  [
    "S3",
    CPU_TOPIC,
    cpu({ device_class: "enum", unit_of_measurement: undefined, state_class: undefined, options: [] }),
  ],
  ["S3", CPU_TOPIC, cpu({ device_class: "enum", unit_of_measurement: undefined, state_class: undefined })],
  ["S4", CPU_TOPIC, cpu({ last_reset_value_template: "{{ 0 }}" })],
  ["S5", CPU_TOPIC, cpu({ unit_of_measurement: "C" })],
  ["S5", CPU_TOPIC, cpu({ device_class: "data_size", unit_of_measurement: "KB" })],
  ["S5", CPU_TOPIC, cpu({ device_class: "data_rate", unit_of_measurement: "Mbps" })],
  ["S5", CPU_TOPIC, cpu({ device_class: "duration", unit_of_measurement: "sec" })],
  ["S5", CPU_TOPIC, cpu({ device_class: "aqi", unit_of_measurement: "%" })],
  ["S5", CPU_TOPIC, cpu({ device_class: "power", unit_of_measurement: "BTU/h" })],
  ["S6", CPU_TOPIC, cpu({ device_class: "timestamp" })],
  ["S6", CPU_TOPIC, cpu({ device_class: "timestamp", unit_of_measurement: undefined })],
  ["S7", CPU_TOPIC, cpu({ state_class: "total_increasing" })],
  ["S7", CPU_TOPIC, cpu({ device_class: "energy", unit_of_measurement: "kWh" })],
  ["S8", CPU_TOPIC, cpu({ suggested_display_precision: -1 })],
  ["S8", CPU_TOPIC, cpu({ expire_after: 1.5 })],
  ["B1", "homeassistant/binary_sensor/n/p/config", { name: "P", unique_id: "p", device_class: "problem" }],
  ["B2", "homeassistant/button/n/b/config", { name: "B", unique_id: "b" }],
  ["B3", "homeassistant/switch/n/s/config", { name: "S", unique_id: "s", state_topic: "a" }],
  ["B3", "homeassistant/switch/n/s/config", { name: "S", unique_id: "s", command_topic: "a/set" }],
  ["B4", "homeassistant/update/n/u/config", { name: "U", unique_id: "u", command_topic: "a/set" }],
  [
    "B4",
    "homeassistant/update/n/u/config",
    { name: "U", unique_id: "u", state_topic: "a", payload_install: "I" },
  ],
  ["B5", "homeassistant/event/n/e/config", { name: "E", unique_id: "e", state_topic: "a" }],
  [
    "B5",
    "homeassistant/event/n/e/config",
    { name: "E", unique_id: "e", state_topic: "a", event_types: ["x"], device_class: null },
  ],
  [
    "S2",
    "homeassistant/binary_sensor/n/p/config",
    { name: "P", unique_id: "p", state_topic: "a", device_class: "degraded" },
  ],
  [
    "S2",
    "homeassistant/button/n/b/config",
    { name: "B", unique_id: "b", command_topic: "a/set", device_class: "shutdown" },
  ],
  ["J1", CPU_TOPIC, cpu({ json_attributes_template: "{{ value_json | tojson }}" })],
  ["D1", "homeassistant/device/n/config", { ...DEVICE_DOC, "~": "truenas2mqtt" }],
  ["D2", "homeassistant/device/n/config", { ...DEVICE_DOC, o: undefined }],
  ["D3", "homeassistant/device/n/config", { ...DEVICE_DOC, cmps: { a: { name: "x" } } }],
  [
    "D3",
    "homeassistant/device/n/config",
    { ...DEVICE_DOC, cmps: { a: { p: "sensor", name: "x", stat_t: "a" } } },
  ],
  ["D5", "homeassistant/device/n/config", { ...DEVICE_DOC, cmps: { "a b": { p: "sensor" } } }],
  [
    "S5",
    "homeassistant/device/n/config",
    { ...DEVICE_DOC, cmps: { a: { p: "sensor", uniq_id: "a", dev_cla: "temperature", unit_of_meas: "C" } } },
  ],
  ["X1", CPU_TOPIC, cpu({ origin: undefined }), { project: true }],
  ["X2", CPU_TOPIC, cpu({ unique_id: undefined }), { project: true }],
  ["X3", CPU_TOPIC, cpu({ default_entity_id: undefined }), { project: true }],
  ["X4", CPU_TOPIC, cpu({ device: undefined }), { project: true }],
  ["X5", CPU_TOPIC, cpu({ availability_mode: "any" }), { project: true }],
  ["X5", CPU_TOPIC, cpu({ availability: undefined, availability_mode: undefined }), { project: true }],
  ["X7", CPU_TOPIC, cpu({ name: "truenas-01 CPU temperature" }), { project: true }],
  [
    "X8",
    CPU_TOPIC,
    cpu({ device_class: "uptime", unit_of_measurement: undefined, state_class: undefined }),
    { project: true },
  ],
  ["X8", CPU_TOPIC, cpu({ device_class: "duration", unit_of_measurement: "μs" }), { project: true }],
];

describe("each rule rejects its counter-example", () => {
  it.each(FAILING)("%s: %s", (rule, topic, payload, options) => {
    const body = typeof payload === "string" ? payload : JSON.parse(JSON.stringify(payload));
    const problems = validateDiscoveryMessage(topic, body, options);
    expect(rulesOf(problems)).toContain(rule);
  });

  it("normalises the micro sign before the unit check (§5.1)", () => {
    const micro = cpu({ device_class: "voltage", unit_of_measurement: "\u00b5V" });
    expect(validateDiscoveryMessage(CPU_TOPIC, micro)).toEqual([]);
  });

  it("lets the short key win over the long one", () => {
    expect(expandAbbreviations({ unique_id: "long", uniq_id: "short" }).unique_id).toBe("short");
    expect(expandAbbreviations({ uniq_id: "short", unique_id: "long" }).unique_id).toBe("short");
  });

  it("checks the availability topics a project payload must list", () => {
    const problems = validateDiscoveryMessage(CPU_TOPIC, CPU_TEMP, {
      project: true,
      availabilityTopics: ["truenas2mqtt/bridge/state", "truenas2mqtt/nas_8f3c2a/availability"],
    });
    expect(rulesOf(problems)).toEqual(["X5"]);
  });
});

describe("rules across a set of payloads", () => {
  const other = (overrides: Record<string, unknown>, topic = SENSOR_TOPIC) => ({
    topic,
    payload: cpu(overrides),
  });

  it("flags a duplicate unique_id within one domain (C6) but not across domains", () => {
    const problems = validateDiscoverySet([
      { topic: CPU_TOPIC, payload: CPU_TEMP },
      other({ default_entity_id: "sensor.other" }),
    ]);
    expect(rulesOf(problems)).toEqual(["C6"]);
    const binary = {
      topic: "homeassistant/binary_sensor/n/x/config",
      payload: { ...PARTS[0]![1], unique_id: CPU_TEMP.unique_id },
    };
    expect(validateDiscoverySet([{ topic: CPU_TOPIC, payload: CPU_TEMP }, binary])).toEqual([]);
  });

  it("flags the same topic twice (T3) and duplicate default entity ids (C7)", () => {
    const problems = validateDiscoverySet([
      { topic: CPU_TOPIC, payload: CPU_TEMP },
      { topic: CPU_TOPIC, payload: cpu({ unique_id: "u2", default_entity_id: "sensor.u2" }) },
      other({ unique_id: "u3" }),
    ]);
    expect(rulesOf(problems).sort()).toEqual(["C7", "T3"]);
  });

  it("flags devices described differently under one identifier (C3)", () => {
    const renamed = other({
      unique_id: "u2",
      default_entity_id: "sensor.u2",
      device: { ...DEVICE, name: "nas" },
    });
    expect(rulesOf(validateDiscoverySet([{ topic: CPU_TOPIC, payload: CPU_TEMP }, renamed]))).toContain("C3");
  });

  it("flags a via_device no device in the set has (C11), and accepts a known parent", () => {
    const child = (via: string) =>
      other({
        unique_id: "u2",
        default_entity_id: "sensor.u2",
        device: { identifiers: ["child"], name: "tank", via_device: via },
      });
    expect(rulesOf(validateDiscoverySet([{ topic: CPU_TOPIC, payload: CPU_TEMP }, child("nobody")]))).toEqual(
      ["C11"],
    );
    expect(
      validateDiscoverySet([{ topic: CPU_TOPIC, payload: CPU_TEMP }, child(DEVICE.identifiers[0]!)]),
    ).toEqual([]);
  });
});
