/**
 * One client connection to the simulator, speaking the middleware's JSON-RPC 2.0 dialect: framing and size
 * limits, validation, auth gating, the concurrency semaphore, dispatch and error shapes.
 * Sources: `api/base/server/ws_handler/rpc.py`, `utils/limits.py`, `main.py` (truenas-api.md §1, §7).
 */
import type { WebSocket } from "ws";
import { parseEjson, stringifyEjson } from "../truenas/ejson.js";
import { CORE_METHODS, UNAUTHENTICATED_METHODS, type CoreSession } from "./coreMethods.js";
import type { SimFaults } from "./faults.js";
import { SimCallError, SimMethodNotFound, toJsonRpcError, type JsonRpcErrorObject } from "./rpcErrors.js";
import { SoftHardSemaphore } from "./semaphore.js";
import type { MethodHandler, SimVersion } from "./types.js";

const UNAUTHENTICATED_LIMIT = 8192;
const AUTHENTICATED_LIMIT = 65536;
const EXTENDED_LIMIT = 2 * 1024 * 1024;

/** What a connection needs from the server that owns it. */
export interface ConnectionHost {
  readonly version: SimVersion;
  readonly faults: SimFaults;
  readonly username: string;
  worldMethod(name: string): MethodHandler | undefined;
  /** True when this unauthenticated call exceeds 20/min per (method, ip) (`utils/rate_limit/cache.py`). */
  rateLimited(method: string, ip: string): boolean;
  /** Random delay in ms for a failed login (1-2 s on a real NAS) and for a rate-limited call (1-10 s). */
  penaltyDelay(kind: "auth" | "rate"): number;
  /** Extra latency per call (makes responses arrive out of order, as on a real NAS). */
  callLatency(): number;
  subscribeSource(conn: SimConnection, ident: string, name: string): boolean;
  unsubscribeSource(conn: SimConnection, ident: string): boolean;
  recordCall(method: string, bytesOut: number): void;
  readonly tokens: Set<string>;
}

