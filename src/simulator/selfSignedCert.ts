/**
 * A throwaway certificate authority and a server certificate for 127.0.0.1/localhost, made with the openssl CLI,
 * so `truenas2mqtt simulator --tls` can serve wss:// the way a NAS with a self-signed certificate does.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface GeneratedCert {
  /** Directory holding ca.pem, server.pem and server-key.pem. */
  dir: string;
  caPath: string;
  ca: string;
  cert: string;
  key: string;
}

/** Create a CA and a server certificate signed by it, valid for the given DNS names and IPs. */
export function generateSelfSignedCert(
  names: readonly string[] = ["localhost"],
  ips: readonly string[] = ["127.0.0.1", "::1"],
): GeneratedCert {
  const dir = mkdtempSync(join(tmpdir(), "truenas2mqtt-cert-"));
  const p = (f: string): string => join(dir, f);
  const run = (args: string[]): void => {
    execFileSync("openssl", args, { stdio: "pipe" });
  };
  run(
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "2",
      "-subj",
      "/CN=truenas2mqtt test CA",
    ].concat(["-keyout", p("ca-key.pem"), "-out", p("ca.pem")]),
  );
  run(
    ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=truenas.local"].concat([
      "-keyout",
      p("server-key.pem"),
      "-out",
      p("server.csr"),
    ]),
  );
  const san = [...names.map((n) => `DNS:${n}`), ...ips.map((i) => `IP:${i}`)].join(",");
  writeFileSync(p("ext.cnf"), `subjectAltName=${san}\nbasicConstraints=CA:FALSE\n`);
  run(
    ["x509", "-req", "-in", p("server.csr"), "-CA", p("ca.pem"), "-CAkey", p("ca-key.pem")].concat([
      "-CAcreateserial",
      "-days",
      "2",
      "-extfile",
      p("ext.cnf"),
      "-out",
      p("server.pem"),
    ]),
  );
  return {
    dir,
    caPath: p("ca.pem"),
    ca: readFileSync(p("ca.pem"), "utf8"),
    cert: readFileSync(p("server.pem"), "utf8"),
    key: readFileSync(p("server-key.pem"), "utf8"),
  };
}
