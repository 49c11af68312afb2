/**
 * The benchmark's handle on the bridge process (bridgeChild.mjs): forks it with `--expose-gc`, sends requests
 * over the IPC channel and resolves each with its reply.
 */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface CycleResult {
  wallMs: number;
  cpuMs: number;
  messages: number;
  bytes: number;
}

export interface MemoryResult {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** Physical size of each V8 heap space (KiB). */
  spacesKiB: Record<string, number>;
  /** The highest RSS the process ever had (bytes), e.g. during the start-up burst. */
  peakRss: number;
}

interface Reply {
  id: number;
  error?: string;
  [key: string]: unknown;
}

const SCRIPT = fileURLToPath(new URL("./bridgeChild.mjs", import.meta.url));

export class BridgeChild {
  readonly #proc: ChildProcess;
  readonly #pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  #nextId = 1;
  readonly started: Promise<void>;

  /** `cpuProfileDir`: write a V8 CPU profile of the bridge process there (`--cpu-prof`) when it exits. */
  constructor(env: Record<string, string>, cpuProfileDir?: string) {
    this.#proc = fork(SCRIPT, [], {
      env: { ...env, PATH: process.env.PATH ?? "" },
      execArgv: ["--expose-gc", ...(cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${cpuProfileDir}`] : [])],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.started = new Promise((resolve, reject) => {
      this.#proc.once("exit", (code) => {
        const err = new Error(`bridge process exited (${code})`);
        reject(err);
        for (const p of this.#pending.values()) p.reject(err);
        this.#pending.clear();
      });
      this.#proc.on("message", (msg: Reply) => {
        if (msg.id === 0) return resolve();
        const waiter = this.#pending.get(msg.id);
        this.#pending.delete(msg.id);
        if (msg.error !== undefined) waiter?.reject(new Error(msg.error));
        else waiter?.resolve(msg);
      });
    });
  }

  get pid(): number {
    return this.#proc.pid ?? -1;
  }

  request<T>(op: string, extra: Record<string, unknown> = {}): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: (r) => resolve(r as T), reject });
      this.#proc.send({ id, op, ...extra });
    });
  }

  cycle(): Promise<CycleResult> {
    return this.request<CycleResult>("cycle");
  }

  poll(group: string): Promise<CycleResult> {
    return this.request<CycleResult>("poll", { group });
  }

  memory(): Promise<MemoryResult> {
    return this.request<MemoryResult>("mem");
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.#proc.once("exit", resolve));
    await this.request("stop").catch(() => undefined);
    const timer = setTimeout(() => this.#proc.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  }
}