const UNDEFINED = Symbol("no id");

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class SimConnection {
  #authenticated = false;
  #apiKeyUsed: string | undefined;
  #closed = false;
  readonly #semaphore = new SoftHardSemaphore(10, 20);
  /** ident -> event name, for plain (non-source) subscriptions. */
  readonly subscriptions = new Map<string, string>();
  readonly #options = { legacy_jobs: true, private_methods: false, py_exceptions: false };

  constructor(
    private readonly ws: WebSocket,
    private readonly host: ConnectionHost,
    readonly remoteAddress: string,
    readonly secure: boolean,
  ) {}

  get authenticated(): boolean {
    return this.#authenticated;
  }
  get apiKeyUsed(): string | undefined {
    return this.#apiKeyUsed;
  }

  start(): void {
    this.ws.on("message", (data, isBinary) => {
      if (isBinary) {
        this.ws.close(1003, "Invalid websocket message type: binary");
        return;
      }
      this.#onText(
        Buffer.isBuffer(data) ? data.toString("utf8") : Buffer.concat(data as Buffer[]).toString(),
      );
    });
    this.ws.on("close", () => {
      this.#closed = true;
    });
    this.ws.on("error", () => {
      this.#closed = true;
    });
  }

  /** True when subscribed (plainly, or with `*`) to `collection`. */
  wants(collection: string): boolean {
    for (const name of this.subscriptions.values()) if (name === collection || name === "*") return true;
    return false;
  }

  /**
   * End this connection's plain subscriptions to `name` with one notify_unsubscribed each. (The middleware sends
   * it only for event sources; the fault lets tests end any subscription the same way.)
   */
  endSubscriptions(name: string, error: Record<string, unknown> | null): number {
    let ended = 0;
    for (const [ident, subscribed] of [...this.subscriptions]) {
      if (subscribed !== name) continue;
      this.subscriptions.delete(ident);
      this.notify("notify_unsubscribed", { collection: name, error });
      ended++;
    }
    return ended;
  }

  send(message: unknown): number {
    if (this.#closed || this.ws.readyState !== this.ws.OPEN) return 0;
    const text = stringifyEjson(message);
    this.ws.send(text);
    return text.length;
  }

  sendRaw(text: string): void {
    if (!this.#closed && this.ws.readyState === this.ws.OPEN) this.ws.send(text);
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: "2.0", method, params });
  }

  terminate(): void {
    this.#closed = true;
    this.ws.terminate();
  }

  #sendError(id: unknown, error: JsonRpcErrorObject): number {
    return this.send({ jsonrpc: "2.0", id, error });
  }

  #onText(text: string): void {
    // Size limits come before parsing for anonymous sessions (utils/limits.py parse_message).
    if (!this.#authenticated && text.length > UNAUTHENTICATED_LIMIT) {
      this.ws.close(1007, "Anonymous connection max message length is 8 kB");
      return;
    }
    if (text.length > EXTENDED_LIMIT) {
      this.ws.close(1009, "Max message length is 64 kB");
      return;
    }
    let message: unknown;
    try {
      message = parseEjson(text);
    } catch (err) {
      this.#sendError(null, { code: -32700, message: (err as Error).message });
      return;
    }
    if (Array.isArray(message)) {
      this.#sendError(null, { code: -32700, message: "Batch messages are not supported at this time" });
      return;
    }
    if (typeof message !== "object" || message === null) {
      this.#sendError(null, { code: -32700, message: "Invalid Message Format" });
      return;
    }
    if (text.length > AUTHENTICATED_LIMIT) {
      this.ws.close(1009, "Max message length is 64 kB");
      return;
    }
    this.#onMessage(message as Record<string, unknown>);
  }

  #onMessage(message: Record<string, unknown>): void {
    const id: unknown = "id" in message ? message.id : UNDEFINED;
    const invalid = validateMessage(message);
    if (invalid) {
      if (id !== UNDEFINED) this.#sendError(id, { code: -32600, message: invalid });
      return;
    }
    const method = message.method as string;
    const params = (message.params ?? []) as unknown[];
    const handler = this.#lookup(method);
    if (!handler) {
      if (id !== UNDEFINED) this.#sendError(id, new SimMethodNotFound(method).toJsonRpc());
      return;
    }
    this.#process(id, method, params, handler).catch(() => {
      // #process never rejects; this guards against a bug becoming an unhandled rejection.
    });
  }

  #lookup(method: string): MethodHandler | undefined {
    if (this.host.faults.isRemoved(method)) return undefined;
    const core = CORE_METHODS.get(method);
    if (core) return (params, ctx) => core(params, this.#session(), ctx.messageId);
    return this.host.worldMethod(method);
  }

  async #process(id: unknown, method: string, params: unknown[], handler: MethodHandler): Promise<void> {
    const acquired = this.#semaphore.acquire();
    if (acquired === false) {
      if (id !== UNDEFINED) {
        this.#sendError(id, {
          code: -32000,
          message: "Maximum number of concurrent calls (20) has exceeded",
        });
      }
      return;
    }
    await acquired;
    let hung = false;
    try {
      const result = await this.#call(method, params, handler, id);
      if (result === HANG) {
        hung = true;
        return;
      }
      if (id !== UNDEFINED) this.host.recordCall(method, this.send({ jsonrpc: "2.0", result, id }));
    } catch (err) {
      if (id !== UNDEFINED) this.host.recordCall(method, this.#sendError(id, toJsonRpcError(err)));
    } finally {
      if (!hung) this.#semaphore.release();
    }
  }

  async #call(method: string, params: unknown[], handler: MethodHandler, id: unknown): Promise<unknown> {
    const { faults } = this.host;
    const latency = this.host.callLatency() + faults.delayOf(method);
    if (latency > 0) await delay(latency);
    if (!UNAUTHENTICATED_METHODS.has(method) && !this.#authenticated) {
      throw new SimCallError("ENOTAUTHENTICATED", "Not authenticated");
    }
    if (!this.#authenticated && this.host.rateLimited(method, this.remoteAddress)) {
      await delay(this.host.penaltyDelay("rate"));
      throw new SimCallError("EBUSY", "Rate Limit Exceeded");
    }
    if (faults.isHung(method)) return HANG;
    if (faults.isDenied(method)) throw new SimCallError("EACCES", "Not authorized");
    const failure = faults.failureOf(method);
    if (failure) throw new SimCallError(failure.errname ?? "EFAULT", failure.reason ?? "Injected failure");
    return handler(params, { messageId: id === UNDEFINED ? null : id, username: this.host.username });
  }

  #session(): CoreSession {
    return {
      version: this.host.version,
      authenticated: this.#authenticated,
      loginWithKey: (key, username) => this.#loginWithKey(key, username),
      logout: () => {
        this.#authenticated = false;
      },
      userInfo: () => userInfo(this.host.username),
      subscribe: (ident, name) => this.#subscribe(ident, name),
      unsubscribe: (ident) => {
        if (!this.host.unsubscribeSource(this, ident)) this.subscriptions.delete(ident);
      },
      setOptions: (opts) => {
        for (const key of OPTION_KEYS) {
          if (typeof opts[key] === "boolean") this.#options[key] = opts[key];
        }
        return { ...this.#options };
      },
      issueToken: () => {
        const token = `sim-token-${this.host.tokens.size + 1}-${Date.now().toString(36)}`;
        this.host.tokens.add(token);
        return token;
      },
      loginWithToken: (token) => {
        if (!this.host.tokens.has(token)) return false;
        this.#authenticated = true;
        return true;
      },
    };
  }

  async #loginWithKey(key: string, _username?: string): Promise<"SUCCESS" | "AUTH_ERR" | "EXPIRED"> {
    const { faults } = this.host;
    const idPart = key.split("-", 1)[0] ?? "";
    if (!/^\d+$/.test(idPart) || !key.includes("-")) {
      await delay(this.host.penaltyDelay("auth"));
      return "AUTH_ERR";
    }
    if (!faults.isKeyValid(key)) {
      await delay(this.host.penaltyDelay("auth"));
      return key === faults.apiKey ? "EXPIRED" : "AUTH_ERR";
    }
    // A key accepted over plain HTTP from a non-loopback peer is revoked (utils/origin.py secure_transport).
    if (!this.secure && !isLoopback(this.remoteAddress)) {
      faults.revokeKey(key);
      return "EXPIRED";
    }
    this.#authenticated = true;
    this.#apiKeyUsed = key;
    return "SUCCESS";
  }

  #subscribe(ident: string, name: string): void {
    if (this.host.subscribeSource(this, ident, name)) return;
    this.subscriptions.set(ident, name);
  }
}

