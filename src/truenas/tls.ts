/**
 * TLS options for the NAS connection and the mapping of certificate failures to TlsVerificationError.
 * TrueNAS ships a self-signed certificate by default (truenas-api.md §1.1), so the usual fix is a CA file.
 */
import { readFile } from "node:fs/promises";
import { TlsVerificationError } from "./errors.js";

/** How the client verifies the NAS certificate. */
export interface TlsSettings {
  /** Verify the certificate chain and host name. Default true. false = accept anything (logged once). */
  readonly verifyTls?: boolean;
  /** Extra trusted CA: PEM text, or a path to a PEM file (re-read on every connect, so a renewed file is used). */
  readonly ca?: string;
}

/** The subset of `tls.connect` options we pass through `ws`. */
export interface TlsConnectOptions {
  rejectUnauthorized: boolean;
  ca?: string;
}

/** Build the connect options; reads the CA file when `ca` is a path. Rejects when the file cannot be read. */
export async function resolveTlsOptions(settings: TlsSettings): Promise<TlsConnectOptions> {
  const rejectUnauthorized = settings.verifyTls !== false;
  const ca = settings.ca?.trim();
  if (!ca) return { rejectUnauthorized };
  if (ca.includes("-----BEGIN")) return { rejectUnauthorized, ca };
  try {
    return { rejectUnauthorized, ca: await readFile(ca, "utf8") };
  } catch (err) {
    throw new TlsVerificationError(
      `Cannot read the TrueNAS CA file ${ca} (TRUENAS_CA_FILE): ${(err as Error).message}`,
      (err as NodeJS.ErrnoException).code,
      { cause: err },
    );
  }
}

/** OpenSSL/Node codes that mean "the certificate did not verify" (node `tls` / OpenSSL X509_V_ERR_* names). */
const CERT_ERROR_CODES: ReadonlySet<string> = new Set([
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "CERT_SIGNATURE_FAILURE",
  "CERT_REVOKED",
  "INVALID_CA",
  "PATH_LENGTH_EXCEEDED",
  "INVALID_PURPOSE",
  "HOSTNAME_MISMATCH",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** Map a socket error to a TlsVerificationError naming the fix, or undefined when it is not a certificate error. */
export function tlsErrorFrom(err: unknown, hostname: string): TlsVerificationError | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== "string" || !CERT_ERROR_CODES.has(code)) return undefined;
  const detail = (err as Error).message;
  return new TlsVerificationError(
    `The TLS certificate of ${hostname} did not verify (${code}: ${detail}). ` +
      `Set the CA file option TRUENAS_CA_FILE to the NAS's CA or certificate (PEM), ` +
      `or set TRUENAS_VERIFY_TLS=false at your own risk.`,
    code,
    { cause: err },
  );
}
