/**
 * Alerts: `alert.list` (no filters server-side: truenas-api.md §3.17) and its events. Counts by level, a
 * problem sensor for any active alert at WARNING or above, the active alerts as attributes. Dismissed
 * alerts are not active.
 */
import { NAS_DEVICE } from "../entities/ids.js";
import { bindEntities, type EntityTemplate, type GroupSnapshot, type ObjectRef } from "../entities/model.js";
import type { GroupDefinition } from "./group.js";
import { bool, date, list, obj, str } from "./values.js";

export const ALERT_LEVELS = ["INFO", "NOTICE", "WARNING", "ERROR", "CRITICAL", "ALERT", "EMERGENCY"] as const;
const PROBLEM_FROM = ALERT_LEVELS.indexOf("WARNING");

const TEMPLATES = [
  {
    component: "sensor",
    key: "active",
    name: "Active alerts",
    field: "active",
    numeric: true,
    stateClass: "measurement",
    icon: "mdi:alert",
    attributes: { from: "attributes" },
  },
  { component: "binary_sensor", key: "problem", name: "Alert", field: "problem", deviceClass: "problem" },
  ...ALERT_LEVELS.map(
    (level) =>
      ({
        component: "sensor",
        key: level.toLowerCase(),
        name: `${level[0]}${level.slice(1).toLowerCase()} alerts`,
        field: level.toLowerCase(),
        numeric: true,
        stateClass: "measurement",
        entityCategory: "diagnostic",
        enabledByDefault: ["WARNING", "ERROR", "CRITICAL"].includes(level),
      }) as const,
  ),
] satisfies readonly EntityTemplate[];

export const ALERTS_REF: ObjectRef = { kind: "alerts", id: "alerts" };

export const alertsGroup: GroupDefinition<unknown> = {
  name: "alerts",
  events: ["alert.list"],
  fetch: ({ call }) => call("alert.list"),
  normalise(raw): GroupSnapshot {
    const active = list(raw)
      .map(obj)
      .filter((a) => bool(a.dismissed) !== true);
    const counts = Object.fromEntries(ALERT_LEVELS.map((l) => [l.toLowerCase(), 0])) as Record<
      string,
      number
    >;
    let problem = false;
    for (const a of active) {
      const level = str(a.level) ?? "";
      const i = (ALERT_LEVELS as readonly string[]).indexOf(level);
      if (i >= 0) counts[level.toLowerCase()] = (counts[level.toLowerCase()] ?? 0) + 1;
      // Unknown levels count as a problem: better a false alarm than a missed one.
      if (i === -1 || i >= PROBLEM_FROM) problem = true;
    }
    return {
      group: "alerts",
      devices: [],
      objects: [
        {
          ref: ALERTS_REF,
          device: NAS_DEVICE,
          doc: { active: active.length, problem, ...counts },
          attributes: {
            alerts: active.map((a) => ({
              uuid: str(a.uuid),
              level: str(a.level),
              klass: str(a.klass),
              text: str(a.formatted) ?? str(a.text),
              since: date(a.datetime),
            })),
          },
        },
      ],
      entities: bindEntities(TEMPLATES, ALERTS_REF),
    };
  },
};