const HANG = Symbol("hang");
const OPTION_KEYS = ["legacy_jobs", "private_methods", "py_exceptions"] as const;

function validateMessage(message: Record<string, unknown>): string | undefined {
  if (!("jsonrpc" in message)) return "Missing 'jsonrpc' member";
  if (message.jsonrpc !== "2.0") return "'jsonrpc' member must be of type string and must be exactly '2.0'";
  if ("id" in message) {
    const id = message.id;
    if (!(id === null || typeof id === "string" || (typeof id === "number" && Number.isInteger(id)))) {
      return "'id' member must be of type null, string or number";
    }
  }
  if (!("method" in message)) return "Missing 'method' member";
  if (typeof message.method !== "string" || message.method === "")
    return "'method' member must be of type string";
  if ("params" in message && !Array.isArray(message.params)) return "'params' member must be of type array";
  return undefined;
}

export function isLoopback(address: string): boolean {
  const a = address.replace(/^::ffff:/, "");
  return a === "::1" || a.startsWith("127.") || a === "localhost";
}

function userInfo(username: string): Record<string, unknown> {
  return {
    pw_name: username,
    pw_gecos: "Simulated user",
    pw_dir: "/var/empty",
    pw_shell: "/usr/sbin/nologin",
    pw_uid: 3000,
    pw_gid: 3000,
    grouplist: [3000, 544],
    sid: null,
    source: "LOCAL",
    local: true,
    attributes: {},
    two_factor_config: { secret_configured: false, interval: 30, otp_digits: 6 },
    privilege: { roles: new Set(["FULL_ADMIN"]), allowlist: [], web_shell: false, webui_access: true },
    account_attributes: ["LOCAL"],
  };
}
