/**
 * The normaliser properties (normalisers.test.ts) on TrueNAS 25.04 shapes: every group on 25.04.0 (Incus VMs,
 * update.check_available, integer temperatures), and on 25.04.2 the groups whose calls change with it.
 */
import { diskTemperaturesGroup } from "../../src/groups/diskTemperatures.js";
import { GROUPS } from "../../src/groups/index.js";
import { updatesGroup } from "../../src/groups/updates.js";
import { vmsGroup } from "../../src/groups/vms.js";
import { normaliserProperties } from "./hostileNas.js";

normaliserProperties(GROUPS, { versions: ["25.04.0"], numRuns: 30 });
normaliserProperties([vmsGroup, updatesGroup, diskTemperaturesGroup], { versions: ["25.04.2"], numRuns: 30 });
