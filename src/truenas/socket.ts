/**
 * Open one WebSocket to the NAS, with a connect timeout driven by the injected Clock.
 * Errors are passed through unchanged (the caller maps certificate failures with `tlsErrorFrom`).
 */
import { WebSocket } from "ws";
import type { Clock } from "./clock.js";
import type { TlsConnectOptions } from "./tls.js";

export interface OpenSocketOptions {
  readonly url: string;
  /** Only for wss://. */
  readonly tls: TlsConnectOptions | undefined;
  readonly clock: Clock;
  /** Give up on the TCP + TLS + upgrade handshake after this long. */
  readonly connectTimeoutMs: number;
  /** Largest server→client frame accepted, bytes (0 = no limit). The server has no limit (truenas-api.md §1.8). */
  readonly maxFrameBytes: number;
  /** Aborting cuts the handshake (stop() or a newer attempt), so no timer or socket outlives the attempt. */
  readonly signal: AbortSignal;
}

/** Resolves with the open socket; rejects with the socket error, a timeout, or an early close. */
export function openSocket(opts: OpenSocketOptions): Promise<WebSocket> {
  return new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(opts.url, {
      ...(opts.tls ?? {}),
      maxPayload: opts.maxFrameBytes,
      // The session is JSON text; redirects would defeat the transport checks done on the configured URL.
      followRedirects: false,
    });
    // 'error' without a listener would crash the process; the 'close' that always follows is what we act on.
    ws.on("error", () => undefined);
    let settled = false;
    const finish = (err: Error | undefined): void => {
      if (settled) return;
      settled = true;
      opts.clock.clearTimeout(timer);
      ws.off("open", onOpen);
      ws.off("error", onError);
      ws.off("close", onClose);
      opts.signal.removeEventListener("abort", onAbort);
      if (err) {
        ws.terminate();
        reject(err);
      } else {
        resolve(ws);
      }
    };
    const onOpen = (): void => finish(undefined);
    const onError = (err: Error): void => finish(err);
    const onClose = (code: number): void => finish(new Error(`socket closed during handshake (${code})`));
    const timer = opts.clock.setTimeout(
      () => finish(new Error(`connect timed out after ${opts.connectTimeoutMs} ms`)),
      opts.connectTimeoutMs,
    );
    const onAbort = (): void => finish(new Error("connect aborted"));
    ws.on("open", onOpen);
    ws.on("error", onError);
    ws.on("close", onClose);
    if (opts.signal.aborted) onAbort();
    else opts.signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Close politely (1000) and wait for the close, at most `graceMs`; then cut. Never rejects. */
export function closeSocket(ws: WebSocket, clock: Clock, graceMs: number): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  if (ws.readyState !== WebSocket.OPEN) {
    ws.terminate();
    return Promise.resolve();
  }
  return new Promise<void>((resolve) => {
    const timer = clock.setTimeout(() => {
      ws.terminate();
      resolve();
    }, graceMs);
    ws.once("close", () => {
      clock.clearTimeout(timer);
      resolve();
    });
    ws.close(1000, "client stopping");
  });
}
