/**
 * Load on the NAS per hour, as the simulator counts it (calls and response bytes per method, event bytes per
 * source), for the bridge at its default schedules and for the naive pattern peers use: every method, no
 * filters or `select`, every 60 s. The naive pattern is replayed against the same simulator in the same run.
 */
import { GROUP_SCHEDULES, type GroupName } from "../../src/groups/schedules.js";
import { REALTIME_SOURCE } from "../../src/groups/reporting.js";
import type { SimStats } from "../../src/simulator/stats.js";
import { RawWsClient } from "../../test/support/rawWsClient.js";
import { firesPerHour } from "./cron.js";

export interface MethodLoad {
  calls: number;
  bytes: number;
}
export type LoadTable = Record<string, MethodLoad>;

const REALTIME_PER_HOUR = 3600 / 2; // REALTIME_SOURCE asks for one event every 2 s

export function snapshot(stats: SimStats): LoadTable {
  const out: LoadTable = {};
  for (const [m, c] of stats.methods) out[m] = { ...c };
  for (const [e, c] of stats.events) out[`event ${e}`] = { ...c };
  return out;
}

export function diff(after: LoadTable, before: LoadTable): LoadTable {
  const out: LoadTable = {};
  for (const [k, v] of Object.entries(after)) {
    const b = before[k] ?? { calls: 0, bytes: 0 };
    if (v.calls > b.calls) out[k] = { calls: v.calls - b.calls, bytes: v.bytes - b.bytes };
  }
  return out;
}

export function addInto(into: LoadTable, add: LoadTable, times: number): void {
  for (const [k, v] of Object.entries(add)) {
    const cur = into[k] ?? { calls: 0, bytes: 0 };
    into[k] = { calls: cur.calls + v.calls * times, bytes: cur.bytes + v.bytes * times };
  }
}

/** Calls (events are not calls: the NAS pushes them) and bytes of every reply and event. */
export function totals(t: LoadTable): MethodLoad {
  let calls = 0;
  let bytes = 0;
  for (const [k, v] of Object.entries(t)) {
    if (!k.startsWith("event ")) calls += v.calls;
    bytes += v.bytes;
  }
  return { calls, bytes };
}

/** Size of one `reporting.realtime` event frame as the bridge subscribes to it. */
export async function realtimeEventBytes(url: string, apiKey: string): Promise<number> {
  const client = await RawWsClient.connect(url);
  try {
    await client.call("auth.login_with_api_key", [apiKey]);
    const event = client.waitFor(
      (m) => (m.json as { method?: unknown } | undefined)?.method === "collection_update",
    );
    await client.call("core.subscribe", [REALTIME_SOURCE]);
    return Buffer.byteLength((await event).raw);
  } finally {
    client.ws.close();
  }
}

/**
 * The bridge's hourly load: each group's measured poll × its default fires per hour, the realtime events, and
 * the keepalive pings at the rate observed while the bridge process ran (it pings only an idle socket).
 */
export function bridgePerHour(
  perGroup: Record<string, LoadTable>,
  pings: { perHour: number; bytes: number },
  realtimeEventBytes: number,
): LoadTable {
  const hour: LoadTable = {};
  for (const [group, load] of Object.entries(perGroup)) {
    addInto(hour, load, firesPerHour(GROUP_SCHEDULES[group as GroupName]));
  }
  if (pings.perHour > 0) addInto(hour, { "core.ping": { calls: 1, bytes: pings.bytes } }, pings.perHour);
  addInto(hour, { [`event ${REALTIME_SOURCE}`]: { calls: 1, bytes: realtimeEventBytes } }, REALTIME_PER_HOUR);
  return hour;
}

/** Plain calls without arguments a naive poller would make for what the bridge shows (full objects). */
function naiveParams(method: string): unknown[] {
  if (method === "reporting.netdata_get_data")
    return [
      [{ name: "cpu" }, { name: "memory" }, { name: "cputemp" }, { name: "interface" }, { name: "arcsize" }],
    ];
  return [];
}

/**
 * Replays one naive poll of `methods` against the simulator (with a fresh login) and returns its per-hour load
 * at a 60 s period, plus the size of one core.ping reply.
 */
export async function naivePerHour(
  url: string,
  apiKey: string,
  methods: readonly string[],
  stats: SimStats,
): Promise<{ hour: LoadTable; pingBytes: number }> {
  const client = await RawWsClient.connect(url);
  try {
    await client.call("auth.login_with_api_key", [apiKey]);
    const before = snapshot(stats);
    await client.call("core.ping");
    const pingBytes = diff(snapshot(stats), before)["core.ping"]?.bytes ?? 0;
    const start = snapshot(stats);
    for (const m of methods) await client.call(m, naiveParams(m));
    const hour: LoadTable = {};
    addInto(hour, diff(snapshot(stats), start), 60);
    return { hour, pingBytes };
  } finally {
    client.ws.close();
  }
}
