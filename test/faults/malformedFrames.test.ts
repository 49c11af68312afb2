/**
 * Issue 6, "Bad input": malformed frames from TrueNAS while the whole bridge is connected. The simulator sends
 * garbage of every kind (`sim.faults.sendRaw`); a tampering proxy between bridge and simulator produces what the
 * simulator cannot (duplicate answers, error objects without a code or an id, invalid UTF-8, binary frames).
 *
 * What the client does, and this file pins down: a frame it cannot use is counted (`badFrames`), logged and
 * ignored, and the session stays up; only a frame the WebSocket layer refuses (invalid UTF-8: close 1007) ends
 * the session, and the client reconnects and polls everything again. A pending call is never lost silently: it
 * is answered, or rejected with a TrueNasRpcError, CallTimeoutError or ConnectionClosedError. Afterwards the
 * retained MQTT state equals a fresh poll of the simulator.
 *
 * Covered at the client level already (test/truenas/client.calls.test.ts "survives malformed frames...",
 * "drops the session when a frame exceeds maxFrameBytes"; client.simulator.test.ts "survives garbage frames");
 * the frame size limit at the bridge level is in malformedFrames.size.test.ts.
 */
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket, WebSocketServer, type RawData } from "ws";
import {
  CallTimeoutError,
  ConnectionClosedError,
  MethodNotFoundError,
  TrueNasRpcError,
} from "../../src/truenas/errors.js";
import { FaultRig } from "../support/faultRig.js";

/** What the proxy sends the client instead of one server frame. */
type Replacement = string | { readonly data: string | Buffer; readonly binary: boolean };
/** Sees each server→client text frame with the method of the request it answers (if any). */
type Tamper = (text: string, method: string | undefined) => Replacement[] | undefined;

/**
 * A WebSocket proxy on 127.0.0.1 between the bridge and the simulator. It remembers which method each request id
 * was for, and lets a test rewrite, repeat or drop the server's frames, or inject frames of its own.
 */
class TamperProxy {
  tamper: Tamper | undefined;
  readonly #wss: WebSocketServer;
  readonly #clients = new Set<WebSocket>();

