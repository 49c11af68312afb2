/**
 * Typed errors of the TrueNAS session client (architecture.md, style rule 5).
 * The JSON-RPC error object and the TrueNAS `data` object are described in ../shared/docs/truenas-api.md §1.6.
 */

/** The TrueNAS error object carried in `error.data` (absent for -32601/-32000/-32600/-32700). */
export interface TrueNasErrorData {
  error?: number;
  errname?: string;
  reason?: string;
  extra?: unknown;
  trace?: unknown;
}

/** Standard JSON-RPC codes and the TrueNAS-specific ones (truenas_api_client/jsonrpc.py). */
export const JSONRPC_CODES = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  TOO_MANY_CONCURRENT_CALLS: -32000,
  CALL_ERROR: -32001,
} as const satisfies Record<string, number>;

/** An error response from the server: `{code, message, data?: {error, errname, reason, extra}}`. */
export class TrueNasRpcError extends Error {
  override readonly name: string = "TrueNasRpcError";
  readonly code: number;
  readonly errno: number | undefined;
  readonly errname: string | undefined;
  readonly reason: string | undefined;
  readonly extra: unknown;

  constructor(
    readonly method: string,
    code: number,
    message: string,
    data?: TrueNasErrorData,
  ) {
    super(`${method}: ${data?.reason ?? message} (code ${code}${data?.errname ? `, ${data.errname}` : ""})`);
    this.code = code;
    this.errno = data?.error;
    this.errname = data?.errname;
    this.reason = data?.reason ?? message;
    this.extra = data?.extra;
  }
}

/**
 * The method does not exist on this endpoint: -32601, or ENOMETHOD (201) from an older versioned endpoint.
 * Groups catch this to fall back to another method for older or newer TrueNAS versions.
 */
export class MethodNotFoundError extends TrueNasRpcError {
  override readonly name = "MethodNotFoundError";
}

/** A call got no answer within its timeout. The connection may still be fine. */
export class CallTimeoutError extends Error {
  override readonly name = "CallTimeoutError";
  constructor(
    readonly method: string,
    readonly timeoutMs: number,
  ) {
    super(`${method}: no answer within ${timeoutMs} ms`);
  }
}

/** The connection closed (or was never ready) while the call was pending or queued. */
export class ConnectionClosedError extends Error {
  override readonly name = "ConnectionClosedError";
  constructor(
    readonly method: string,
    readonly why: string,
  ) {
    super(`${method}: connection closed (${why})`);
  }
}

/** The server refused the API key (`auth.login_with_api_key` answered false) or login failed otherwise. */
export class AuthError extends Error {
  override readonly name = "AuthError";
}

/**
 * TrueNAS refused the login for its rate limit (`EBUSY` "Rate Limit Exceeded": 20 unauthenticated calls a minute
 * per address, `rpc.py`/`limits.py`), not for the key. Nothing for the operator to fix: wait out the window.
 */
export class LoginRateLimitedError extends Error {
  override readonly name = "LoginRateLimitedError";
}

/** The configured NAS URL cannot be parsed or uses an unsupported scheme. Raised before connecting. */
export class InvalidUrlError extends Error {
  override readonly name = "InvalidUrlError";
}

/** The URL or TLS options cannot be used safely (e.g. `ws://` to a non-loopback host). Raised before connecting. */
export class InsecureTransportError extends Error {
  override readonly name = "InsecureTransportError";
}

/** The NAS certificate did not verify. The message names the fix (CA file or the explicit opt-out). */
export class TlsVerificationError extends Error {
  override readonly name = "TlsVerificationError";
  constructor(
    message: string,
    /** The underlying OpenSSL/Node code, e.g. `SELF_SIGNED_CERT_IN_CHAIN`, when known. */
    readonly code?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Build the typed error for a JSON-RPC error object. */
export function rpcErrorFrom(
  method: string,
  err: { code?: unknown; message?: unknown; data?: unknown },
): TrueNasRpcError {
  const code = typeof err.code === "number" ? err.code : JSONRPC_CODES.INTERNAL_ERROR;
  const message = typeof err.message === "string" ? err.message : "unknown error";
  const data = typeof err.data === "object" && err.data !== null ? (err.data as TrueNasErrorData) : undefined;
  if (code === JSONRPC_CODES.METHOD_NOT_FOUND || data?.errname === "ENOMETHOD") {
    return new MethodNotFoundError(method, code, message, data);
  }
  return new TrueNasRpcError(method, code, message, data);
}
