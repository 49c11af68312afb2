/**
 * One in-process bridge for fault-injection tests: a real broker, the simulator (typical profile, no drift),
 * the whole app from createApp(loadConfig({env})) with no wall-clock cron, and an MQTT probe that records
 * every message. Tests break the NAS through `sim.faults` / `world.control`, poll, and then ask whether the
 * retained MQTT state equals what the simulator's world says (issue 6: "the retained MQTT state equals the
 * simulator's truth, and nothing was published that was false").
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt from "mqtt";
import { recordingTestLogger, type RecordedLog } from "./capture.js";
import { expect } from "vitest";
import { createApp, type App, type AppDeps } from "../../src/app.js";
import type { NasBridge } from "../../src/bridge/nasBridge.js";
import { loadConfig, type AppConfig } from "../../src/config/loadConfig.js";
import type { GroupSnapshot, NasIdentity } from "../../src/entities/model.js";
import { stableStringify } from "../../src/entities/stateDoc.js";
import { nasAvailabilityTopic, objectAttributesTopic, objectStateTopic } from "../../src/entities/topics.js";
import type { CallFn, GroupDefinition } from "../../src/groups/group.js";
import { GROUPS } from "../../src/groups/index.js";
import type { HealthReport } from "../../src/health/server.js";
import type { CronFactory } from "../../src/scheduler/scheduler.js";
import { DEFAULT_SIM_API_KEY, SimulatorServer, type SimulatorOptions } from "../../src/simulator/server.js";
import type { SimWorld } from "../../src/simulator/nas/world.js";
import type { SimVersion } from "../../src/simulator/types.js";
import type { Clock } from "../../src/truenas/clock.js";
import { rpcErrorFrom } from "../../src/truenas/errors.js";
import { parseVersion } from "../../src/truenas/version.js";
import { startBroker, type TestBroker } from "./broker.js";
import type { ManualClock } from "./truenasClock.js";
import { MqttProbe, type ProbeMessage } from "./mqttProbe.js";
import { worldCall } from "./worldCall.js";

/** Scheduled polls come from the test (pollAll) and from TrueNAS events, never from wall-clock cron. */
export const noCron: CronFactory = () => ({
  start: () => undefined,
  stop: () => undefined,
  destroy: () => undefined,
});

export interface CapturedLines extends RecordedLog {
  withMsg(msg: string): Array<Record<string, unknown>>;
}

/**
 * A pino logger built like the product's (src/log.ts: same redaction) that writes JSON lines to an array, and
 * into the whole-suite secret scan (test/support/capture.ts).
 */
export function captureLog(level = "debug"): CapturedLines {
  const recorded = recordingTestLogger(level);
  return { ...recorded, withMsg: (msg) => recorded.lines.filter((l) => l.msg === msg) };
}

export interface FaultRigOptions {
  /** TrueNAS flavour of the simulator (default 25.10). */
  readonly version?: SimVersion;
  /** Extra or overriding environment for loadConfig (e.g. TRUENAS_CALL_TIMEOUT). */
  readonly env?: Readonly<Record<string, string>>;
  /** Adjust the loaded configuration where the schema's units are too coarse for a test (e.g. ms timeouts). */
  readonly tweak?: (config: AppConfig) => AppConfig;
  /** Read the API key from a file (TRUENAS_API_KEY_FILE) instead of TRUENAS_API_KEY; see writeApiKey(). */
  readonly keyFile?: boolean;
  /** The app's clock (e.g. a ManualClock); default the system clock. */
  readonly clock?: Clock;
  readonly timings?: AppDeps["timings"];
  /** Overrides of the simulator's options. */
  readonly sim?: Partial<SimulatorOptions>;
  /** Log level of the captured log (default debug). */
  readonly logLevel?: string;
}

/** Where the retained state and the world disagree. Empty lists mean they are equal. */
export interface TruthDiff {
  /** Truth topics with no retained message. */
  readonly missing: string[];
  /** Truth topics whose retained payload differs: [topic, retained, truth]. */
  readonly wrong: Array<[string, string, string]>;
  /** Retained state topics of this NAS that the truth does not have (objects that should be gone). */
  readonly extra: string[];
  /** Groups the truth could not be computed for (their method is missing), with why. */
  readonly skipped: Record<string, string>;
}

