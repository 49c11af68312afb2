/**
 * One NAS, bridged: polls its method groups on their schedules and after TrueNAS events, diffs each poll
 * against what is published (entities/registry.ts), publishes only what changed, keeps the NAS's availability,
 * republishes everything after a broker reconnect or Home Assistant's birth message, and sweeps retained
 * configs it no longer produces. Everything is keyed by the NAS's identity; several bridges can share one
 * publisher. Constructors only assign; work starts in start() (architecture.md rule 1).
 */
import type { Logger } from "pino";
import { discoveryNodeId, makeNasIdentity, NAS_DEVICE } from "../entities/ids.js";
import type {
  DeviceSpec,
  DiscoveryContext,
  GroupSnapshot,
  NasIdentity,
  OriginInfo,
  TopicSettings,
} from "../entities/model.js";
import {
  diffGroupPoll,
  EMPTY_VIEW,
  snapshotMessages,
  staleConfigTopics,
  type RegistryMessage,
  type RegistryView,
} from "../entities/registry.js";
import { nasAvailabilityTopic } from "../entities/topics.js";
import type { GroupDefinition, GroupOptions } from "../groups/group.js";
import type { GroupName, Schedule } from "../groups/schedules.js";
import type { OutgoingMessage } from "../mqtt/publisher.js";
import { PollInputs } from "./pollInputs.js";
import { Scheduler, type CronFactory, type GroupStatus } from "../scheduler/scheduler.js";
import type { DigestedReply } from "../truenas/callTracker.js";
import type { Clock } from "../truenas/clock.js";
import type { ReadyEvent, DownEvent } from "../truenas/clientTypes.js";
import { MethodNotFoundError } from "../truenas/errors.js";
import type { SubscriptionEvent } from "../truenas/subscriptions.js";
import { parseVersion, type TrueNasVersion } from "../truenas/version.js";

/** What the bridge needs of the TrueNAS session (TrueNasClient satisfies it). */
export interface NasSession {
  on(event: "ready", listener: (e: ReadyEvent) => void): unknown;
  on(event: "down", listener: (e: DownEvent) => void): unknown;
  call<R = unknown>(method: string, params?: readonly unknown[]): Promise<R>;
  callWithDigest<R = unknown>(method: string, params?: readonly unknown[]): Promise<DigestedReply<R>>;
  subscribe(name: string, listener: (e: SubscriptionEvent) => void): () => void;
  readonly state: string;
}

/** What the bridge needs of the MQTT side (MqttPublisher satisfies it). */
export interface BridgePublisher {
  on(event: "connected", listener: () => void): unknown;
  on(event: "message", listener: (topic: string, payload: Buffer, retained: boolean) => void): unknown;
  publish(messages: readonly OutgoingMessage[]): number;
  subscribe(filter: string): Promise<void>;
  unsubscribe(filter: string): Promise<void>;
  readonly connected: boolean;
}

export interface NasBridgeDeps {
  readonly session: NasSession;
  readonly publisher: BridgePublisher;
  readonly groups: readonly GroupDefinition[];
  readonly schedules: Readonly<Record<GroupName, Schedule>>;
  readonly topics: TopicSettings;
  readonly origin: OriginInfo;
  readonly discovery: boolean;
  readonly haStatusTopic: string;
  readonly removeAfterPolls: number;
  readonly availabilityGraceMs: number;
  readonly options: GroupOptions;
  readonly log: Logger;
  readonly clock: Clock;
  readonly cron?: CronFactory;
  /**
   * Wait after an event before polling its group, so bursts of events cost one poll. Default 10 ms: the events of
   * one change (app.stop sends STOPPING and STOPPED together) arrive within a millisecond or two, and every
   * millisecond here is latency the user sees (bench: p99 of event → MQTT).
   */
  readonly eventDebounceMs?: number;
  /** Wait after HA's birth message before republishing (HA subscribes first). Default 5 s. */
  readonly haBirthDelayMs?: number;
  /** How long to collect retained configs at start-up before sweeping stale ones. Default 3 s. */
  readonly staleScanMs?: number;
}

interface SessionInfo {
  readonly nas: NasIdentity;
  readonly version: TrueNasVersion;
  readonly context: DiscoveryContext;
}

