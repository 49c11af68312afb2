/**
 * The method groups the bridge polls: adding a group is adding a file and a line here (architecture.md).
 * Groups not listed yet are configured (schedules.ts) but have no implementation in this version.
 */
import { alertsGroup } from "./alerts.js";
import { appsGroup } from "./apps.js";
import type { GroupDefinition } from "./group.js";
import { poolsGroup } from "./pools.js";
import { reportingGroup } from "./reporting.js";
import { servicesGroup } from "./services.js";
import { systemGroup } from "./system.js";

/** A group's raw type only flows from its own fetch() to its own normalise(), so it can be erased here. */
function erase<R>(group: GroupDefinition<R>): GroupDefinition {
  return group;
}

export const GROUPS: readonly GroupDefinition[] = [
  systemGroup,
  poolsGroup,
  alertsGroup,
  servicesGroup,
  appsGroup,
  reportingGroup,
].map((g) => erase(g));