export class FaultRig {
  broker!: TestBroker;
  sim!: SimulatorServer;
  app!: App;
  probe!: MqttProbe;
  config!: AppConfig;
  readonly logs: CapturedLines;
  readonly opts: FaultRigOptions;
  #keyDir: string | undefined;
  #stopped: Promise<void> | undefined;

  constructor(opts: FaultRigOptions = {}) {
    this.opts = opts;
    this.logs = captureLog(opts.logLevel);
  }

  get world(): SimWorld {
    return this.sim.world as SimWorld;
  }

  /** The NAS identity (after start()). */
  get nas(): NasIdentity {
    const nas = this.app.bridge.nas;
    if (!nas) throw new Error("the bridge has not identified the NAS yet");
    return nas;
  }

  get topics(): { baseTopic: string; discoveryPrefix: string } {
    return {
      baseTopic: this.config.mqtt.baseTopic,
      discoveryPrefix: this.config.homeassistant.discoveryPrefix,
    };
  }

  get availabilityTopic(): string {
    return nasAvailabilityTopic(this.topics, this.nas.id);
  }

  /** The key file (with `keyFile: true`). */
  get keyFilePath(): string {
    if (!this.#keyDir) throw new Error("the rig was made without keyFile");
    return join(this.#keyDir, "api_key");
  }

  /** Replace the key in the key file (the user pasting a new key; the bridge is not restarted). */
  writeApiKey(key: string): void {
    writeFileSync(this.keyFilePath, `${key}\n`, { mode: 0o600 });
  }

  /** Broker, simulator, app, probe; resolves once the NAS is online and every group has polled. */
  async start(): Promise<void> {
    const o = this.opts;
    this.broker = await startBroker();
    this.sim = new SimulatorServer({
      profile: "typical",
      version: o.version ?? "25.10",
      driftIntervalMs: 0,
      jitterMs: 1,
      ...o.sim,
    });
    await this.sim.start();
    this.probe = await MqttProbe.connect(this.broker.url);
    const env: Record<string, string> = {
      TRUENAS_URL: this.sim.url,
      MQTT_URL: this.broker.url,
      HEALTH_PORT: "0",
      AVAILABILITY_GRACE: "1",
      REMOVAL_POLLS: "1",
    };
    if (o.keyFile) {
      this.#keyDir = mkdtempSync(join(tmpdir(), "faultrig-"));
      this.writeApiKey(o.sim?.apiKey ?? DEFAULT_SIM_API_KEY);
      env.TRUENAS_API_KEY_FILE = this.keyFilePath;
    } else {
      env.TRUENAS_API_KEY = o.sim?.apiKey ?? DEFAULT_SIM_API_KEY;
    }
    const loaded = loadConfig({ env: { ...env, ...o.env } });
    this.config = o.tweak ? o.tweak(loaded) : loaded;
    this.app = this.#newApp(o.timings);
    await this.app.start();
    await this.waitOnline();
    await this.pollAll();
    await this.settled();
  }

  /**
   * Resolves once the probe has received what the bridge believes it published (the last payload of every state
   * and config in its view), so counts taken from the probe's history afterwards start from a quiet point.
   */
  async settled(): Promise<void> {
    const { states, configs } = this.app.bridge.view;
    const wanted = [
      ...Array.from(states, ([topic, entry]) => [topic, entry.payload] as const),
      ...Array.from(configs, ([topic, entry]) => [topic, entry.payload.text()] as const),
    ];
    await this.until(() => {
      const last = new Map(this.probe.messages.map((m) => [m.topic, m.payload]));
      return wanted.every(([topic, payload]) => last.get(topic) === payload);
    }, "the probe to receive what the bridge published");
  }

  /** Resolves when the NAS's availability is (or becomes) online. */
  async waitOnline(): Promise<void> {
    await this.probe.waitFor(
      (m) => /\/availability$/.test(m.topic) && m.payload === "online" && this.app.bridge.nas !== undefined,
    );
  }

  #newApp(timings?: AppDeps["timings"]): App {
    const clock = this.opts.clock;
    return createApp(this.config, {
      log: this.logs.log,
      version: "0.0.0-faults",
      cron: noCron,
      ...(clock ? { clock } : {}),
      timings: { eventDebounceMs: 20, haBirthDelayMs: 50, staleScanMs: 100, ...timings },
    });
  }

  /**
   * Stops the bridge and starts a new one on the same configuration, NAS and broker (a process restart); resolves
   * once the new one has said online. Timings override the rig's defaults, not those it was started with.
   */
  async restartApp(timings?: AppDeps["timings"]): Promise<void> {
    const availability = this.availabilityTopic; // the new bridge knows the NAS only once it is online
    await this.app.stop();
    const seen = this.history(availability).length;
    this.app = this.#newApp(timings);
    await this.app.start();
    await this.until(
      () =>
        this.app.bridge.nas !== undefined &&
        this.history(availability)
          .slice(seen)
          .some((m) => m.payload === "online"),
      "the restarted bridge to be online",
    );
  }

  /** Resolves when the availability topic says online in a message after the first `seen` on it. */
  async waitOnlineAfter(seen: number): Promise<void> {
    await this.until(
      () =>
        this.history(this.availabilityTopic)
          .slice(seen)
          .some((m) => m.payload === "online"),
      "the NAS to be online again",
    );
  }

  /** Everything closed, in reverse order. Idempotent; never throws. */
  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      const quietly = async (fn: () => unknown): Promise<void> => {
        try {
          await fn();
        } catch {
          // Teardown of a half-started rig: whatever exists is closed, the rest is skipped.
        }
      };
      await quietly(() => this.app?.stop());
      await quietly(() => this.probe?.close());
      await quietly(() => this.sim?.stop());
      await quietly(() => this.broker?.stop());
      if (this.#keyDir) rmSync(this.#keyDir, { recursive: true, force: true });
    })();
    return this.#stopped;
  }

  /** The groups the configuration enables. */
  enabledGroups(): GroupDefinition[] {
    return GROUPS.filter((g) => this.config.poll[g.name].kind !== "off");
  }

  /** Poll every enabled group as one schedule period would (joins polls already running). */
  async pollAll(): Promise<void> {
    await Promise.all(this.enabledGroups().map((g) => this.app.bridge.pollGroup(g.name)));
  }

  /** What /healthz reports, typed with the bridge's per-group status it carries. */
  report(): HealthReport & ReturnType<NasBridge["status"]> {
    return this.app.report() as HealthReport & ReturnType<NasBridge["status"]>;
  }

  /** How many polls each group has run so far; pass it to waitPolled(). */
  pollMark(): Record<string, number> {
    const groups = this.app.bridge.status().groups;
    return Object.fromEntries(Object.entries(groups).map(([name, s]) => [name, s.runs]));
  }

  /**
   * Resolves once every enabled, not disabled group has finished a poll it started after `mark` (the bridge's
   * own full poll after a reconnect), without polling anything itself. Checks the status every few ms of real time.
   */
  async waitPolled(mark: Record<string, number>, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const groups = this.app.bridge.status().groups;
      const pending = this.enabledGroups()
        .map((g) => g.name)
        .filter((name) => {
          const s = groups[name];
          return !s || (!s.disabled && (s.running || s.runs <= (mark[name] ?? 0)));
        });
      if (pending.length === 0) return;
      if (Date.now() > deadline) throw new Error(`groups not polled since the mark: ${pending.join(", ")}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /**
   * Move a ManualClock forward in steps, letting real I/O settle between them (calls answered), so keepalive
   * pings sent on the way get their pongs before their own timeout fires, as they would in real time.
   */
  async advance(clock: ManualClock, ms: number, stepMs = 1_000): Promise<void> {
    for (let left = ms; left > 0; left -= stepMs) {
      clock.advance(Math.min(stepMs, left));
      const settleBy = Date.now() + 500;
      while (this.app.client.stats.inFlight > 0 && Date.now() < settleBy)
        await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  /** Resolves when `check` holds, checking every few ms of real time (for state no event announces). */
  async until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Every message the probe saw on a topic, in order. */
  history(topic: string): ProbeMessage[] {
    return this.probe.on(topic);
  }

  /**
   * The documents published on a state topic, parsed, in the order the probe saw them (an empty payload, a
   * removal, is null): for checking that nothing false went out between a fault and its repair.
   */
  docsOn(topic: string): Array<Record<string, unknown> | null> {
    return this.history(topic).map((m) =>
      m.payload === "" ? null : (JSON.parse(m.payload) as Record<string, unknown>),
    );
  }

  /** The state topic of an object of this NAS. */
  stateTopic(kind: string, id: string): string {
    return objectStateTopic(this.topics, this.nas.id, { kind, id });
  }

  /**
   * What a fresh subscriber gets: every retained, non-empty message under this bridge's tree and the discovery
   * prefix. A marker published after subscribing arrives after the retained ones, which tells us we have them all.
   */
  async retainedState(): Promise<Map<string, string>> {
    const { baseTopic, discoveryPrefix } = this.topics;
    const marker = `faultrig/marker/${Math.random().toString(36).slice(2)}`;
    const client = await mqtt.connectAsync(this.broker.url, { reconnectPeriod: 0 });
    try {
      const retained = new Map<string, string>();
      const done = new Promise<void>((resolve) => {
        client.on("message", (topic, payload, packet) => {
          if (topic === marker) resolve();
          else if (packet.retain && payload.length > 0) retained.set(topic, payload.toString());
        });
      });
      // QoS 0: at QoS 1 mosquitto queues at most 1,000 messages for a subscriber and drops the rest (the end
      // marker included), so a large retained set was read incompletely or never ended.
      await client.subscribeAsync([`${baseTopic}/#`, `${discoveryPrefix}/#`, marker], { qos: 0 });
      await client.publishAsync(marker, "end", { qos: 0 });
      await done;
      return retained;
    } finally {
      await client.endAsync(true);
    }
  }

  /**
   * The state documents the world implies now: every enabled group's fetch and normalise run in-process against
   * the simulator's world (as the bridge would over the wire), keyed by state (and attributes) topic. A method the
   * faults removed answers "Method does not exist" here too, so that group is skipped, as the bridge skips it.
   */
  async truth(): Promise<{ states: Map<string, string>; skipped: Record<string, string> }> {
    const world = this.world;
    const faults = this.sim.faults;
    const inner = worldCall(world);
    const call: CallFn = (method, params) =>
      faults.isRemoved(method)
        ? Promise.reject(rpcErrorFrom(method, { code: -32601, message: "Method does not exist" }))
        : inner(method, params);
    const version = parseVersion(String(world.state.info.version));
    const options = { datasets: this.config.datasets };
    const states = new Map<string, string>();
    const skipped: Record<string, string> = {};
    const disabled = this.app.bridge.status().groups;
    for (const group of this.enabledGroups()) {
      if (disabled[group.name]?.disabled) {
        skipped[group.name] = `disabled: ${disabled[group.name]?.disabled}`;
        continue;
      }
      let snapshot: GroupSnapshot;
      try {
        const latest = group.source ? world.realtimeStats() : undefined;
        const raw = await group.fetch({ call, version, options, latest });
        snapshot = group.normalise(raw, { nas: this.nas, version, options });
      } catch (err) {
        skipped[group.name] = String(err);
        continue;
      }
      for (const object of snapshot.objects) {
        states.set(objectStateTopic(this.topics, this.nas.id, object.ref), stableStringify(object.doc));
        if (object.attributes !== undefined)
          states.set(
            objectAttributesTopic(this.topics, this.nas.id, object.ref),
            stableStringify(object.attributes),
          );
      }
    }
    return { states, skipped };
  }

  /** The retained state compared with the truth, topic by topic. */
  async diffWithTruth(): Promise<TruthDiff> {
    // The bridge's last publish may still be on its way to the broker when a poll resolves: read the retained
    // state only once the probe (subscribed to everything) has received what the bridge's view says it sent.
    await this.settled();
    const { states, skipped } = await this.truth();
    const retained = await this.retainedState();
    const missing: string[] = [];
    const wrong: Array<[string, string, string]> = [];
    for (const [topic, payload] of states) {
      const got = retained.get(topic);
      if (got === undefined) missing.push(topic);
      else if (got !== payload) wrong.push([topic, got, payload]);
    }
    const prefix = `${this.topics.baseTopic}/${this.nas.id}/`;
    const view = this.app.bridge.view.states;
    const extra = [...retained.keys()].filter(
      (t) =>
        t.startsWith(prefix) &&
        t !== this.availabilityTopic &&
        !states.has(t) &&
        !Object.hasOwn(skipped, view.get(t)?.group ?? ""),
    );
    return { missing, wrong, extra, skipped };
  }

  /** Asserts the retained state equals the truth; `skip` lists groups the caller expects to be skipped. */
  async expectStateEqualsTruth(skip: readonly string[] = []): Promise<TruthDiff> {
    const diff = await this.diffWithTruth();
    expect({ missing: diff.missing, wrong: diff.wrong, extra: diff.extra }).toEqual({
      missing: [],
      wrong: [],
      extra: [],
    });
    expect(Object.keys(diff.skipped).sort()).toEqual([...skip].sort());
    return diff;
  }
}
