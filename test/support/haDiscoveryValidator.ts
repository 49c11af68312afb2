/**
 * A Home Assistant MQTT discovery validator for tests: the checklist of ha-mqtt-discovery.md §8, with the rules of
 * §1.1 (topics), §3 (keys and types), §4 (abbreviations, `~`), §5 (device classes, units, state classes) and §6
 * (what HA rejects or mis-shows). It deliberately shares nothing with src/entities: its tables are written out
 * again from the doc, so a wrong table in the bridge cannot make its own payloads look valid.
 *
 * Every problem is one line starting with the §8 rule id and a severity: `R` HA refuses, `S` the state breaks at
 * runtime, `W` accepted but wrong or likely wrong, `P` truenas2mqtt's own policy (`X*` rules, `project: true`).
 * An empty list means valid.
 */

export interface ValidatorOptions {
  /** Discovery prefix (default `homeassistant`). */
  readonly prefix?: string;
  /** Also apply truenas2mqtt's policy: origin, unique_id, default_entity_id, named device, 2025.1 baseline... */
  readonly project?: boolean;
  /** With `project`: the availability topics every entity must list, in order. */
  readonly availabilityTopics?: readonly string[];
}

export interface DiscoveryInput {
  readonly topic: string;
  readonly payload: string | object;
}

type Obj = Record<string, unknown>;

// §1.1 SUPPORTED_COMPONENTS (2026 dev).
const SUPPORTED_COMPONENTS = new Set(
  (
    "alarm_control_panel binary_sensor button camera climate cover date datetime device_automation device_tracker " +
    "event fan humidifier image infrared lawn_mower light lock notify number scene siren select sensor switch tag " +
    "text time update vacuum valve water_heater"
  ).split(" "),
);
const NON_ENTITY_PLATFORMS = new Set(["device_automation", "tag"]);

// §4 abbreviations (the part of the general table the platforms validated here use).
// prettier-ignore
const GENERAL_ABBREVIATIONS: Record<string, string> = {
  avty: "availability", avty_mode: "availability_mode", avty_t: "availability_topic",
  avty_tpl: "availability_template", cmd_t: "command_topic", cmd_tpl: "command_template", cmps: "components",
  cont_type: "content_type", def_ent_id: "default_entity_id", dev: "device", dev_cla: "device_class",
  dsp_prc: "display_precision", e: "encoding", en: "enabled_by_default", ent_cat: "entity_category",
  ent_pic: "entity_picture", evt_typ: "event_types", exp_aft: "expire_after", frc_upd: "force_update", ic: "icon",
  img_e: "image_encoding", img_t: "image_topic", json_attr_t: "json_attributes_topic",
  json_attr_tpl: "json_attributes_template", l_ver_t: "latest_version_topic", l_ver_tpl: "latest_version_template",
  lrst_val_tpl: "last_reset_value_template", migr_discvry: "migrate_discovery", o: "origin", obj_id: "object_id",
  off_dly: "off_delay", ops: "options", opt: "optimistic", p: "platform", pl_avail: "payload_available",
  pl_inst: "payload_install", pl_not_avail: "payload_not_available", pl_off: "payload_off", pl_on: "payload_on",
  pl_prs: "payload_press", rel_s: "release_summary", rel_u: "release_url", ret: "retain", stat_cla: "state_class",
  stat_off: "state_off", stat_on: "state_on", stat_t: "state_topic", sug_dsp_prc: "suggested_display_precision",
  t: "topic", tit: "title", uniq_id: "unique_id", unit_of_meas: "unit_of_measurement", url_t: "url_topic",
  url_tpl: "url_template", val_tpl: "value_template",
};
// prettier-ignore
const DEVICE_ABBREVIATIONS: Record<string, string> = {
  cu: "configuration_url", cns: "connections", ids: "identifiers", mf: "manufacturer", mdl: "model",
  mdl_id: "model_id", hw: "hw_version", sw: "sw_version", sa: "suggested_area", sn: "serial_number",
};
const ORIGIN_ABBREVIATIONS: Record<string, string> = { sw: "sw_version", url: "support_url" };

