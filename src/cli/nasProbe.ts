/**
 * One-shot access to a NAS for `check` and `dump`: connect and authenticate once (bounded in time, failing on
 * the first `down` instead of retrying), identify the NAS, and fetch a method group once, classifying what
 * went wrong in words a user can act on.
 */
import { readFile } from "node:fs/promises";
import { pino, type Logger } from "pino";
import type { AppConfig } from "../config/loadConfig.js";
import { makeNasIdentity } from "../entities/ids.js";
import type { NasIdentity } from "../entities/model.js";
import type { GroupDefinition } from "../groups/group.js";
import { createLogger } from "../log.js";
import { TrueNasClient } from "../truenas/client.js";
import type { DownEvent, SystemInfo } from "../truenas/clientTypes.js";
import { MethodNotFoundError, TrueNasRpcError } from "../truenas/errors.js";
import { parseVersion, type TrueNasVersion } from "../truenas/version.js";

/** The role each group's methods need (truenas-api.md §3); READONLY_ADMIN includes all of them. */
const METHOD_ROLES: Readonly<Record<string, string>> = {
  "alert.list": "ALERT_LIST_READ",
  "app.query": "APPS_READ",
  "boot.get_state": "READONLY_ADMIN",
  "cloudsync.query": "CLOUD_SYNC_READ",
  "disk.query": "DISK_READ",
  "disk.temperatures": "REPORTING_READ",
  "disk.temperature_alerts": "REPORTING_READ",
  "interface.query": "NETWORK_INTERFACE_READ",
  "pool.dataset.query": "DATASET_READ",
  "pool.query": "POOL_READ",
  "pool.snapshottask.query": "SNAPSHOT_TASK_READ",
  "replication.query": "REPLICATION_TASK_READ",
  "reporting.netdata_get_data": "REPORTING_READ",
  "service.query": "SERVICE_READ",
  "system.info": "READONLY_ADMIN",
  "system.ready": "SYSTEM_GENERAL_READ",
  "update.check_available": "SYSTEM_UPDATE_READ",
  "update.status": "SYSTEM_UPDATE_READ",
  "virt.instance.query": "VIRT_INSTANCE_READ",
  "vm.query": "VM_READ",
};

/** A failure that ends the command with exit code 1; `message` is printed as is. */
export class ProbeError extends Error {
  override readonly name = "ProbeError";
}

export interface NasSessionInfo {
  readonly client: TrueNasClient;
  readonly version: TrueNasVersion;
  readonly info: SystemInfo;
  readonly nas: NasIdentity;
  /** Latest payload of each group's event source (e.g. reporting.realtime), by group name. */
  readonly latest: Map<string, unknown>;
}

export type GroupOutcome =
  | { readonly status: "ok"; readonly raw: unknown }
  | { readonly status: "unavailable"; readonly method: string }
  | { readonly status: "denied"; readonly method: string; readonly role: string | undefined }
  | { readonly status: "failed"; readonly message: string };

/** Silent unless LOG_LEVEL is set explicitly; then to stderr, so stdout stays the command's own output. */
export function probeLogger(env: Readonly<Record<string, string | undefined>>, config: AppConfig): Logger {
  if (env.LOG_LEVEL === undefined) return createLogger({ level: "silent" });
  return createLogger({ level: config.log.level, destination: pino.destination({ dest: 2, sync: true }) });
}

