/**
 * Home Assistant constants the bridge's entity specs may use: the sensor device classes a NAS needs with their
 * exact unit strings and allowed state classes, and the other platforms' device classes. Values follow HA core
 * `homeassistant/components/sensor/const.py` (DEVICE_CLASS_UNITS, DEVICE_CLASS_STATE_CLASSES) as summarised in
 * ha-mqtt-discovery.md §5.2–§5.4. Only classes and units that HA 2025.1+ accepts are listed (§10 "Version
 * targeting"): no `uptime` class, no `μs`, `mVA`, `mHz` or `μA`.
 */

/** Sensor state classes (`sensor/const.py` SensorStateClass; `measurement_angle` needs unit `°`, not used). */
export const STATE_CLASSES = ["measurement", "total", "total_increasing"] as const;
export type StateClass = (typeof STATE_CLASSES)[number];

/**
 * Numeric sensor device classes and the units HA accepts for each (exact, case-sensitive; MQTT rejects any other
 * unit since HA 2025.7, §5.1). `°` is U+00B0.
 */
export const SENSOR_CLASS_UNITS = {
  temperature: ["°C", "°F", "K"],
  data_size: [
    "bit",
    "kbit",
    "Mbit",
    "Gbit",
    "B",
    "kB",
    "MB",
    "GB",
    "TB",
    "PB",
    "EB",
    "ZB",
    "YB",
    "KiB",
    "MiB",
    "GiB",
    "TiB",
    "PiB",
    "EiB",
    "ZiB",
    "YiB",
  ],
  data_rate: [
    "bit/s",
    "kbit/s",
    "Mbit/s",
    "Gbit/s",
    "B/s",
    "kB/s",
    "MB/s",
    "GB/s",
    "KiB/s",
    "MiB/s",
    "GiB/s",
  ],
  duration: ["d", "h", "min", "s", "ms"],
  power: ["mW", "W", "kW", "MW", "GW", "TW"],
  energy: ["J", "kJ", "MJ", "GJ", "mWh", "Wh", "kWh", "MWh", "GWh", "TWh", "cal", "kcal", "Mcal", "Gcal"],
  battery: ["%"],
  voltage: ["μV", "mV", "V", "kV", "MV"],
  current: ["mA", "A"],
  frequency: ["Hz", "kHz", "MHz", "GHz"],
  apparent_power: ["VA", "kVA"],
  power_factor: ["%"],
  signal_strength: ["dB", "dBm"],
} as const satisfies Record<string, readonly string[]>;

export type NumericSensorClass = keyof typeof SENSOR_CLASS_UNITS;
export type SensorUnit<C extends NumericSensorClass> = (typeof SENSOR_CLASS_UNITS)[C][number];

/** State classes allowed per numeric device class (§5.2, `DEVICE_CLASS_STATE_CLASSES`). */
export const SENSOR_CLASS_STATE_CLASSES = {
  temperature: ["measurement"],
  data_size: ["measurement", "total", "total_increasing"],
  data_rate: ["measurement"],
  duration: ["measurement", "total", "total_increasing"],
  power: ["measurement"],
  energy: ["total", "total_increasing"],
  battery: ["measurement"],
  voltage: ["measurement"],
  current: ["measurement"],
  frequency: ["measurement"],
  apparent_power: ["measurement"],
  power_factor: ["measurement"],
  signal_strength: ["measurement"],
} as const satisfies Record<NumericSensorClass, readonly StateClass[]>;

export type StateClassFor<C extends NumericSensorClass> = (typeof SENSOR_CLASS_STATE_CLASSES)[C][number];

/** Device classes without unit or state class: their state is not a number (§3.4, §5.2). */
export const NON_NUMERIC_SENSOR_CLASSES = ["timestamp", "enum"] as const;
export type NonNumericSensorClass = (typeof NON_NUMERIC_SENSOR_CLASSES)[number];
export type SensorDeviceClass = NumericSensorClass | NonNumericSensorClass;

/** binary_sensor device classes useful on a NAS (§5.4). */
export const BINARY_SENSOR_CLASSES = [
  "problem",
  "running",
  "connectivity",
  "update",
  "power",
  "plug",
  "safety",
  "battery",
  "battery_charging",
] as const;
export type BinarySensorDeviceClass = (typeof BINARY_SENSOR_CLASSES)[number];

/** button, switch and update device classes (§3.6–§3.8). */
export const BUTTON_CLASSES = ["identify", "restart", "update"] as const;
export type ButtonDeviceClass = (typeof BUTTON_CLASSES)[number];
export const SWITCH_CLASSES = ["outlet", "switch"] as const;
export type SwitchDeviceClass = (typeof SWITCH_CLASSES)[number];
export const UPDATE_CLASSES = ["firmware"] as const;
export type UpdateDeviceClass = (typeof UPDATE_CLASSES)[number];

/** `entity_category` values HA accepts (§3.1); sensors and binary sensors may only use `diagnostic`. */
export type EntityCategory = "config" | "diagnostic";

/** Sensor unit check used by the spec checker: undefined unit is always fine. */
export function unitAllowed(deviceClass: NumericSensorClass, unit: string | undefined): boolean {
  return unit === undefined || (SENSOR_CLASS_UNITS[deviceClass] as readonly string[]).includes(unit);
}

/** State-class check used by the spec checker. */
export function stateClassAllowed(
  deviceClass: NumericSensorClass,
  stateClass: StateClass | undefined,
): boolean {
  return (
    stateClass === undefined ||
    (SENSOR_CLASS_STATE_CLASSES[deviceClass] as readonly StateClass[]).includes(stateClass)
  );
}

export function isNumericSensorClass(value: string): value is NumericSensorClass {
  return Object.hasOwn(SENSOR_CLASS_UNITS, value);
}
