/**
 * vitest globalSetup for the whole-suite secret scan: makes the capture directory, hands it to the workers by
 * environment (forked workers inherit the main process's env), and afterwards reads everything captured and
 * fails the run if a known secret appears anywhere in it (issue 6). See test/support/capture.ts.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_SIM_API_KEY } from "../../src/simulator/server.js";
import { CAPTURE_DIR_ENV } from "./capture.js";
import * as testSecrets from "./secrets.js";

/** DEFAULT_SIM_API_KEY and every string exported by secrets.ts. */
export function knownSecrets(): string[] {
  const values = Object.values(testSecrets as Record<string, unknown>).filter(
    (v): v is string => typeof v === "string",
  );
  return [DEFAULT_SIM_API_KEY, ...values];
}

/**
 * What to look for: each secret, and for a TrueNAS key its body without the `<id>-` prefix, and the first 20
 * characters of long secrets (a leak may be a substring or a truncated value).
 */
export function needlesFor(secrets: readonly string[]): string[] {
  const needles = new Set<string>();
  for (const s of secrets) {
    needles.add(s);
    const body = /^\d+-(.{16,})$/.exec(s)?.[1];
    if (body) needles.add(body.slice(0, 24));
    if (s.length >= 24) needles.add(s.slice(0, 20));
  }
  return [...needles];
}

export interface ScanResult {
  readonly files: number;
  readonly bytes: number;
  readonly lines: number;
  /** One entry per (file, needle) found, with the needle masked. */
  readonly hits: string[];
}

export function scanCapture(dir: string, needles: readonly string[]): ScanResult {
  let bytes = 0;
  let lines = 0;
  const hits: string[] = [];
  const files = readdirSync(dir);
  for (const file of files) {
    const text = readFileSync(join(dir, file), "utf8");
    bytes += Buffer.byteLength(text);
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lines += 1;
    for (const needle of needles) {
      const at = text.indexOf(needle);
      if (at === -1) continue;
      const lineNo = text.slice(0, at).split("\n").length;
      // The report names where, never the secret itself (CI logs are not a place for it either).
      hits.push(`${file}:${lineNo} contains a known secret (${needle.slice(0, 4)}…, ${needle.length} chars)`);
    }
  }
  return { files: files.length, bytes, lines, hits };
}

export function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), "t2m-capture-"));
  process.env[CAPTURE_DIR_ENV] = dir;
  return () => {
    const needles = needlesFor(knownSecrets());
    const result = scanCapture(dir, needles);
    const summary =
      `secret scan: ${result.files} capture files, ${result.bytes} bytes, ${result.lines} lines, ` +
      `${needles.length} needles`;
    if (result.hits.length > 0) {
      // vitest only logs an error thrown by a global teardown ("error during close") and still exits 0, so
      // the exit code is set here; the throw prints where. The capture is kept for inspection.
      process.exitCode = 1;
      throw new Error(`${summary}: SECRET LEAKED (capture kept in ${dir})\n  ${result.hits.join("\n  ")}`);
    }
    process.stdout.write(`\n${summary}: clean\n`);
    rmSync(dir, { recursive: true, force: true });
  };
}
