import { describe, expect, it } from "vitest";
import { AUTH_BACKOFF, CONNECT_BACKOFF } from "../../src/truenas/backoff.js";
import { CLIENT_DEFAULTS, withDefaults } from "../../src/truenas/clientTypes.js";
import { captureLog } from "../support/truenasLog.js";

describe("withDefaults", () => {
  const base = { url: "nas.local", apiKey: "1-k", log: captureLog().log };

  it("fills every tunable, and treats an explicit undefined as unset", () => {
    const r = withDefaults({ ...base, callTimeoutMs: undefined, pingIntervalMs: 15_000 });
    expect(r.callTimeoutMs).toBe(30_000);
    expect(r.pingIntervalMs).toBe(15_000);
    expect(r.pingTimeoutMs).toBe(10_000);
    expect(r.maxInFlight).toBe(20);
    expect(r.backoff).toBe(CONNECT_BACKOFF);
    expect(r.authBackoff).toBe(AUTH_BACKOFF);
    expect(r.url).toBe("nas.local");
  });

  it("pings well inside nginx's 60 s idle cut-off", () => {
    expect(CLIENT_DEFAULTS.pingIntervalMs + CLIENT_DEFAULTS.pingTimeoutMs).toBeLessThan(60_000);
    expect(CLIENT_DEFAULTS.pingIntervalMs).toBeLessThanOrEqual(30_000);
  });
});