  private constructor(wss: WebSocketServer, upstream: () => string) {
    this.#wss = wss;
    wss.on("connection", (client) => this.#pipe(client, upstream()));
  }

  static async start(upstream: () => string): Promise<TamperProxy> {
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise<void>((resolve) => wss.once("listening", resolve));
    return new TamperProxy(wss, upstream);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.#wss.address() as AddressInfo).port}/api/current`;
  }

  /** Send a frame to every connected client, as if the server had. */
  inject(data: string | Buffer, binary = false): void {
    for (const c of this.#clients) c.send(data, { binary });
  }

  async stop(): Promise<void> {
    for (const c of this.#clients) c.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  #pipe(client: WebSocket, url: string): void {
    const server = new WebSocket(url);
    const methods = new Map<unknown, string>();
    const early: string[] = [];
    this.#clients.add(client);
    const closeBoth = (): void => {
      this.#clients.delete(client);
      client.terminate();
      server.terminate();
    };
    for (const ws of [client, server]) {
      ws.on("close", closeBoth);
      ws.on("error", closeBoth);
    }
    server.on("open", () => early.splice(0).forEach((text) => server.send(text)));
    client.on("message", (data: RawData) => {
      const text = (data as Buffer).toString("utf8");
      const request = JSON.parse(text) as { id?: unknown; method?: string };
      if (request.method !== undefined) methods.set(request.id, request.method);
      if (server.readyState === WebSocket.OPEN) server.send(text);
      else early.push(text);
    });
    server.on("message", (data: RawData) => {
      const text = (data as Buffer).toString("utf8");
      const out = this.tamper?.(text, methods.get(idOf(text))) ?? [text];
      for (const frame of out) {
        if (typeof frame === "string") client.send(frame);
        else client.send(frame.data, { binary: frame.binary });
      }
    });
  }
}

const json = (value: unknown): string => JSON.stringify(value);
/** The id of a JSON-RPC frame, or undefined for anything else (the simulator's garbage passes through too). */
function idOf(text: string): unknown {
  try {
    const frame = JSON.parse(text) as unknown;
    return typeof frame === "object" && frame !== null ? (frame as { id?: unknown }).id : undefined;
  } catch {
    return undefined;
  }
}

let rig: FaultRig;
let proxy: TamperProxy;

beforeAll(async () => {
  proxy = await TamperProxy.start(() => rig.sim.url);
  rig = new FaultRig({ tweak: (c) => ({ ...c, truenas: { ...c.truenas, url: proxy.url } }) });
  await rig.start();
});

afterAll(async () => {
  await rig?.stop();
  await proxy?.stop();
});

/** Where the bridge stands, to compare after the garbage. */
function marks() {
  return {
    messages: rig.probe.messages.length,
    stats: rig.app.client.stats,
    availability: rig.history(rig.availabilityTopic).length,
  };
}

/** Nothing the bridge published since `mark` removed anything or said the NAS was offline. */
function expectNothingLost(mark: ReturnType<typeof marks>): void {
  const since = rig.probe.messages.slice(mark.messages);
  expect(since.filter((m) => m.payload === "").map((m) => m.topic)).toEqual([]);
  expect(
    rig
      .history(rig.availabilityTopic)
      .slice(mark.availability)
      .map((m) => m.payload),
  ).not.toContain("offline");
}

describe("garbage from the simulator while the bridge is connected", () => {
  /** [frame, counted as a bad frame]. */
  const FRAMES: Array<[string, string, boolean]> = [
    ["not JSON", "{not json", true],
    ["an empty frame", "", true],
    ["a JSON array (batch)", "[1,2,3]", true],
    ["a JSON string", '"hello"', true],
    ["a JSON number", "42", true],
    ["JSON null", "null", true],
    ["a response without jsonrpc for an unknown id", json({ id: 990_001, result: "who?" }), true],
    ["a response with an unknown id", json({ jsonrpc: "2.0", id: 990_002, result: [] }), true],
    ["an error without a code", json({ jsonrpc: "2.0", id: 990_003, error: { message: "x" } }), true],
    [
      "an error with id null",
      json({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse" } }),
      true,
    ],
    ["an id that is not a finite number", '{"jsonrpc":"2.0","id":1e999,"result":1}', true],
    ["a response without result or error", json({ jsonrpc: "2.0", id: 990_004 }), true],
    [
      "a notification of an unknown method",
      json({ jsonrpc: "2.0", method: "no.such.event", params: [1] }),
      false,
    ],
    ["collection_update without params", json({ jsonrpc: "2.0", method: "collection_update" }), true],
    [
      "collection_update with __proto__ params",
      '{"jsonrpc":"2.0","method":"collection_update","params":{"__proto__":{"collection":"x","msg":"added"}}}',
      true,
    ],
    [
      "a forged removal of a live app",
      json({
        jsonrpc: "2.0",
        method: "collection_update",
        params: { msg: "removed", collection: "app.query", id: "plex" },
      }),
      false,
    ],
    [
      "a pool change with garbage fields",
      json({
        jsonrpc: "2.0",
        method: "collection_update",
        params: { msg: "changed", collection: "pool.query", id: { $date: "x" }, fields: "garbage" },
      }),
      false,
    ],
    [
      "notify_unsubscribed for a live subscription",
      json({
        jsonrpc: "2.0",
        method: "notify_unsubscribed",
        params: { collection: "service.query", error: null },
      }),
      false,
    ],
    ["a notification with a lone surrogate", '{"jsonrpc":"2.0","method":"x\\ud800","params":[]}', false],
    ["100,000 levels of nesting", `${"[".repeat(100_000)}${"]".repeat(100_000)}`, true],
    ["5 MB of text", "x".repeat(5_000_000), true],
  ];

  it("ignores every one of them, stays connected and keeps all state", async () => {
    const mark = marks();
    // The forged app, pool and service events must make the bridge read those groups again.
    const forgedEvents = ["apps", "pools", "services"];
    const pollMark = Object.fromEntries(
      Object.entries(rig.pollMark()).map(([group, runs]) => [
        group,
        forgedEvents.includes(group) ? runs : -1,
      ]),
    );
    for (const [, frame] of FRAMES) rig.sim.faults.sendRaw(frame);
    // Frames arrive in order: once the ping is answered, every frame above has been handled.
    await expect(rig.app.client.call("core.ping")).resolves.toBe("pong");
    const stats = rig.app.client.stats;
    expect(rig.app.client.state).toBe("ready");
    expect(stats.sessions).toBe(mark.stats.sessions);
    expect(stats.badFrames - mark.stats.badFrames).toBe(FRAMES.filter(([, , bad]) => bad).length);
    expect(({} as Record<string, unknown>).collection).toBeUndefined();
    await rig.waitPolled(pollMark);
    await rig.pollAll();
    await rig.settled();
    expectNothingLost(mark);
    await rig.expectStateEqualsTruth();
    const plex = rig.docsOn(rig.stateTopic("app", "plex")).at(-1);
    expect(plex).toMatchObject({ name: "plex" });
  });

  it("answers a call that was pending while garbage arrived", async () => {
    const mark = marks();
    rig.sim.faults.delayMethod("service.query", 300);
    try {
      const runs = rig.app.bridge.status().groups.services?.runs ?? 0;
      const poll = rig.app.bridge.pollGroup("services");
      const call = rig.app.client.call("service.query", [[["service", "=", "cifs"]], { get: true }]);
      for (const [, frame] of FRAMES.slice(0, 12)) rig.sim.faults.sendRaw(frame);
      await expect(call).resolves.toMatchObject({ service: "cifs" });
      await poll;
      const status = rig.app.bridge.status().groups.services;
      expect(status).toMatchObject({ runs: runs + 1, lastError: null });
    } finally {
      rig.sim.faults.delayMethod("service.query", 0);
    }
    expect(rig.app.client.stats.sessions).toBe(mark.stats.sessions);
    expectNothingLost(mark);
    await rig.expectStateEqualsTruth();
  });
});

describe("frames only a tampering proxy can produce", () => {
  it("ignores a second answer with the same id", async () => {
    const mark = marks();
    let forged = 0;
    proxy.tamper = (text, method) => {
      if (method !== "pool.query" || !text.includes('"result"')) return undefined;
      forged++;
      return [text, json({ jsonrpc: "2.0", id: idOf(text), result: [] })];
    };
    try {
      await rig.pollAll();
    } finally {
      proxy.tamper = undefined;
    }
    await expect(rig.app.client.call("core.ping")).resolves.toBe("pong");
    expect(forged).toBeGreaterThanOrEqual(2); // the pools and datasets groups both ask pool.query
    expect(rig.app.client.stats.badFrames - mark.stats.badFrames).toBe(forged);
    expect(rig.logs.withMsg("answer for unknown call id").length).toBeGreaterThanOrEqual(forged);
    await rig.settled();
    expectNothingLost(mark);
    await rig.expectStateEqualsTruth();
  });

  it("rejects a call answered with an error without a code, and keeps the group's state", async () => {
    const mark = marks();
    proxy.tamper = (text, method) =>
      method === "app.query"
        ? [json({ jsonrpc: "2.0", id: idOf(text), error: { message: "boom" } })]
        : undefined;
    try {
      const err = await rig.app.client.call("app.query").catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TrueNasRpcError);
      expect(err).not.toBeInstanceOf(MethodNotFoundError);
      expect(err).toMatchObject({ code: -32603, reason: "boom" });
      const failures = rig.app.bridge.status().groups.apps?.failures ?? 0;
      await rig.app.bridge.pollGroup("apps");
      expect(rig.app.bridge.status().groups.apps).toMatchObject({ failures: failures + 1 });
      expect(rig.app.bridge.status().groups.apps?.lastError).toContain("boom");
    } finally {
      proxy.tamper = undefined;
    }
    await rig.pollAll();
    await rig.settled();
    expectNothingLost(mark);
    await rig.expectStateEqualsTruth();
  });

  it.each([
    [
      "an error with id null",
      (text: string) =>
        json({ jsonrpc: "2.0", id: null, error: { code: -32001, message: String(idOf(text)) } }),
    ],
    ["a string id", (text: string) => json({ jsonrpc: "2.0", id: String(idOf(text)), result: [] })],
  ])("times a call out when its answer comes back with %s", async (_label, forge) => {
    const mark = marks();
    proxy.tamper = (text, method) => (method === "disk.query" ? [forge(text)] : undefined);
    try {
      const err = await rig.app.client.call("disk.query", [], { timeoutMs: 200 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CallTimeoutError);
      expect(err).toMatchObject({ method: "disk.query" });
    } finally {
      proxy.tamper = undefined;
    }
    expect(rig.app.client.state).toBe("ready");
    expect(rig.app.client.stats.badFrames - mark.stats.badFrames).toBe(1);
    await rig.pollAll();
    await rig.settled();
    expectNothingLost(mark);
    await rig.expectStateEqualsTruth();
  });

  it("answers or rejects (never strands) a call whose answer has both a result and error: null", async () => {
    // JSON-RPC 2.0 allows only one of the two; today the client reads it as an error (TrueNAS never sends it).
    proxy.tamper = (text, method) =>
      method === "system.boot_id" ? [json({ ...(JSON.parse(text) as object), error: null })] : undefined;
    try {
      const outcome = await rig.app.client.call("system.boot_id").catch((e: unknown) => e);
      if (outcome instanceof Error) expect(outcome).toBeInstanceOf(TrueNasRpcError);
      else expect(outcome).toBe(rig.world.state.bootId);
    } finally {
      proxy.tamper = undefined;
    }
    expect(rig.app.client.state).toBe("ready");
  });

  it("ignores a binary frame", async () => {
    const mark = marks();
    proxy.inject(Buffer.from(json({ jsonrpc: "2.0", method: "collection_update", params: {} })), true);
    await expect(rig.app.client.call("core.ping")).resolves.toBe("pong");
    expect(rig.app.client.stats.badFrames - mark.stats.badFrames).toBe(1);
    expect(rig.logs.withMsg("binary frame ignored").length).toBeGreaterThanOrEqual(1);
    expect(rig.app.client.stats.sessions).toBe(mark.stats.sessions);
  });

  it("reconnects after a text frame with invalid UTF-8, rejects the pending call, and polls everything again", async () => {
    const mark = marks();
    const pollMark = rig.pollMark();
    rig.sim.faults.hangMethod("system.boot_id");
    const pending = rig.app.client.call("system.boot_id").catch((e: unknown) => e);
    await rig.until(() => rig.app.client.stats.inFlight > 0, "the call to be in flight");
    // `{"x":"<FF FE>"}` as a text frame: ws fails the connection (close code 1007 to the peer).
    proxy.inject(Buffer.concat([Buffer.from('{"x":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]));
    const err = await pending;
    rig.sim.faults.hangMethod("system.boot_id", false);
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect((err as ConnectionClosedError).why).toMatch(/^socket closed/);
    const socketErrors = rig.logs.withMsg("socket error").map((l) => (l.err as { message?: string }).message);
    expect(socketErrors).toContain("Invalid WebSocket frame: invalid UTF-8 sequence");
    await rig.until(() => rig.app.client.stats.sessions === mark.stats.sessions + 1, "a new session");
    await rig.waitPolled(pollMark);
    await rig.settled();
    expect(
      rig.probe.messages
        .slice(mark.messages)
        .filter((m) => m.payload === "" && m.topic.startsWith("homeassistant/")),
    ).toEqual([]);
    await rig.expectStateEqualsTruth();
  });
});
