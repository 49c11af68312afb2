/**
 * Runtime checks of an entity spec against what HA accepts (ha-mqtt-discovery.md §3.4 cross-field rules, §5,
 * §6.2). The types already rule most of this out for constant tables; this catches what types cannot (empty
 * option lists, a fallback outside the options, bad field paths) and specs built from data.
 */
import {
  BINARY_SENSOR_CLASSES,
  BUTTON_CLASSES,
  SWITCH_CLASSES,
  UPDATE_CLASSES,
  isNumericSensorClass,
  stateClassAllowed,
  unitAllowed,
  type StateClass,
} from "./haTables.js";
import { assertEntityKey } from "./ids.js";
import type { EntitySpec, SensorTemplate } from "./model.js";
import { fieldPath } from "./templates.js";
import { assertObjectKind } from "./topics.js";

const COMMAND_KEY = /^[a-z][a-z0-9_]*$/;

function attempt(problems: string[], check: () => unknown): void {
  try {
    check();
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
}

function sensorProblems(spec: SensorTemplate): string[] {
  const problems: string[] = [];
  const unit = "unit" in spec ? spec.unit : undefined;
  const stateClass: StateClass | undefined = "stateClass" in spec ? spec.stateClass : undefined;
  const deviceClass = spec.deviceClass as string | undefined;
  if (deviceClass === "timestamp" || deviceClass === "enum") {
    if (unit !== undefined || stateClass !== undefined) {
      problems.push(`${deviceClass} sensors take no unit or state class (§3.4)`);
    }
  } else if (deviceClass !== undefined) {
    if (!isNumericSensorClass(deviceClass)) problems.push(`unknown sensor device class ${deviceClass}`);
    else {
      if (!unitAllowed(deviceClass, unit))
        problems.push(`unit ${unit} is not valid for ${deviceClass} (§5.3)`);
      if (!stateClassAllowed(deviceClass, stateClass)) {
        problems.push(`state class ${stateClass} is not allowed for ${deviceClass} (§5.2)`);
      }
    }
  }
  if (spec.deviceClass === "enum") problems.push(...enumProblems(spec.options, spec.fallback));
  const precision = spec.suggestedDisplayPrecision;
  if (precision !== undefined && !(Number.isInteger(precision) && precision >= 0)) {
    problems.push("suggested display precision must be an integer >= 0");
  }
  return problems;
}

function enumProblems(options: readonly string[], fallback: string | undefined): string[] {
  const problems: string[] = [];
  if (options.length === 0) problems.push("an enum needs at least one option (§3.4)");
  if (new Set(options).size !== options.length) problems.push("enum options must be distinct");
  for (const option of options) {
    // The template lower-cases the document value, so an option with capitals could never match.
    if (option === "" || option !== option.toLowerCase() || option.length > 255) {
      problems.push(`enum option must be non-empty lower-case text: ${JSON.stringify(option)}`);
    }
  }
  if (fallback !== undefined && !options.includes(fallback)) {
    problems.push(`enum fallback ${fallback} is not one of the options`);
  }
  return problems;
}

function deviceClassProblems(spec: EntitySpec): string[] {
  const allowed: Record<string, readonly string[]> = {
    binary_sensor: BINARY_SENSOR_CLASSES,
    button: BUTTON_CLASSES,
    switch: SWITCH_CLASSES,
    update: UPDATE_CLASSES,
  };
  const list = allowed[spec.component];
  const deviceClass = spec.deviceClass as string | undefined;
  if (list === undefined || deviceClass === undefined || list.includes(deviceClass)) return [];
  return [`device class ${deviceClass} is not valid for ${spec.component}`];
}

function fieldsOf(spec: EntitySpec): string[] {
  const fields: (string | undefined)[] = [];
  if ("field" in spec) fields.push(spec.field);
  if (spec.component === "update") {
    fields.push(spec.installedField, spec.latestField, spec.inProgressField, spec.percentageField);
  }
  if (spec.attributes?.from === "state") fields.push(spec.attributes.field);
  return fields.filter((field): field is string => field !== undefined);
}

/** Every problem with a spec, as text; empty when HA would accept the entity. */
export function checkEntitySpec(spec: EntitySpec): string[] {
  const problems: string[] = [];
  attempt(problems, () => assertEntityKey(spec.key));
  attempt(problems, () => assertObjectKind(spec.object.kind));
  for (const field of fieldsOf(spec)) attempt(problems, () => fieldPath(field));
  if (spec.name === "") problems.push("name must not be empty; use null for the device's main entity (§6.2)");
  if (spec.icon !== undefined && !/^[a-z0-9-]+:[a-z0-9-]+$/.test(spec.icon)) {
    problems.push(`icon must look like mdi:name: ${spec.icon}`);
  }
  if (
    spec.entityCategory === "config" &&
    (spec.component === "sensor" || spec.component === "binary_sensor")
  ) {
    problems.push("sensors and binary sensors cannot have entity_category config (§3.1)");
  }
  const command = "command" in spec ? spec.command : undefined;
  if (command?.key !== undefined && !COMMAND_KEY.test(command.key)) {
    problems.push(`command key must match ${COMMAND_KEY.source}`);
  }
  if (spec.component === "sensor") problems.push(...sensorProblems(spec));
  problems.push(...deviceClassProblems(spec));
  return problems;
}