export class NasBridge {
  readonly #d: NasBridgeDeps;
  readonly #scheduler: Scheduler;
  readonly #groups: Map<string, GroupDefinition>;
  readonly #disabled = new Map<string, string>();
  readonly #debounce = new Map<string, unknown>();
  readonly #unsubscribe: Array<() => void> = [];
  readonly #retainedConfigs = new Set<string>();
  /** Latest payload of each group's event source, by group name. */
  readonly #latest = new Map<string, unknown>();
  /**
   * Per group: the digest of what its last normalised poll was fetched from (bridge/pollInputs.ts), and the
   * registry state that poll left. Identical inputs cannot change anything while both are as they were, because
   * fetches and normalisers are pure (no clock, no randomness): such a poll skips normalising and diffing, which
   * were most of a cycle's CPU.
   */
  readonly #lastInputs = new Map<
    string,
    { hash: string; devices: unknown; build: unknown; waiting: boolean }
  >();
  /** Successful polls per group since start, for the sweep's patience (see #countsAsPolled). */
  readonly #pollCount = new Map<string, number>();
  /** Groups already re-polled once because another group's device was not known yet. */
  readonly #retried = new Set<string>();
  #view: RegistryView = EMPTY_VIEW;
  #session: SessionInfo | undefined;
  #graceTimer: unknown;
  /** The grace period ran out and `offline` went out; further downs in the same outage publish nothing. */
  #offline = false;
  #birthTimer: unknown;
  #scanTimer: unknown;
  #polledOnce = new Set<string>();
  #swept = false;
  #stopped = false;

