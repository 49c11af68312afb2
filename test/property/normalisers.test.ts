/**
 * Issue 6, "Bad input": every normaliser fed hostile variants of the simulated NAS's real answers on TrueNAS
 * 25.10 (25.04 shapes: normalisers2504.test.ts). A run draws fresh plans; a failure prints its seed and the
 * shrunk plans, and the case is then kept as an example in examples.test.ts.
 */
import { GROUPS } from "../../src/groups/index.js";
import { normaliserProperties } from "./hostileNas.js";

normaliserProperties(GROUPS, { versions: ["25.10"], numRuns: 30 });
