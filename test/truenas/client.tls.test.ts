import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { TlsVerificationError } from "../../src/truenas/errors.js";
import { makeSelfSignedLeaf, makeTestCa, type TestCa } from "../support/truenasCerts.js";
import { makeClient, next, startReady, stopClients } from "../support/truenasHarness.js";
import { SCRIPTED_API_KEY, ScriptedServer } from "../support/truenasScriptedServer.js";

let ca: TestCa;
let otherCa: TestCa;
let goodLeaf: { cert: string; key: string };
let servers: ScriptedServer[] = [];

beforeAll(() => {
  ca = makeTestCa();
  otherCa = makeTestCa();
  goodLeaf = ca.leaf("nas", ["IP:127.0.0.1", "DNS:localhost"]);
});

afterEach(async () => {
  await stopClients();
  await Promise.all(servers.map((s) => s.stop()));
  servers = [];
});

async function tlsServer(tls: { cert: string; key: string }): Promise<ScriptedServer> {
  const s = await ScriptedServer.start({ tls });
  servers.push(s);
  return s;
}

describe("TrueNasClient TLS", () => {
  it.each([
    ["a leaf signed by an unknown CA", () => goodLeaf, "UNABLE_TO_VERIFY_LEAF_SIGNATURE"],
    ["a self-signed leaf (the TrueNAS default)", () => makeSelfSignedLeaf(), "DEPTH_ZERO_SELF_SIGNED_CERT"],
    [
      "a chain ending in an unknown root",
      () => ({ cert: goodLeaf.cert + ca.caPem, key: goodLeaf.key }),
      "SELF_SIGNED_CERT_IN_CHAIN",
    ],
  ])("refuses %s by default and names the fix", async (_what, leaf, code) => {
    const server = await tlsServer(leaf());
    const h = makeClient({ url: server.url, apiKey: SCRIPTED_API_KEY });
    h.client.start();
    const down = await next(h.client, "down");
    expect(down.reason).toBe("tls_failed");
    expect(down.error).toBeInstanceOf(TlsVerificationError);
    expect((down.error as TlsVerificationError).code).toBe(code);
    expect(down.error?.message).toContain(code);
    expect(down.error?.message).toContain("TRUENAS_CA_FILE");
    expect(down.error?.message).toContain("TRUENAS_VERIFY_TLS=false");
    expect(down.retryInMs).toBeGreaterThanOrEqual(1_000);
    expect(server.connectionCount).toBe(0);
    expect(h.logs.text()).not.toContain(SCRIPTED_API_KEY);
  });

  it("refuses a certificate for another host name even with the right CA", async () => {
    const server = await tlsServer(ca.leaf("other", ["DNS:nas.example", "IP:192.0.2.7"]));
    const h = makeClient({ url: server.url, apiKey: SCRIPTED_API_KEY, ca: ca.caPath });
    h.client.start();
    const down = await next(h.client, "down");
    expect((down.error as TlsVerificationError).code).toBe("ERR_TLS_CERT_ALTNAME_INVALID");
  });

  it("connects with the CA file option (path)", async () => {
    const server = await tlsServer(goodLeaf);
    const h = makeClient({ url: server.url, apiKey: SCRIPTED_API_KEY, ca: ca.caPath });
    expect((await startReady(h)).version).toBe("25.10.0");
    expect(server.url.startsWith("wss://")).toBe(true);
  });

  it("connects with the CA given as PEM text, and via localhost", async () => {
    const server = await tlsServer(goodLeaf);
    const h = makeClient({ url: `wss://localhost:${server.port}`, apiKey: SCRIPTED_API_KEY, ca: ca.caPem });
    await startReady(h);
    expect(h.client.state).toBe("ready");
  });

  it("re-reads the CA file on each attempt, so fixing the file fixes the connection", async () => {
    const server = await tlsServer(goodLeaf);
    const path = join(otherCa.dir, "configured-ca.pem");
    writeFileSync(path, otherCa.caPem);
    const h = makeClient({ url: server.url, apiKey: SCRIPTED_API_KEY, ca: path });
    h.client.start();
    const down = await next(h.client, "down");
    expect(down.reason).toBe("tls_failed");
    writeFileSync(path, ca.caPem);
    const ready = next(h.client, "ready");
    h.clock.advance(down.retryInMs);
    await ready;
  });

  it("reports a CA file that cannot be read", async () => {
    const server = await tlsServer(goodLeaf);
    const h = makeClient({ url: server.url, apiKey: SCRIPTED_API_KEY, ca: "/nonexistent/truenas-ca.pem" });
    h.client.start();
    const down = await next(h.client, "down");
    expect(down.reason).toBe("tls_failed");
    expect(down.error?.message).toMatch(/Cannot read the TrueNAS CA file \/nonexistent\/truenas-ca\.pem/);
    expect(server.connectionCount).toBe(0);
  });

  it("accepts any certificate with verifyTls: false and warns once", async () => {
    const server = await tlsServer(makeSelfSignedLeaf());
    const h = makeClient({ url: server.url, apiKey: SCRIPTED_API_KEY, verifyTls: false });
    await startReady(h);
    const down = next(h.client, "down");
    server.dropAll();
    const ready = next(h.client, "ready");
    h.clock.advance((await down).retryInMs);
    await ready;
    const warnings = h.logs.withMsg("TLS certificate verification is disabled");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.level).toBe(40);
  });
});