/** Reject with a ProbeError after `ms` unless `promise` settles first. */
export async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProbeError(`${what}: no answer within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

function downMessage(e: DownEvent, url: string): string {
  const why = e.error?.message ?? "unknown error";
  switch (e.reason) {
    case "auth_failed":
      // The client's advice about its own retry delay does not apply to a one-shot command.
      return `${why.replace(/\s*Retrying in minutes[^]*$/, "")} (TRUENAS_API_KEY / TRUENAS_API_KEY_FILE)`;
    case "rate_limited":
      return `TrueNAS refused more logins from this address for now (its limit is 20 a minute): try again in a minute`;
    case "tls_failed":
      return `TLS verification failed for ${url}: ${why}`;
    case "connect_failed":
      return `cannot connect to ${url}: ${why}`;
    default:
      return `TrueNAS session failed (${e.reason}): ${why}`;
  }
}

/**
 * Connect, authenticate and identify the NAS, or throw a ProbeError (first `down`, or no session within
 * `timeoutMs`). Subscribes the event sources of `groups` first, so their payloads start arriving.
 */
export async function openNasSession(
  config: AppConfig,
  opts: { log: Logger; timeoutMs: number; groups: readonly GroupDefinition[] },
): Promise<NasSessionInfo> {
  const t = config.truenas;
  const keyFile = t.apiKeyFile;
  const client = new TrueNasClient({
    url: t.url,
    apiKey: keyFile ? async () => (await readFile(keyFile, "utf8")).trim() : t.apiKey,
    log: opts.log,
    verifyTls: t.verifyTls,
    ...(t.caFile ? { ca: t.caFile } : {}),
    callTimeoutMs: Math.min(t.callTimeoutMs, 10_000),
    connectTimeoutMs: Math.min(10_000, opts.timeoutMs),
  });
  const latest = new Map<string, unknown>();
  for (const group of opts.groups) {
    const source = group.source;
    if (!source) continue;
    client.subscribe(source, (e) => {
      if (e.type === "collection_update" && e.fields !== undefined) latest.set(group.name, e.fields);
    });
  }
  const ready = new Promise<SystemInfo>((resolve, reject) => {
    client.once("ready", (e) => resolve(e.info));
    client.once("down", (e) => reject(new ProbeError(downMessage(e, t.url))));
  });
  try {
    client.start();
    const info = await withDeadline(ready, opts.timeoutMs, `TrueNAS at ${t.url}`);
    const hostname = typeof info.hostname === "string" ? info.hostname : "truenas";
    let hostId = hostname;
    try {
      hostId = String(await client.call<string>("system.host_id"));
    } catch {
      // Identify by host name, as the bridge does.
    }
    const nas = makeNasIdentity({ hostId, hostname });
    return { client, version: parseVersion(info.version), info, nas, latest };
  } catch (err) {
    await client.stop();
    throw err instanceof ProbeError ? err : new ProbeError((err as Error).message);
  }
}

/** Wait (bounded) for the first payload of every event source among `groups`. */
export async function waitForSources(
  session: NasSessionInfo,
  groups: readonly GroupDefinition[],
  ms: number,
): Promise<void> {
  const pending = (): boolean => groups.some((g) => g.source && !session.latest.has(g.name));
  const deadline = Date.now() + ms;
  while (pending() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Fetch a group once; never rejects. */
export async function fetchGroupOnce(
  group: GroupDefinition,
  session: NasSessionInfo,
  config: AppConfig,
  timeoutMs: number,
): Promise<GroupOutcome> {
  const ctx = {
    call: <T>(m: string, p?: readonly unknown[]) => session.client.call<T>(m, p),
    version: session.version,
    options: { datasets: config.datasets },
    latest: session.latest.get(group.name),
  };
  try {
    return { status: "ok", raw: await withDeadline(group.fetch(ctx), timeoutMs, group.name) };
  } catch (err) {
    if (err instanceof MethodNotFoundError) return { status: "unavailable", method: err.method };
    if (err instanceof TrueNasRpcError && err.errname === "EACCES") {
      return { status: "denied", method: err.method, role: METHOD_ROLES[err.method] };
    }
    return { status: "failed", message: (err as Error).message };
  }
}

/** One line of text for a group that did not fetch. */
export function describeProblem(o: Exclude<GroupOutcome, { status: "ok" }>): string {
  switch (o.status) {
    case "unavailable":
      return `not available on this NAS (no ${o.method})`;
    case "denied":
      return `not permitted for this API key (${o.method}${
        o.role ? `: the key's user probably lacks the ${o.role} role, included in READONLY_ADMIN` : ""
      })`;
    case "failed":
      return `failed (${o.message})`;
  }
}
