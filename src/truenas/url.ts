/**
 * Normalise the configured NAS address into the JSON-RPC WebSocket endpoint, and refuse unsafe transports.
 * Pure: no I/O.
 *
 * Accepted inputs: a bare host (`nas.local`, `nas.local:8443`, `192.0.2.10`, `[fd00::1]`, `fd00::1`), or a URL with
 * scheme `wss`, `ws`, `https` or `http` (https/http are mapped to wss/ws) and any path.
 *
 * Path rule: an explicit versioned endpoint (`/api/v25.10.0`) or `/api/current` is kept, so an operator can pin an
 * API version; any other path (`/`, `/ui/`, the legacy DDP `/websocket`) becomes `/api/current`, which is what the
 * TrueNAS docs recommend (truenas-api.md §0: "connect to /api/current and branch on the server version").
 * Query strings and fragments are dropped; credentials in the URL are refused (the API key is separate).
 *
 * Plain `ws://` is allowed only for loopback hosts: TrueNAS *revokes* an API key that is accepted over a
 * non-TLS, non-loopback connection (truenas-api.md §1.4, middleware `utils/origin.py` `secure_transport`).
 */
import { isIP } from "node:net";
import { InsecureTransportError, InvalidUrlError } from "./errors.js";

/** The endpoint the client connects to. */
export interface TrueNasEndpoint {
  /** `wss://host[:port]/api/current` (or the pinned `/api/vX.Y.Z`). */
  readonly url: string;
  /** Host name or IP as in the URL (IPv6 without brackets). */
  readonly hostname: string;
  /** True for wss:// (TLS). */
  readonly secure: boolean;
  /** True when the host is 127.0.0.0/8, ::1 or localhost. */
  readonly loopback: boolean;
}

const KEPT_PATH = /^\/api\/(current|v\d+(\.\d+)*)\/?$/;

/** True for 127.0.0.0/8, ::1, IPv4-mapped loopback and `localhost`. `host` may carry IPv6 brackets. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h === "localhost.") return true;
  if (isIP(h) === 4) return h.startsWith("127.");
  if (isIP(h) !== 6) return false;
  if (h === "::1" || h === "0:0:0:0:0:0:0:1") return true;
  // WHATWG URL rewrites [::ffff:127.0.0.1] as [::ffff:7f00:1]: the first hex group after ffff is 0x7fXX.
  const mapped = /^::ffff:(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):[0-9a-f]{1,4})$/.exec(h);
  if (!mapped) return false;
  if (mapped[1]) return mapped[1].startsWith("127.");
  return parseInt(mapped[2] ?? "0", 16) >> 8 === 0x7f;
}

function withScheme(input: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) return input;
  // A bare IPv6 address needs brackets before it can be a URL host.
  if (isIP(input) === 6) return `wss://[${input}]`;
  return `wss://${input}`;
}

function parse(input: string): URL {
  try {
    return new URL(withScheme(input));
  } catch {
    throw new InvalidUrlError(`TrueNAS URL "${input}" is not a valid host or URL`);
  }
}

function scheme(url: URL, input: string): "wss" | "ws" {
  switch (url.protocol) {
    case "wss:":
    case "https:":
      return "wss";
    case "ws:":
    case "http:":
      return "ws";
    default:
      throw new InvalidUrlError(
        `TrueNAS URL "${input}" has unsupported scheme ${url.protocol} (use wss://host or a bare host)`,
      );
  }
}

/**
 * Turn the configured address into the endpoint to connect to.
 * @throws InvalidUrlError for unparsable input, other schemes or credentials in the URL.
 * @throws InsecureTransportError for `ws://`/`http://` to a host that is not loopback.
 */
export function normaliseTrueNasUrl(input: string): TrueNasEndpoint {
  const trimmed = input.trim();
  if (trimmed === "") throw new InvalidUrlError("TrueNAS URL is empty");
  const url = parse(trimmed);
  const proto = scheme(url, trimmed);
  if (url.username !== "" || url.password !== "") {
    throw new InvalidUrlError("TrueNAS URL must not contain credentials; configure the API key instead");
  }
  if (url.hostname === "") throw new InvalidUrlError(`TrueNAS URL "${trimmed}" has no host`);
  const loopback = isLoopbackHost(url.hostname);
  if (proto === "ws" && !loopback) {
    throw new InsecureTransportError(
      `Refusing plain ws:// to ${url.hostname}: TrueNAS revokes an API key used over an unencrypted ` +
        `connection from a non-loopback address. Use wss://${url.host} (TLS) instead.`,
    );
  }
  const path = KEPT_PATH.test(url.pathname) ? url.pathname.replace(/\/$/, "") : "/api/current";
  return {
    url: `${proto}://${url.host}${path}`,
    hostname: url.hostname.replace(/^\[|\]$/g, ""),
    secure: proto === "wss",
    loopback,
  };
}
