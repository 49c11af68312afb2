/**
 * The bridge as its own process for the benchmark: the same composition root as `truenas2mqtt run`
 * (dist/app.js, configured from the environment), but its polls are driven by the benchmark over the IPC channel
 * instead of cron, so a cycle can be timed and repeated a thousand times in minutes. Plain JavaScript on the
 * built output, so the process carries nothing the real daemon does not (no TypeScript loader).
 *
 * Requests: {id, op: "ready" | "cycle" | "poll" | "mem" | "topics" | "heapSnapshot" | "stop", group?, file?};
 * every reply is {id, ...result}.
 */
import { createApp } from "../../dist/app.js";
import { loadConfig } from "../../dist/config/loadConfig.js";
import { createLogger } from "../../dist/log.js";
import v8 from "node:v8";
import { pino } from "pino";

const noCron = () => ({ start: () => undefined, stop: () => undefined, destroy: () => undefined });
const config = loadConfig({ env: process.env });
const log = createLogger({ level: config.log.level, format: "json", destination: pino.destination(2) });
const app = createApp(config, { log, version: "bench", cron: noCron });

/** Groups that polled at least once and were not disabled (a disabled group's poll is a no-op). */
function enabledGroups() {
  return Object.entries(app.bridge.status().groups)
    .filter(([, s]) => s.disabled === null)
    .map(([name]) => name);
}

function gc() {
  // Two passes: the first can leave weakly held objects for the second.
  globalThis.gc?.();
  globalThis.gc?.();
}

async function timed(fn) {
  const before = { ...app.publisher.stats };
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await fn();
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  return {
    wallMs,
    cpuMs: (used.user + used.system) / 1000,
    messages: app.publisher.stats.messages - before.messages,
    bytes: app.publisher.stats.bytes - before.bytes,
  };
}

async function waitReady() {
  // Ready = session up, NAS identified, the start-up poll of every group finished, and everything it published
  // handed to the connection (nothing waiting in the send window).
  for (;;) {
    const s = app.bridge.status();
    const groups = Object.values(s.groups);
    const settled = groups.every((g) => g.disabled !== null || (g.runs > 0 && !g.running));
    const sent = app.publisher.pending === 0;
    if (s.nas !== null && app.publisher.connected && settled && sent) return s;
    await new Promise((r) => setTimeout(r, 10));
  }
}

const ops = {
  ready: async () => ({ status: await waitReady() }),
  cycle: () => timed(() => Promise.all(enabledGroups().map((g) => app.bridge.pollGroup(g)))),
  poll: (req) => timed(() => app.bridge.pollGroup(req.group)),
  mem: async () => {
    // Settled, as a user's `docker stats` shows it: collect, then give V8 and the allocator a moment to hand
    // freed pages back (right after a burst RSS still counts pages a GC already freed), collect again.
    gc();
    await new Promise((r) => setTimeout(r, 2_000));
    gc();
    const m = process.memoryUsage();
    const spaces = Object.fromEntries(
      v8.getHeapSpaceStatistics().map((sp) => [sp.space_name, Math.round(sp.physical_space_size / 1024)]),
    );
    return {
      rss: m.rss,
      heapUsed: m.heapUsed,
      heapTotal: m.heapTotal,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
      spacesKiB: spaces,
      peakRss: process.resourceUsage().maxRSS * 1024,
    };
  },
  topics: () => ({
    nas: app.bridge.status().nas,
    configs: [...app.bridge.view.configs.keys()],
    states: [...app.bridge.view.states.keys()],
  }),
  heapSnapshot: (req) => {
    gc();
    return { file: v8.writeHeapSnapshot(req.file) };
  },
  stop: async () => ({ code: await app.stop() }),
};

process.on("message", (req) => {
  Promise.resolve()
    .then(() => ops[req.op](req))
    .then(
      (result) => process.send({ id: req.id, ...result }),
      (err) => process.send({ id: req.id, error: String(err?.stack ?? err) }),
    )
    .finally(() => {
      // Exit explicitly once stopped: --cpu-prof writes its profile on exit.
      if (req.op === "stop") process.disconnect();
      if (req.op === "stop") setTimeout(() => process.exit(0), 50);
    });
});

await app.start();
process.send({ id: 0, started: true });