// §3.1 common options, §3.4–§3.9 per-platform options (after expansion).
// prettier-ignore
const COMMON_KEYS = [
  "availability", "availability_mode", "availability_template", "availability_topic", "payload_available",
  "payload_not_available", "default_entity_id", "device", "enabled_by_default", "encoding", "entity_category",
  "entity_picture", "group", "icon", "json_attributes_template", "json_attributes_topic", "message_expiry_interval",
  "name", "object_id", "origin", "qos", "unique_id", "visible_by_default", "~",
];
// prettier-ignore
const PLATFORM_KEYS: Record<string, string[]> = {
  sensor: [
    "state_topic", "value_template", "device_class", "state_class", "unit_of_measurement",
    "suggested_display_precision", "options", "expire_after", "force_update", "last_reset_value_template",
  ],
  binary_sensor: [
    "state_topic", "value_template", "device_class", "payload_on", "payload_off", "expire_after", "force_update",
    "off_delay",
  ],
  button: ["command_topic", "command_template", "payload_press", "retain", "device_class"],
  switch: [
    "command_topic", "command_template", "state_topic", "value_template", "optimistic", "retain", "payload_on",
    "payload_off", "state_on", "state_off", "device_class",
  ],
  update: [
    "state_topic", "value_template", "command_topic", "payload_install", "latest_version_topic",
    "latest_version_template", "device_class", "title", "release_summary", "release_url", "display_precision",
    "retain",
  ],
  event: ["state_topic", "value_template", "event_types", "device_class"],
};
const AVAILABILITY_ENTRY_KEYS = new Set([
  "topic",
  "payload_available",
  "payload_not_available",
  "value_template",
]);
// prettier-ignore
const DEVICE_KEYS = new Set([
  "identifiers", "connections", "name", "manufacturer", "model", "model_id", "sw_version", "hw_version",
  "serial_number", "suggested_area", "configuration_url", "via_device",
]);
const ORIGIN_KEYS = new Set(["name", "sw_version", "support_url"]);
// prettier-ignore
const DEVICE_DOC_ROOT_KEYS = new Set([
  "device", "origin", "components", "availability", "availability_topic", "availability_template",
  "availability_mode", "payload_available", "payload_not_available", "state_topic", "command_topic", "qos",
  "encoding", "message_expiry_interval",
]);

// §5.3 sensor device classes with their units; [] = no unit allowed; absent from the map = not unit-checked.
const PRESSURE = ["mPa", "Pa", "hPa", "kPa", "bar", "cbar", "mbar", "mmHg", "inHg", "inH₂O", "psi"];
const ENERGY = [
  "J",
  "kJ",
  "MJ",
  "GJ",
  "mWh",
  "Wh",
  "kWh",
  "MWh",
  "GWh",
  "TWh",
  "cal",
  "kcal",
  "Mcal",
  "Gcal",
];
const VOLUME = ["L", "mL", "gal", "fl. oz.", "m³", "ft³", "CCF", "MCF"];
// prettier-ignore
const SENSOR_UNITS: Record<string, string[]> = {
  absolute_humidity: ["g/m³", "mg/m³"], apparent_power: ["mVA", "VA", "kVA"], aqi: [],
  area: ["m²", "cm²", "km²", "mm²", "in²", "ft²", "yd²", "mi²", "ac", "ha"], atmospheric_pressure: PRESSURE,
  battery: ["%"], blood_glucose_concentration: ["mg/dL", "mmol/L"], carbon_dioxide: ["ppm"],
  carbon_monoxide: ["ppm", "mg/m³", "μg/m³"], conductivity: ["S/cm", "μS/cm", "mS/cm"],
  current: ["mA", "A", "μA"],
  data_rate: ["bit/s", "kbit/s", "Mbit/s", "Gbit/s", "B/s", "kB/s", "MB/s", "GB/s", "KiB/s", "MiB/s", "GiB/s"],
  data_size: (
    "bit kbit Mbit Gbit B kB MB GB TB PB EB ZB YB KiB MiB GiB TiB PiB EiB ZiB YiB"
  ).split(" "),
  distance: ["mm", "cm", "m", "km", "in", "ft", "yd", "mi", "nmi"], duration: ["d", "h", "min", "s", "ms", "μs"],
  energy: ENERGY, energy_distance: ["kWh/100km", "Wh/km", "mi/kWh", "km/kWh"], energy_storage: ENERGY,
  frequency: ["Hz", "kHz", "MHz", "GHz", "mHz"], gas: ["L", "m³", "ft³", "CCF", "MCF"], humidity: ["%"],
  illuminance: ["lx"], irradiance: ["W/m²", "BTU/(h⋅ft²)"], moisture: ["%"],
  nitrogen_dioxide: ["μg/m³", "ppb", "ppm"], nitrogen_monoxide: ["μg/m³", "ppb", "ppm"],
  nitrous_oxide: ["μg/m³", "ppb", "ppm"], ozone: ["μg/m³", "ppb", "ppm"], ph: [],
  pm1: ["μg/m³"], pm25: ["μg/m³"], pm4: ["μg/m³"], pm10: ["μg/m³"], power: ["mW", "W", "kW", "MW", "GW", "TW"],
  power_factor: ["%"], precipitation: ["cm", "in", "mm"],
  precipitation_intensity: ["in/d", "in/h", "mm/d", "mm/h"], pressure: PRESSURE, reactive_energy: ["varh", "kvarh"],
  reactive_power: ["mvar", "var", "kvar"], signal_strength: ["dB", "dBm"], sound_pressure: ["dB", "dBA"],
  speed: ["ft/s", "in/d", "in/h", "in/s", "km/h", "kn", "m/s", "mph", "mm/d", "mm/h", "mm/s", "m/min", "Beaufort"],
  sulphur_dioxide: ["μg/m³", "ppb", "ppm"], temperature: ["°C", "°F", "K"], temperature_delta: ["°C", "°F", "K"],
  volatile_organic_compounds: ["μg/m³", "mg/m³"], volatile_organic_compounds_parts: ["ppm", "ppb"],
  voltage: ["μV", "mV", "V", "kV", "MV"], volume: VOLUME, volume_storage: VOLUME,
  volume_flow_rate: ["m³/h", "m³/min", "m³/s", "ft³/min", "L/h", "L/min", "L/s", "gal/h", "gal/min", "mL/s", "gal/d"],
  water: ["L", "gal", "m³", "ft³", "CCF", "MCF"], weight: ["g", "kg", "mg", "μg", "oz", "lb", "st"],
  wind_direction: ["°"],
  wind_speed: ["Beaufort", "ft/s", "in/s", "m/min", "m/s", "km/h", "kn", "mph", "mm/s"],
};
const NON_NUMERIC_SENSOR_CLASSES = new Set(["timestamp", "date", "enum", "uptime"]);
const SENSOR_CLASSES = new Set([...Object.keys(SENSOR_UNITS), ...NON_NUMERIC_SENSOR_CLASSES, "monetary"]);
const STATE_CLASSES = new Set(["measurement", "measurement_angle", "total", "total_increasing"]);
// §5.2: classes restricted to particular state classes (others not listed here take any).
const ANY_STATE = ["measurement", "total", "total_increasing"];
const STATE_CLASS_RULES: Record<string, string[]> = {
  data_size: ANY_STATE,
  duration: ANY_STATE,
  distance: ANY_STATE,
  area: ANY_STATE,
  precipitation: ANY_STATE,
  weight: ANY_STATE,
  energy: ["total", "total_increasing"],
  gas: ["total", "total_increasing"],
  volume: ["total", "total_increasing"],
  water: ["total", "total_increasing"],
  monetary: ["total"],
  wind_direction: ["measurement_angle"],
  reactive_energy: ["total", "total_increasing"],
};
// §5.1: µ (U+00B5) is normalised to μ (U+03BC) before the unit check.
const normaliseUnit = (unit: string): string => unit.replace(/\u00b5/g, "\u03bc");