  constructor(deps: NasBridgeDeps) {
    this.#d = deps;
    this.#groups = new Map(deps.groups.map((g) => [g.name, g]));
    this.#scheduler = new Scheduler({
      groups: deps.groups.map((g) => ({ name: g.name, schedule: deps.schedules[g.name] })),
      runGroup: (name) => this.#poll(name),
      log: deps.log.child({ component: "scheduler" }),
      now: () => deps.clock.now(),
      ...(deps.cron ? { cron: deps.cron } : {}),
    });
  }

  /** The NAS identity once the first session is ready. */
  get nas(): NasIdentity | undefined {
    return this.#session?.nas;
  }

  get view(): RegistryView {
    return this.#view;
  }

  status(): { nas: string | null; groups: Record<string, GroupStatus & { disabled: string | null }> } {
    const groups = Object.fromEntries(
      Object.entries(this.#scheduler.status()).map(([name, s]) => [
        name,
        { ...s, disabled: this.#disabled.get(name) ?? null },
      ]),
    );
    return { nas: this.#session?.nas.id ?? null, groups };
  }

  /** Poll one group now (as its schedule would). Never rejects. */
  pollGroup(name: string): Promise<void> {
    return this.#scheduler.runGroup(name, true);
  }

  start(): void {
    const { session, publisher } = this.#d;
    this.#scheduler.start();
    session.on("ready", (e) => this.#guard("ready", () => this.#onReady(e)));
    session.on("down", (e) => this.#guard("down", () => this.#onDown(e)));
    publisher.on("connected", () => this.#guard("connected", () => this.#onBrokerConnected()));
    publisher.on("message", (topic, payload, retained) =>
      this.#guard("message", () => this.#onMessage(topic, payload.toString(), retained)),
    );
    for (const group of this.#d.groups) {
      if (this.#d.schedules[group.name].kind === "off") continue;
      for (const collection of group.events ?? []) {
        this.#unsubscribe.push(session.subscribe(collection, () => this.#eventFor(group.name)));
      }
      if (group.source) {
        this.#unsubscribe.push(
          session.subscribe(group.source, (e) => {
            if (e.type !== "collection_update" || e.fields === undefined) return;
            const first = !this.#latest.has(group.name);
            this.#latest.set(group.name, e.fields);
            // The first payload should not wait for the next scheduled read.
            if (first) this.#eventFor(group.name);
          }),
        );
      }
    }
    if (publisher.connected) this.#onBrokerConnected();
  }

  /** Stop polling and timers; publishes nothing (configs are never cleared on shutdown). Idempotent. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    const { clock } = this.#d;
    for (const handle of [this.#graceTimer, this.#birthTimer, this.#scanTimer, ...this.#debounce.values()])
      clock.clearTimeout(handle);
    this.#debounce.clear();
    for (const off of this.#unsubscribe.splice(0)) off();
    await this.#scheduler.stop();
  }

  /** Publish the NAS offline (for shutdown). */
  publishOffline(): void {
    if (this.#session) this.#publish([this.#availability("offline")]);
  }

  #guard(what: string, fn: () => unknown): void {
    try {
      const r = fn();
      if (r instanceof Promise)
        r.catch((err: unknown) => this.#d.log.error({ err, what }, "bridge handler failed"));
    } catch (err) {
      this.#d.log.error({ err, what }, "bridge handler failed");
    }
  }

  async #onReady(e: ReadyEvent): Promise<void> {
    const { clock, log } = this.#d;
    clock.clearTimeout(this.#graceTimer);
    this.#graceTimer = undefined;
    this.#offline = false;
    if (!this.#session) {
      this.#session = await this.#identify(e);
      if (this.#d.publisher.connected) this.#startScan();
    }
    this.#disabled.clear(); // an update may have added methods; every session tries every group again
    this.#seedNasDevice(e);
    this.#publish([this.#availability("online")]);
    log.info({ nas: this.#session.nas.id, version: e.version }, "polling all groups");
    this.#scheduler.resume();
    await this.#scheduler.pollAll();
  }

  async #identify(e: ReadyEvent): Promise<SessionInfo> {
    const hostname = typeof e.info.hostname === "string" ? e.info.hostname : "truenas";
    let hostId = hostname;
    try {
      hostId = String(await this.#d.session.call<string>("system.host_id"));
    } catch (err) {
      this.#d.log.warn({ err }, "system.host_id failed; identifying the NAS by host name");
    }
    const nas = makeNasIdentity({ hostId, hostname });
    const context: DiscoveryContext = { topics: this.#d.topics, nas, origin: this.#d.origin };
    this.#d.log.info({ nas: nas.id, hostname }, "nas identified");
    return { nas, version: parseVersion(e.version), context };
  }

  #seedNasDevice(e: ReadyEvent): void {
    const s = this.#session as SessionInfo;
    const info = e.info;
    const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
    const device: DeviceSpec = {
      key: NAS_DEVICE,
      name: s.nas.hostname,
      manufacturer: "iXsystems",
      model: text(info.system_product) ?? "TrueNAS",
      swVersion: e.version,
      ...(text(info.system_serial) ? { serialNumber: text(info.system_serial) } : {}),
    };
    this.#apply({ group: "nas", devices: [device], objects: [], entities: [] });
  }

  #onDown(e: DownEvent): void {
    this.#scheduler.pause();
    // Every failed reconnect is another down; the outage is announced once.
    if (!this.#session || this.#graceTimer !== undefined || this.#offline) return;
    const { clock, availabilityGraceMs, log } = this.#d;
    this.#graceTimer = clock.setTimeout(() => {
      this.#graceTimer = undefined;
      this.#offline = true;
      log.warn({ reason: e.reason, graceMs: availabilityGraceMs }, "nas unavailable");
      this.#publish([this.#availability("offline")]);
    }, availabilityGraceMs);
  }

  #eventFor(group: string): void {
    if (this.#debounce.has(group) || this.#disabled.has(group)) return;
    const { clock } = this.#d;
    this.#debounce.set(
      group,
      clock.setTimeout(() => {
        this.#debounce.delete(group);
        void this.#scheduler.runGroup(group);
      }, this.#d.eventDebounceMs ?? 10),
    );
  }

  async #poll(name: string): Promise<void> {
    const s = this.#session;
    const group = this.#groups.get(name);
    if (!s || !group || this.#disabled.has(name) || this.#stopped) return;
    const latest = this.#latest.get(name);
    const inputs = new PollInputs(latest);
    const ctx = {
      call: inputs.recording((m, p) => this.#d.session.callWithDigest(m, p)),
      version: s.version,
      options: this.#d.options,
      latest,
    };
    let raw: unknown;
    try {
      raw = await group.fetch(ctx);
    } catch (err) {
      if (err instanceof MethodNotFoundError) {
        this.#disabled.set(name, `the NAS has no ${err.method}`);
        this.#d.log.info(
          { group: name, method: err.method, version: s.version.raw },
          "group disabled: method not available on this NAS",
        );
        // The NAS can no longer say anything about these objects (the method went with an update): remove their
        // entities now rather than leave their last values looking current. Nothing to do if it never published.
        this.#apply({ group: name, devices: [], objects: [], entities: [] }, 1);
        return;
      }
      throw err;
    }
    const hash = inputs.digest();
    const last = this.#lastInputs.get(name);
    const unchanged =
      last !== undefined &&
      last.hash === hash &&
      last.devices === this.#view.devices &&
      last.build === this.#view.built?.get(name);
    let waiting = last?.waiting ?? false;
    if (!unchanged) {
      const snapshot = group.normalise(raw, { nas: s.nas, version: s.version, options: this.#d.options });
      waiting = this.#apply(snapshot);
      this.#lastInputs.set(name, {
        hash,
        devices: this.#view.devices,
        build: this.#view.built?.get(name),
        waiting,
      });
    }
    if (this.#countsAsPolled(group, waiting)) this.#polledOnce.add(name);
    this.#maybeSweep();
  }

  /**
   * Whether a group's poll shows everything it has, so the start-up sweep may treat what it did not publish as
   * gone. Not while some of its entities wait for another group's device (datasets before the pools are known),
   * nor for a group read from an event source before its first event: the sweep would clear live entities, and
   * Home Assistant would delete them with their customisations. After three polls it counts anyway, so a device
   * that never comes (a group the key may not read) does not keep stale configs forever.
   */
  #countsAsPolled(group: GroupDefinition, waiting: boolean): boolean {
    const polls = (this.#pollCount.get(group.name) ?? 0) + 1;
    this.#pollCount.set(group.name, polls);
    const sourceReady = group.source === undefined || this.#latest.has(group.name);
    return (!waiting && sourceReady) || polls >= 3;
  }

  /** Diffs and publishes one snapshot; true when some entities wait for another group's device. */
  #apply(snapshot: GroupSnapshot, removeAfterPolls = this.#d.removeAfterPolls): boolean {
    const s = this.#session;
    if (!s) return false;
    const diff = diffGroupPoll(this.#view, snapshot, {
      context: s.context,
      removeAfterPolls,
      discovery: this.#d.discovery,
    });
    this.#view = diff.view;
    for (const issue of diff.issues)
      this.#d.log.debug({ group: snapshot.group, issue }, "entity not published");
    // Entities on another group's device (disk temperatures on disks) wait for that device; when groups
    // poll concurrently at start-up, poll such a group once more soon instead of at its next schedule.
    const waiting = diff.issues.some((i) => i.includes("is not known yet"));
    if (waiting && !this.#retried.has(snapshot.group)) {
      this.#retried.add(snapshot.group);
      this.#eventFor(snapshot.group);
    }
    const configs = diff.messages.filter((m) => m.kind === "config").length;
    if (configs > 0) this.#d.log.info({ group: snapshot.group, configs }, "discovery published");
    this.#publish(diff.messages);
    return waiting;
  }

  #publish(messages: readonly (RegistryMessage | OutgoingMessage)[]): void {
    if (messages.length > 0) this.#d.publisher.publish(messages);
  }

  #availability(state: "online" | "offline"): OutgoingMessage {
    const s = this.#session as SessionInfo;
    return { topic: nasAvailabilityTopic(this.#d.topics, s.nas.id), payload: state, retain: true, qos: 1 };
  }

  /** After every broker (re)connect: everything again, since a broker without persistence forgot it all. */
  #onBrokerConnected(): void {
    void this.#d.publisher
      .subscribe(this.#d.haStatusTopic)
      .catch((err: unknown) => this.#d.log.warn({ err }, "cannot subscribe to the HA status topic"));
    if (!this.#session) return;
    const online = this.#d.session.state === "ready" || this.#graceTimer !== undefined;
    this.#publish([this.#availability(online ? "online" : "offline"), ...snapshotMessages(this.#view)]);
    if (!this.#swept) this.#startScan();
  }

  #onMessage(topic: string, payload: string, retained: boolean): void {
    if (topic === this.#d.haStatusTopic && payload === "online" && !retained) {
      const { clock } = this.#d;
      clock.clearTimeout(this.#birthTimer);
      // Debounced: a storm of birth messages costs one republish.
      this.#birthTimer = clock.setTimeout(() => {
        this.#birthTimer = undefined;
        if (!this.#session) return;
        this.#d.log.info("home assistant started: republishing");
        this.#publish([
          this.#availability(this.#d.session.state === "ready" ? "online" : "offline"),
          ...snapshotMessages(this.#view),
        ]);
      }, this.#d.haBirthDelayMs ?? 5000);
      return;
    }
    if (retained && payload !== "" && topic.endsWith("/config")) this.#retainedConfigs.add(topic);
  }

  #startScan(): void {
    this.#scanRetained().catch((err: unknown) => this.#d.log.warn({ err }, "cannot scan retained configs"));
  }

  /** Listen to this NAS's retained configs for a moment; sweep happens once every group has polled. */
  async #scanRetained(): Promise<void> {
    const s = this.#session;
    if (!s || this.#swept || this.#scanTimer !== undefined || !this.#d.discovery) return;
    const filter = `${this.#d.topics.discoveryPrefix}/+/${discoveryNodeId(s.nas.id)}/+/config`;
    await this.#d.publisher.subscribe(filter);
    this.#scanTimer = this.#d.clock.setTimeout(() => {
      this.#scanTimer = "done";
      void this.#d.publisher.unsubscribe(filter).catch(() => undefined);
      this.#maybeSweep();
    }, this.#d.staleScanMs ?? 3000);
  }

  #maybeSweep(): void {
    const s = this.#session;
    if (!s || this.#swept || this.#scanTimer !== "done") return;
    const enabled = this.#d.groups.filter(
      (g) => this.#d.schedules[g.name].kind !== "off" && !this.#disabled.has(g.name),
    );
    if (!enabled.every((g) => this.#polledOnce.has(g.name))) return;
    this.#swept = true;
    const stale = staleConfigTopics(this.#view, this.#retainedConfigs, s.context);
    if (stale.length > 0)
      this.#d.log.info({ count: stale.length }, "removing entities this bridge no longer produces");
    this.#publish(stale.map((topic) => ({ topic, payload: "", retain: true, qos: 1 as const })));
  }
}
