/**
 * What a CLI command may touch of the process, passed in by main.ts so commands stay testable
 * (architecture.md: no process.exit or process.env below main.ts).
 */
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
  /** Resolves on SIGINT/SIGTERM (or when a test aborts). */
  untilInterrupted(): Promise<void>;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** This program's version (package.json). */
  readonly version: string;
  /** Whether stdout is a terminal (`log.format: auto` picks pretty logs then); absent = not a terminal. */
  readonly isTty?: boolean;
}

/** A command-line mistake: printed with the command's usage hint, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
