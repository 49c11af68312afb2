/**
 * Throwaway certificates for the TrueNAS client's TLS tests, made with the openssl CLI in a temp dir:
 * a CA, leaf certificates it signs for chosen names, and a self-signed leaf (the TrueNAS default).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestCa {
  readonly dir: string;
  readonly caPath: string;
  readonly caPem: string;
  /** A leaf signed by this CA: `{cert, key}` PEM, valid for the given SANs (e.g. "IP:127.0.0.1"). */
  leaf(name: string, sans: readonly string[]): { cert: string; key: string };
}

const EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

function openssl(args: string[]): void {
  execFileSync("/usr/bin/openssl", args, { stdio: "pipe" });
}

export function makeTestCa(): TestCa {
  const dir = mkdtempSync(join(tmpdir(), "truenas2mqtt-tls-"));
  const p = (f: string): string => join(dir, f);
  openssl(
    ["req", "-x509", ...EC, "-days", "2", "-subj", "/CN=truenas2mqtt test CA"].concat([
      "-keyout",
      p("ca.key"),
      "-out",
      p("ca.pem"),
    ]),
  );
  return {
    dir,
    caPath: p("ca.pem"),
    caPem: readFileSync(p("ca.pem"), "utf8"),
    leaf(name, sans) {
      writeFileSync(p(`${name}.ext`), `subjectAltName=${sans.join(",")}\nbasicConstraints=CA:FALSE\n`);
      openssl(["req", ...EC, "-subj", `/CN=${name}`, "-keyout", p(`${name}.key`), "-out", p(`${name}.csr`)]);
      openssl(
        [
          "x509",
          "-req",
          "-in",
          p(`${name}.csr`),
          "-CA",
          p("ca.pem"),
          "-CAkey",
          p("ca.key"),
          "-CAcreateserial",
        ].concat(["-days", "2", "-extfile", p(`${name}.ext`), "-out", p(`${name}.pem`)]),
      );
      return { cert: readFileSync(p(`${name}.pem`), "utf8"), key: readFileSync(p(`${name}.key`), "utf8") };
    },
  };
}

/** A self-signed leaf for 127.0.0.1/localhost, as a fresh TrueNAS install serves. */
export function makeSelfSignedLeaf(): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), "truenas2mqtt-tls-"));
  const p = (f: string): string => join(dir, f);
  openssl(
    ["req", "-x509", ...EC, "-days", "2", "-subj", "/CN=truenas.local"].concat([
      "-addext",
      "subjectAltName=IP:127.0.0.1,DNS:localhost",
      "-keyout",
      p("leaf.key"),
      "-out",
      p("leaf.pem"),
    ]),
  );
  return { cert: readFileSync(p("leaf.pem"), "utf8"), key: readFileSync(p("leaf.key"), "utf8") };
}