// §5.4 other platforms' device classes.
const PLATFORM_CLASSES: Record<string, Set<string>> = {
  binary_sensor: new Set(
    (
      "battery battery_charging carbon_monoxide cold connectivity door garage_door gas heat light lock moisture " +
      "motion moving occupancy opening plug power presence problem running safety smoke sound tamper update " +
      "vibration window"
    ).split(" "),
  ),
  button: new Set(["identify", "restart", "update"]),
  switch: new Set(["outlet", "switch"]),
  update: new Set(["firmware"]),
  event: new Set(["button", "doorbell", "motion"]),
};
// §10 "Version targeting": newer than HA 2025.1.
const NEWER_THAN_BASELINE_CLASSES = new Set(["uptime"]);
const NEWER_THAN_BASELINE_UNITS = new Set(["μs", "mVA", "mHz", "μA"]);

const isObj = (value: unknown): value is Obj =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const show = (value: unknown): string => JSON.stringify(value) ?? String(value);

/** §4: expands abbreviated keys; when both forms are present the short one wins. */
function expandKeys(input: Obj, table: Record<string, string>): Obj {
  const out: Obj = {};
  for (const [key, value] of Object.entries(input)) if (!(key in table)) out[key] = value;
  for (const [key, value] of Object.entries(input)) if (key in table) out[table[key]!] = value;
  return out;
}

/** §4 expansion of a component config: root, availability entries, device and origin blocks. */
export function expandAbbreviations(payload: Obj): Obj {
  const out = expandKeys(payload, GENERAL_ABBREVIATIONS);
  const availability = out.availability;
  if (Array.isArray(availability)) {
    out.availability = availability.map((entry) =>
      isObj(entry) ? expandKeys(entry, GENERAL_ABBREVIATIONS) : entry,
    );
  } else if (isObj(availability)) out.availability = expandKeys(availability, GENERAL_ABBREVIATIONS);
  if (isObj(out.device)) out.device = expandKeys(out.device, DEVICE_ABBREVIATIONS);
  if (isObj(out.origin)) out.origin = expandKeys(out.origin, ORIGIN_ABBREVIATIONS);
  return out;
}

