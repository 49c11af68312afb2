import { afterEach, describe, expect, it } from "vitest";
import { BridgeMetrics, type MetricsSource } from "../../src/health/metrics.js";
import { HealthServer, type HealthReport } from "../../src/health/server.js";
import { testLogger } from "../support/capture.js";

let server: HealthServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const SOURCE: MetricsSource = {
  groups: () => ({ pools: { runs: 3, failures: 1 } }),
  truenas: () => ({ up: true, calls: 10, callErrors: 1, callTimeouts: 0, reconnects: 2, bytesIn: 1234 }),
  mqtt: () => ({ up: false, messages: 7, bytes: 99, dropped: 3, oversized: 0 }),
  entities: () => ({ sensor: 5, binary_sensor: 2 }),
};

async function start(
  report: () => HealthReport,
  metrics = new BridgeMetrics(SOURCE, { processMetrics: false }),
) {
  server = new HealthServer({
    host: "127.0.0.1",
    port: 0,
    log: testLogger(),
    report,
    metrics: async () => ({ contentType: metrics.contentType, body: await metrics.text() }),
  });
  await server.start();
  return `http://127.0.0.1:${server.port}`;
}

describe("HealthServer", () => {
  it("answers 200 when healthy and 503 with the reasons when not", async () => {
    let report: HealthReport = { healthy: true, reasons: [], groups: { pools: { lastError: null } } };
    const base = await start(() => report);
    const ok = await fetch(`${base}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ healthy: true, groups: { pools: { lastError: null } } });
    report = { healthy: false, reasons: ["truenas session not ready (backoff)"] };
    const bad = await fetch(`${base}/healthz`);
    expect(bad.status).toBe(503);
    expect(((await bad.json()) as { reasons: string[] }).reasons).toEqual([
      "truenas session not ready (backoff)",
    ]);
  });

  it("serves Prometheus text on /metrics and nothing else", async () => {
    const base = await start(() => ({ healthy: true, reasons: [] }));
    const res = await fetch(`${base}/metrics`);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/^# HELP truenas2mqtt_polls_total /m);
    expect(text).toMatch(/^truenas2mqtt_polls_total\{group="pools",outcome="ok"\} 2$/m);
    expect(text).toMatch(/^truenas2mqtt_polls_total\{group="pools",outcome="failed"\} 1$/m);
    expect(text).toMatch(/^truenas2mqtt_up\{side="truenas"\} 1$/m);
    expect(text).toMatch(/^truenas2mqtt_up\{side="mqtt"\} 0$/m);
    expect(text).toMatch(/^truenas2mqtt_mqtt_messages_total\{outcome="dropped"\} 3$/m);
    expect(text).toMatch(/^truenas2mqtt_entities\{component="sensor"\} 5$/m);
    expect(text).toMatch(/^truenas2mqtt_reconnects_total 2$/m);
    // Scraping twice gives the same values (collect replaces, never adds).
    expect(await (await fetch(`${base}/metrics`)).text()).toBe(text);
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/healthz`, { method: "POST" })).status).toBe(405);
  });

  it("stops idempotently", async () => {
    await start(() => ({ healthy: true, reasons: [] }));
    await server!.stop();
    await server!.stop();
  });
});
