import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TlsVerificationError } from "../../src/truenas/errors.js";
import { resolveTlsOptions, tlsErrorFrom } from "../../src/truenas/tls.js";

const PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

describe("resolveTlsOptions", () => {
  it("verifies by default and only skips verification when told to", async () => {
    expect(await resolveTlsOptions({})).toEqual({ rejectUnauthorized: true });
    expect(await resolveTlsOptions({ verifyTls: true })).toEqual({ rejectUnauthorized: true });
    expect(await resolveTlsOptions({ verifyTls: false })).toEqual({ rejectUnauthorized: false });
  });

  it("takes PEM text as is and reads a path", async () => {
    expect(await resolveTlsOptions({ ca: PEM })).toEqual({ rejectUnauthorized: true, ca: PEM.trim() });
    const dir = mkdtempSync(join(tmpdir(), "truenas-ca-"));
    const path = join(dir, "ca.pem");
    writeFileSync(path, PEM);
    expect(await resolveTlsOptions({ ca: path })).toEqual({ rejectUnauthorized: true, ca: PEM });
    expect(await resolveTlsOptions({ ca: "   " })).toEqual({ rejectUnauthorized: true });
  });

  it("fails with a TlsVerificationError naming the option when the CA file is missing", async () => {
    const err = await resolveTlsOptions({ ca: "/nonexistent/ca.pem" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TlsVerificationError);
    expect((err as TlsVerificationError).code).toBe("ENOENT");
    expect((err as Error).message).toMatch(/\/nonexistent\/ca\.pem.*TRUENAS_CA_FILE/);
  });
});

describe("tlsErrorFrom", () => {
  it.each([
    "SELF_SIGNED_CERT_IN_CHAIN",
    "DEPTH_ZERO_SELF_SIGNED_CERT",
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    "CERT_HAS_EXPIRED",
    "ERR_TLS_CERT_ALTNAME_INVALID",
  ])("maps %s to a TlsVerificationError that names the fix", (code) => {
    const cause = Object.assign(new Error("certificate problem"), { code });
    const err = tlsErrorFrom(cause, "nas.local");
    expect(err).toBeInstanceOf(TlsVerificationError);
    expect(err?.code).toBe(code);
    expect(err?.cause).toBe(cause);
    expect(err?.message).toContain(code);
    expect(err?.message).toContain("nas.local");
    expect(err?.message).toContain("TRUENAS_CA_FILE");
    expect(err?.message).toContain("TRUENAS_VERIFY_TLS=false");
  });

  it.each([
    Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
    new Error("Unexpected server response: 503"),
    "string",
    null,
  ])("leaves other errors alone (%#)", (err) => {
    expect(tlsErrorFrom(err, "nas.local")).toBeUndefined();
  });
});
