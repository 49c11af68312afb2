/** vitest setupFiles entry: every worker tees its stdout, stderr and console into the secret-scan capture. */
import { teeProcessOutput } from "./capture.js";

teeProcessOutput();
