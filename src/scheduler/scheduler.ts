/**
 * One node-cron task per method group, never overlapping itself; a full poll of every group on demand (after
 * each (re)connect); a failing group is logged and marked, never fatal to the others (architecture.md:
 * Scheduler; z2m's EventBus wraps each listener the same way).
 */
import { createTask } from "node-cron";
import type { Logger } from "pino";
import type { Schedule } from "../groups/schedules.js";

/** What the scheduler needs of a cron task (node-cron's ScheduledTask satisfies it). */
export interface CronTask {
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
  destroy(): void | Promise<void>;
}

/** Makes a started-on-demand cron task; injectable so tests drive time themselves. */
export type CronFactory = (expression: string, run: () => Promise<void>, name: string) => CronTask;

export const nodeCronFactory: CronFactory = (expression, run, name) =>
  createTask(expression, run, { name, noOverlap: true });

export interface ScheduledGroup {
  readonly name: string;
  readonly schedule: Schedule;
}

/** Per-group outcome, for /healthz and logs. */
export interface GroupStatus {
  lastSuccessAt: number | null;
  lastErrorAt: number | null;
  lastError: string | null;
  running: boolean;
  runs: number;
  failures: number;
}

export interface SchedulerDeps {
  readonly groups: readonly ScheduledGroup[];
  /** Poll one group; throwing marks the group failed. */
  readonly runGroup: (name: string) => Promise<void>;
  readonly cron?: CronFactory;
  readonly log: Logger;
  readonly now?: () => number;
}

export class Scheduler {
  readonly #tasks: CronTask[] = [];
  readonly #status = new Map<string, GroupStatus>();
  readonly #inFlight = new Map<string, Promise<void>>();
  #started = false;
  #paused = true;

  constructor(private readonly deps: SchedulerDeps) {}

  /** Create the cron tasks. Polls only run while resumed (the TrueNAS session is ready). */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    const cron = this.deps.cron ?? nodeCronFactory;
    for (const group of this.deps.groups) {
      this.#status.set(group.name, emptyStatus());
      if (group.schedule.kind === "off") {
        this.deps.log.info({ group: group.name }, "group disabled by configuration");
        continue;
      }
      const task = cron(group.schedule.expression, () => this.runGroup(group.name), `poll:${group.name}`);
      this.#tasks.push(task);
      void Promise.resolve(task.start()).catch((err: unknown) =>
        this.deps.log.error({ err, group: group.name }, "cannot start cron task"),
      );
    }
  }

  /** Let scheduled polls run (the session is ready). */
  resume(): void {
    this.#paused = false;
  }

  /** Skip scheduled polls (the session is down): a poll would only fail. */
  pause(): void {
    this.#paused = true;
  }

  /** Poll every enabled group now, concurrently; resolves when all have finished. */
  async pollAll(): Promise<void> {
    const enabled = this.deps.groups.filter((g) => g.schedule.kind !== "off");
    await Promise.all(enabled.map((g) => this.runGroup(g.name, true)));
  }

  /**
   * Poll one group unless it is already polling (then wait for that poll). Never rejects: a failure is logged
   * and recorded in the group's status.
   */
  runGroup(name: string, force = false): Promise<void> {
    const running = this.#inFlight.get(name);
    if (running) return running;
    if (this.#paused && !force) return Promise.resolve();
    const run = this.#run(name).finally(() => this.#inFlight.delete(name));
    this.#inFlight.set(name, run);
    return run;
  }

  async #run(name: string): Promise<void> {
    const status = this.#status.get(name) ?? emptyStatus();
    this.#status.set(name, status);
    const now = this.deps.now ?? Date.now;
    status.running = true;
    status.runs += 1;
    try {
      await this.deps.runGroup(name);
      status.lastSuccessAt = now();
      status.lastError = null;
    } catch (err) {
      status.failures += 1;
      status.lastErrorAt = now();
      status.lastError = err instanceof Error ? err.message : String(err);
      this.deps.log.warn({ err, group: name }, "poll failed");
    } finally {
      status.running = false;
    }
  }

  /** A copy of every group's status. */
  status(): Record<string, GroupStatus> {
    return Object.fromEntries([...this.#status].map(([k, v]) => [k, { ...v }]));
  }

  /** Stop and destroy every task; waits for polls in flight. Idempotent; never throws. */
  async stop(): Promise<void> {
    this.#paused = true;
    for (const task of this.#tasks.splice(0)) {
      try {
        await task.stop();
        await task.destroy();
      } catch (err) {
        this.deps.log.debug({ err }, "cron task stop failed");
      }
    }
    await Promise.allSettled([...this.#inFlight.values()]);
  }
}

function emptyStatus(): GroupStatus {
  return { lastSuccessAt: null, lastErrorAt: null, lastError: null, running: false, runs: 0, failures: 0 };
}