/** §4 `~`: replaced at the start or end of every `*topic` value, and in availability topics. */
function applyBase(config: Obj): Obj {
  const base = config["~"];
  if (typeof base !== "string") return config;
  const swap = (value: unknown): unknown =>
    typeof value === "string" ? value.replace(/^~/, base).replace(/~$/, base) : value;
  const out: Obj = {};
  for (const [key, value] of Object.entries(config)) out[key] = key.endsWith("topic") ? swap(value) : value;
  if (Array.isArray(out.availability)) {
    out.availability = out.availability.map((entry) =>
      isObj(entry) ? { ...entry, topic: swap(entry.topic) } : entry,
    );
  }
  return out;
}

/** §3 `valid_subscribe_topic` / `valid_publish_topic`. */
function topicProblems(key: string, topic: unknown, publish: boolean): string[] {
  if (typeof topic !== "string" || topic === "") return [`P6 R: ${key} must be a non-empty topic string`];
  const problems: string[] = [];
  if (Buffer.byteLength(topic, "utf8") > 65535) problems.push(`P6 R: ${key} is longer than 65535 bytes`);
  const codePoints = Array.from(topic, (char) => char.codePointAt(0)!);
  if (codePoints.some((cp) => cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f))) {
    problems.push(`P6 R: ${key} contains control characters`);
  }
  if (codePoints.some((cp) => (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe)) {
    problems.push(`P6 R: ${key} contains a Unicode non-character`);
  }
  const levels = topic.split("/");
  if (publish && /[+#]/.test(topic))
    problems.push(`P6 R: ${key} is a publish topic and must not contain + or #`);
  else if (
    levels.some(
      (level, i) => /[+#]/.test(level) && !(level === "+" || (level === "#" && i === levels.length - 1)),
    )
  ) {
    problems.push(`P6 R: ${key} has a wildcard that does not fill a whole level`);
  }
  return problems;
}

const isUrl = (value: unknown, schemes: RegExp): boolean => {
  if (typeof value !== "string" || !schemes.test(value)) return false;
  try {
    return new URL(value).host !== "" || value.startsWith("homeassistant://");
  } catch {
    return false;
  }
};

type Check = (key: string, value: unknown) => string[];
const isInt = (value: unknown): boolean => typeof value === "number" && Number.isInteger(value);
const stringCheck: Check = (key, value) =>
  typeof value === "string"
    ? []
    : typeof value === "number" || typeof value === "boolean"
      ? [`C9 W: ${key} should be a string, got ${show(value)} (HA coerces it, §6.2 item 19)`]
      : [`C8 R: ${key} must be a string, got ${show(value)}`];
const boolCheck: Check = (key, value) =>
  typeof value === "boolean" ? [] : [`C5 R: ${key} must be a boolean, got ${show(value)}`];
const uintCheck: Check = (key, value) =>
  isInt(value) && (value as number) >= 0 ? [] : [`S8 R: ${key} must be an integer >= 0, got ${show(value)}`];
const stringListCheck: Check = (key, value) =>
  Array.isArray(value) && value.every((item) => typeof item === "string")
    ? []
    : [`C8 R: ${key} must be a list of strings`];
// prettier-ignore
const KEY_CHECKS: Record<string, Check> = {
  state_topic: (k, v) => topicProblems(k, v, false),
  json_attributes_topic: (k, v) => topicProblems(k, v, false),
  availability_topic: (k, v) => topicProblems(k, v, false),
  latest_version_topic: (k, v) => topicProblems(k, v, false),
  command_topic: (k, v) => topicProblems(k, v, true),
  enabled_by_default: boolCheck, visible_by_default: boolCheck, force_update: boolCheck, retain: boolCheck,
  optimistic: boolCheck,
  expire_after: uintCheck, off_delay: uintCheck, suggested_display_precision: uintCheck,
  display_precision: uintCheck, message_expiry_interval: uintCheck,
  options: stringListCheck, event_types: stringListCheck, group: stringListCheck,
  qos: (k, v) => ([0, 1, 2].includes(v as number) ? [] : [`C5 R: ${k} must be 0, 1 or 2`]),
  icon: (k, v) => (typeof v === "string" && /^[^:\s]+:[^:\s]+$/.test(v) ? [] : [`C5 R: ${k} must look like mdi:name`]),
  entity_picture: (k, v) => (isUrl(v, /^https?:\/\//) ? [] : [`C5 R: ${k} must be an absolute http(s) URL`]),
  entity_category: (k, v) =>
    v === "config" || v === "diagnostic" ? [] : [`C4 R: ${k} must be config or diagnostic, got ${show(v)}`],
  availability_mode: (k, v) =>
    ["all", "any", "latest"].includes(v as string) ? [] : [`C1 R: ${k} must be all, any or latest`],
  availability: () => [],
  device: () => [],
  origin: () => [],
};
/** C8: keys whose value may be null, per platform. */
function nullAllowed(platform: string, key: string): boolean {
  if (key === "name") return true;
  if (key === "device_class") return platform !== "event";
  return platform === "sensor" && (key === "state_class" || key === "unit_of_measurement");
}

function keyProblems(platform: string, config: Obj, allowed: Set<string>): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (key === "platform") {
      problems.push("P5 W: platform belongs only in device-discovery components");
      continue;
    }
    if (!allowed.has(key)) {
      problems.push(`P4 W: unknown key ${key} for ${platform} (HA drops it silently)`);
      continue;
    }
    if (value === null) {
      if (!nullAllowed(platform, key)) problems.push(`C8 R: ${key} must not be null`);
      continue;
    }
    problems.push(...(KEY_CHECKS[key] ?? stringCheck)(key, value));
  }
  return problems;
}

function availabilityProblems(config: Obj): string[] {
  const problems: string[] = [];
  const list = config.availability;
  if (list !== undefined && config.availability_topic !== undefined) {
    problems.push("C1 R: availability and availability_topic are mutually exclusive");
  }
  if (list === undefined) return problems;
  const entries = Array.isArray(list) ? list : [list];
  entries.forEach((entry, i) => {
    if (!isObj(entry)) return problems.push(`C1 R: availability[${i}] must be an object`);
    if (entry.topic === undefined) problems.push(`C1 R: availability[${i}] needs a topic`);
    else problems.push(...topicProblems(`availability[${i}].topic`, entry.topic, false));
    for (const key of Object.keys(entry)) {
      if (!AVAILABILITY_ENTRY_KEYS.has(key)) problems.push(`C1 R: availability[${i}] has unknown key ${key}`);
    }
    return undefined;
  });
  return problems;
}

function deviceProblems(device: unknown): string[] {
  if (device === undefined) return [];
  if (!isObj(device)) return ["C2 R: device must be an object"];
  const problems: string[] = [];
  for (const key of Object.keys(device))
    if (!DEVICE_KEYS.has(key)) problems.push(`C2 W: unknown device key ${key}`);
  const ids = device.identifiers;
  const idList = typeof ids === "string" ? [ids] : ids;
  if (idList !== undefined && !(Array.isArray(idList) && idList.every((id) => typeof id === "string"))) {
    problems.push("C2 R: device.identifiers must be a string or a list of strings");
  }
  const cns = device.connections;
  const cnsOk =
    cns === undefined ||
    (Array.isArray(cns) &&
      cns.every((c) => Array.isArray(c) && c.length === 2 && c.every((part) => typeof part === "string")));
  if (!cnsOk) problems.push("C2 R: device.connections must be a list of [type, value] string pairs");
  const count = (Array.isArray(idList) ? idList.length : 0) + (Array.isArray(cns) ? cns.length : 0);
  if (count === 0) problems.push("C2 R: device must have at least one identifier or connection");
  if (
    device.configuration_url !== undefined &&
    !isUrl(device.configuration_url, /^(https?|homeassistant):\/\//)
  ) {
    problems.push("C2 R: device.configuration_url must be an http(s):// or homeassistant:// URL");
  }
  for (const key of [
    "name",
    "manufacturer",
    "model",
    "model_id",
    "sw_version",
    "hw_version",
    "serial_number",
    "via_device",
  ]) {
    if (device[key] !== undefined && typeof device[key] !== "string")
      problems.push(`C2 R: device.${key} must be a string`);
  }
  if (typeof device.name !== "string" || device.name === "") problems.push("C3 W: device has no name (§3.2)");
  return problems;
}

function originProblems(origin: unknown): string[] {
  if (origin === undefined) return [];
  if (!isObj(origin)) return ["P3 R: origin must be an object"];
  const problems: string[] = [];
  if (typeof origin.name !== "string" || origin.name === "") problems.push("P3 R: origin.name is required");
  if (origin.sw_version !== undefined && typeof origin.sw_version !== "string") {
    problems.push("P3 R: origin.sw_version must be a string");
  }
  if (origin.support_url !== undefined && !isUrl(origin.support_url, /^(https?|homeassistant):\/\//)) {
    problems.push("P3 R: origin.support_url must be an http(s):// or homeassistant:// URL");
  }
  for (const key of Object.keys(origin))
    if (!ORIGIN_KEYS.has(key)) problems.push(`P3 R: unknown origin key ${key}`);
  return problems;
}

function sensorProblems(config: Obj): string[] {
  const problems: string[] = [];
  const dc = config.device_class as string | null | undefined;
  const sc = config.state_class as string | null | undefined;
  const rawUnit = config.unit_of_measurement;
  const unit = typeof rawUnit === "string" && rawUnit.trim() !== "" ? normaliseUnit(rawUnit) : undefined;
  if (typeof dc === "string" && !SENSOR_CLASSES.has(dc))
    problems.push(`S2 R: unknown sensor device_class ${dc}`);
  if (typeof sc === "string" && !STATE_CLASSES.has(sc)) problems.push(`S2 R: unknown state_class ${sc}`);
  const options = config.options;
  if (options !== undefined) {
    if (!Array.isArray(options) || options.length === 0)
      problems.push("S3 R: options must be a non-empty list");
    if (dc !== "enum") problems.push("S3 R: options need device_class enum");
    if (unit !== undefined || typeof sc === "string")
      problems.push("S3 R: options exclude unit and state_class");
  } else if (dc === "enum") problems.push("S3 R: an enum sensor needs options");
  if (config.last_reset_value_template !== undefined && sc !== "total") {
    problems.push("S4 R: last_reset_value_template needs state_class total");
  }
  if (sc === "measurement_angle" && unit !== "°") problems.push("S5 R: measurement_angle needs unit °");
  if (
    typeof dc === "string" &&
    dc in SENSOR_UNITS &&
    unit !== undefined &&
    !SENSOR_UNITS[dc]!.includes(unit)
  ) {
    problems.push(`S5 R: unit ${show(rawUnit)} is not valid for device_class ${dc}`);
  }
  if (
    typeof dc === "string" &&
    NON_NUMERIC_SENSOR_CLASSES.has(dc) &&
    (unit !== undefined || typeof sc === "string")
  ) {
    problems.push(`S6 S: ${dc} sensors must have no unit_of_measurement and no state_class`);
  }
  const rule = typeof dc === "string" ? STATE_CLASS_RULES[dc] : undefined;
  const measurementOnly = typeof dc === "string" && dc in SENSOR_UNITS && rule === undefined;
  if (typeof sc === "string" && ((rule && !rule.includes(sc)) || (measurementOnly && sc !== "measurement"))) {
    problems.push(`S7 W: state_class ${sc} is not allowed for device_class ${dc}`);
  }
  return problems;
}

function platformProblems(platform: string, config: Obj): string[] {
  const problems: string[] = [];
  const need = (key: string, rule: string): void => {
    if (config[key] === undefined) problems.push(`${rule} R: ${platform} needs ${key}`);
  };
  const dc = config.device_class;
  const classes = PLATFORM_CLASSES[platform];
  if (classes && typeof dc === "string" && !classes.has(dc))
    problems.push(`S2 R: ${dc} is not a ${platform} device_class`);
  if (platform === "sensor") {
    need("state_topic", "S1");
    problems.push(...sensorProblems(config));
  } else if (platform === "binary_sensor") need("state_topic", "B1");
  else if (platform === "button") need("command_topic", "B2");
  else if (platform === "switch") {
    need("command_topic", "B3");
    if (config.state_topic === undefined) problems.push("B3 W: switch without state_topic is optimistic");
  } else if (platform === "update") {
    need("state_topic", "B4");
    if (config.payload_install !== undefined && config.command_topic === undefined) {
      problems.push("B4 W: payload_install without command_topic does nothing");
    }
  } else if (platform === "event") {
    need("state_topic", "B5");
    need("event_types", "B5");
    if (Array.isArray(config.event_types) && config.event_types.length === 0)
      problems.push("B5 W: empty event_types");
    if (dc === null) problems.push("B5 R: event device_class must not be null");
  }
  return problems;
}

function namingProblems(platform: string, config: Obj): string[] {
  const problems: string[] = [];
  if (config.unique_id === undefined)
    problems.push("C6 W: no unique_id (no device, no registry entry, §6.2 item 13)");
  const id = config.default_entity_id;
  if (typeof id === "string" && !new RegExp(`^${platform}\\.[a-z0-9]+(?:_[a-z0-9]+)*$`).test(id)) {
    problems.push(`C7 W: default_entity_id ${show(id)} is not ${platform}.<lower-case object id>`);
  }
  if (config.object_id !== undefined) problems.push("C7 W: object_id is deprecated (ignored since 2026.4)");
  if (config.name === "") problems.push("C10 W: name is empty; use null for the device's main entity");
  const derived =
    ["sensor", "binary_sensor", "button", "number"].includes(platform) &&
    typeof config.device_class === "string";
  if (!("name" in config) && !derived) problems.push(`C10 W: no name: HA calls it "MQTT ${platform}"`);
  if (config.json_attributes_template !== undefined && config.json_attributes_topic === undefined) {
    problems.push("J1 W: json_attributes_template without json_attributes_topic is never used");
  }
  if (config.entity_category === "config" && (platform === "sensor" || platform === "binary_sensor")) {
    problems.push(`C4 R: ${platform} cannot have entity_category config`);
  }
  return problems;
}

function projectProblems(platform: string, config: Obj, options: ValidatorOptions): string[] {
  const problems: string[] = [];
  if (!isObj(config.origin)) problems.push("X1 P: origin block required");
  if (typeof config.unique_id !== "string") problems.push("X2 P: unique_id required");
  if (typeof config.default_entity_id !== "string") problems.push("X3 P: default_entity_id required");
  const device = config.device;
  if (!isObj(device) || typeof device.name !== "string")
    problems.push("X4 P: device block with a name required");
  const list = config.availability;
  if (!Array.isArray(list) || list.length === 0 || config.availability_mode !== "all") {
    problems.push("X5 P: availability list with availability_mode all required");
  } else if (options.availabilityTopics) {
    const topics = list.map((entry) => (isObj(entry) ? entry.topic : undefined));
    if (show(topics) !== show(options.availabilityTopics))
      problems.push(`X5 P: availability topics ${show(topics)}`);
  }
  const name = config.name;
  const deviceName = isObj(device) && typeof device.name === "string" ? device.name : undefined;
  if (deviceName && typeof name === "string" && (name === deviceName || name.startsWith(`${deviceName} `))) {
    problems.push("X7 P: entity name repeats the device name (§3.2)");
  }
  if (platform === "sensor" && NEWER_THAN_BASELINE_CLASSES.has(config.device_class as string)) {
    problems.push(`X8 P: device_class ${show(config.device_class)} needs HA newer than 2025.1`);
  }
  if (
    typeof config.unit_of_measurement === "string" &&
    NEWER_THAN_BASELINE_UNITS.has(normaliseUnit(config.unit_of_measurement))
  ) {
    problems.push(`X8 P: unit ${config.unit_of_measurement} needs HA newer than 2025.1`);
  }
  return problems;
}

/** One component's config (already expanded): every rule that applies to it. */
function componentProblems(platform: string, raw: Obj, options: ValidatorOptions): string[] {
  const config = applyBase(raw);
  const platformKeys = PLATFORM_KEYS[platform];
  if (platformKeys === undefined) return [`T2 R: the validator has no schema for ${platform}`];
  const problems = [
    ...keyProblems(platform, config, new Set([...COMMON_KEYS, ...platformKeys])),
    ...availabilityProblems(config),
    ...deviceProblems(config.device),
    ...originProblems(config.origin),
    ...platformProblems(platform, config),
    ...namingProblems(platform, config),
  ];
  if (options.project) problems.push(...projectProblems(platform, config, options));
  return problems;
}

function parsePayload(payload: string | object): Obj | string {
  if (typeof payload !== "string") return isObj(payload) ? payload : "P1 R: payload must be a JSON object";
  try {
    const parsed: unknown = JSON.parse(payload);
    return isObj(parsed) ? parsed : "P1 R: payload must be a JSON object";
  } catch {
    return "P1 R: payload is not JSON";
  }
}

interface ParsedTopic {
  readonly component: string;
  readonly nodeId: string | undefined;
  readonly objectId: string;
}

/** §1.1 TOPIC_MATCHER after stripping the prefix. */
function parseTopic(topic: string, prefix: string): ParsedTopic | string {
  if (!topic.startsWith(`${prefix}/`)) return `T1 R: topic does not start with ${prefix}/`;
  const match = /^(\w+)\/(?:([a-zA-Z0-9_-]+)\/)?([a-zA-Z0-9_-]+)\/config$/.exec(
    topic.slice(prefix.length + 1),
  );
  if (!match)
    return `T1 R: topic ${show(topic)} is not <prefix>/<component>/[<node_id>/]<object_id>/config with ids in [a-zA-Z0-9_-]`;
  const component = match[1]!;
  if (component !== "device" && !SUPPORTED_COMPONENTS.has(component))
    return `T2 R: unsupported component ${component}`;
  return { component, nodeId: match[2], objectId: match[3]! };
}

/** D1–D5: a device-based discovery document. */
function deviceDocumentProblems(document: Obj, options: ValidatorOptions): string[] {
  const root = expandKeys(document, GENERAL_ABBREVIATIONS);
  const problems: string[] = [];
  for (const key of Object.keys(root))
    if (!DEVICE_DOC_ROOT_KEYS.has(key)) problems.push(`D1 R: root key ${key} not allowed`);
  for (const key of ["device", "origin", "components"])
    if (root[key] === undefined) problems.push(`D2 R: ${key} required`);
  if (!isObj(root.components)) return [...problems, "D2 R: components must be an object"];
  const device = isObj(root.device) ? expandKeys(root.device, DEVICE_ABBREVIATIONS) : root.device;
  const origin = isObj(root.origin) ? expandKeys(root.origin, ORIGIN_ABBREVIATIONS) : root.origin;
  const shared = Object.fromEntries(
    Object.entries(root).filter(([key]) => !["device", "origin", "components"].includes(key)),
  );
  for (const [id, entry] of Object.entries(root.components)) {
    if (!/^[a-zA-Z0-9_-]+$/.test(id))
      problems.push(`D5 W: component key ${id} has characters outside [a-zA-Z0-9_-]`);
    if (!isObj(entry)) {
      problems.push(`D3 R: component ${id} must be an object`);
      continue;
    }
    const { platform, ...rest } = expandAbbreviations(entry);
    if (typeof platform !== "string" || !SUPPORTED_COMPONENTS.has(platform)) {
      problems.push(`D3 R: component ${id} needs a supported platform`);
      continue;
    }
    if (Object.keys(rest).length === 0) continue; // `{"p": "sensor"}` removes the component (§1.4)
    if (!NON_ENTITY_PLATFORMS.has(platform) && rest.unique_id === undefined)
      problems.push(`D3 R: component ${id} needs unique_id`);
    // HA forces the root device/origin in and copies shared options the component lacks; options the platform
    // does not know are then dropped by its schema (§1.3), so only known ones are copied here.
    const known = new Set([...COMMON_KEYS, ...(PLATFORM_KEYS[platform] ?? [])]);
    const merged: Obj = { ...rest, device, origin };
    for (const [key, value] of Object.entries(shared))
      if (!(key in merged) && known.has(key)) merged[key] = value;
    const config = expandAbbreviations(merged);
    problems.push(...componentProblems(platform, config, options).map((problem) => `${id}: ${problem}`));
  }
  return problems;
}

/** Every problem with one discovery message (topic + payload). Zero-byte payloads are removals and valid. */
export function validateDiscoveryMessage(
  topic: string,
  payload: string | object,
  options: ValidatorOptions = {},
): string[] {
  const parsedTopic = parseTopic(topic, options.prefix ?? "homeassistant");
  if (typeof parsedTopic === "string") return [parsedTopic];
  if (payload === "") return [];
  const document = parsePayload(payload);
  if (typeof document === "string") return [document];
  if (parsedTopic.component === "device") return deviceDocumentProblems(document, options);
  return componentProblems(parsedTopic.component, expandAbbreviations(document), options);
}

/** Cross-message rules: T3 topic/hash uniqueness, C6 unique ids per domain, C3 device consistency, via_device. */
export function validateDiscoverySet(
  messages: readonly DiscoveryInput[],
  options: ValidatorOptions = {},
): string[] {
  const problems = messages.flatMap(({ topic, payload }) =>
    validateDiscoveryMessage(topic, payload, options).map((problem) => `${topic}: ${problem}`),
  );
  const seen = { topics: new Set<string>(), ids: new Set<string>(), entityIds: new Set<string>() };
  const devices = new Map<string, string>();
  const parents: string[] = [];
  for (const { topic, payload } of messages) {
    if (seen.topics.has(topic)) problems.push(`T3 W: topic ${topic} appears twice`);
    seen.topics.add(topic);
    const parsed = parseTopic(topic, options.prefix ?? "homeassistant");
    const document = payload === "" ? undefined : parsePayload(payload);
    if (typeof parsed === "string" || parsed.component === "device" || !isObj(document)) continue;
    const config = expandAbbreviations(document);
    const key = `${parsed.component}\u0000${show(config.unique_id)}`;
    if (config.unique_id !== undefined && seen.ids.has(key)) {
      problems.push(`C6 R: duplicate unique_id ${show(config.unique_id)}`);
    }
    seen.ids.add(key);
    if (typeof config.default_entity_id === "string") {
      if (seen.entityIds.has(config.default_entity_id))
        problems.push(`C7 W: duplicate default_entity_id ${config.default_entity_id}`);
      seen.entityIds.add(config.default_entity_id);
    }
    if (!isObj(config.device)) continue;
    const { identifiers, via_device: via, ...rest } = config.device;
    const fingerprint = show({ ...rest, via });
    for (const id of typeof identifiers === "string"
      ? [identifiers]
      : Array.isArray(identifiers)
        ? identifiers
        : []) {
      const previous = devices.get(String(id));
      if (previous !== undefined && previous !== fingerprint)
        problems.push(`C3 W: device ${String(id)} is described differently`);
      devices.set(String(id), fingerprint);
    }
    if (typeof via === "string") parents.push(via);
  }
  for (const parent of new Set(parents)) {
    if (!devices.has(parent)) problems.push(`C11 W: via_device ${parent} is not a device of this set`);
  }
  return problems;
}
