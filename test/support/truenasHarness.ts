/**
 * Builds a TrueNasClient for tests with a manual clock and a captured log, and small helpers to await its events.
 */
import { once } from "node:events";
import { TrueNasClient } from "../../src/truenas/client.js";
import type {
  ClientState,
  TrueNasClientEvents,
  TrueNasClientOptions,
} from "../../src/truenas/clientTypes.js";
import { ManualClock } from "./truenasClock.js";
import { captureLog, type CapturedLog } from "./truenasLog.js";

export interface Harness {
  readonly client: TrueNasClient;
  readonly clock: ManualClock;
  readonly logs: CapturedLog;
  /** Every state the client entered, in order. */
  readonly states: ClientState[];
}

const clients: TrueNasClient[] = [];

export function makeClient(
  opts: Partial<TrueNasClientOptions> & Pick<TrueNasClientOptions, "url" | "apiKey">,
): Harness {
  const clock = new ManualClock();
  const logs = captureLog();
  const client = new TrueNasClient({ clock, log: logs.log, random: () => 0, ...opts });
  const states: ClientState[] = [];
  client.on("state", ({ to }) => states.push(to));
  clients.push(client);
  return { client, clock, logs, states };
}

/** Stop every client made by makeClient (call from afterEach). */
export async function stopClients(): Promise<void> {
  await Promise.all(clients.splice(0).map((c) => c.stop()));
}

/** The next emission of `event`. */
export async function next<K extends keyof TrueNasClientEvents>(
  client: TrueNasClient,
  event: K,
): Promise<TrueNasClientEvents[K][0]> {
  const [value] = (await once(client, event)) as TrueNasClientEvents[K];
  return value;
}

/** Start the client and wait for its first ready. */
export async function startReady(h: Harness): Promise<TrueNasClientEvents["ready"][0]> {
  const ready = next(h.client, "ready");
  h.client.start();
  return ready;
}
