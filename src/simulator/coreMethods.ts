/**
 * The methods the protocol layer owns rather than the world: authentication, ping, connection options and
 * subscriptions (truenas-api.md §1.4, §1.5, §1.9, §2.1; middleware `plugins/auth.py`, `core/core_service.py`).
 */
import { randomUUID } from "node:crypto";
import { SimCallError, SimValidationError } from "./rpcErrors.js";
import type { SimVersion } from "./types.js";

/** Methods callable before login (`authentication_required=False`). */
export const UNAUTHENTICATED_METHODS: ReadonlySet<string> = new Set([
  "core.ping",
  "core.set_options",
  "auth.login",
  "auth.login_with_api_key",
  "auth.login_with_token",
  "auth.login_ex",
  "auth.login_ex_continue",
  "auth.mechanism_choices",
  "system.boot_id",
]);

/** What a core method may do to its connection. */
export interface CoreSession {
  readonly version: SimVersion;
  readonly authenticated: boolean;
  /** Try an API key; resolves to the auth outcome (the delay on failure is applied by the caller). */
  loginWithKey(key: string, username?: string): Promise<"SUCCESS" | "AUTH_ERR" | "EXPIRED">;
  logout(): void;
  userInfo(): Record<string, unknown>;
  subscribe(ident: string, name: string, messageId: unknown): void;
  unsubscribe(ident: string): void;
  setOptions(options: Record<string, unknown>): Record<string, unknown>;
  issueToken(): string;
  loginWithToken(token: string): boolean;
}

export type CoreHandler = (params: unknown[], session: CoreSession, messageId: unknown) => unknown;

function expectArgs(params: unknown[], max: number): void {
  if (params.length > max) {
    throw new SimValidationError([["", `Too many arguments (expected ${max}, found ${params.length})`, 22]]);
  }
}

function stringArg(params: unknown[], index: number, attr: string): string {
  const value = params[index];
  if (typeof value !== "string") {
    throw new SimValidationError([[attr, "Input should be a valid string", 22]]);
  }
  return value;
}

async function loginEx(params: unknown[], session: CoreSession): Promise<unknown> {
  expectArgs(params, 1);
  const data = params[0];
  if (typeof data !== "object" || data === null) {
    throw new SimValidationError([["login_data", "Input should be a valid dictionary", 22]]);
  }
  const req = data as Record<string, unknown>;
  const userInfo = (req.login_options as { user_info?: boolean } | undefined)?.user_info !== false;
  let outcome: "SUCCESS" | "AUTH_ERR" | "EXPIRED" = "AUTH_ERR";
  if (req.mechanism === "API_KEY_PLAIN" && typeof req.api_key === "string") {
    outcome = await session.loginWithKey(
      req.api_key,
      typeof req.username === "string" ? req.username : undefined,
    );
  } else if (req.mechanism === "TOKEN_PLAIN" && typeof req.token === "string") {
    outcome = session.loginWithToken(req.token) ? "SUCCESS" : "AUTH_ERR";
  } else if (typeof req.mechanism !== "string") {
    throw new SimValidationError([["login_data.mechanism", "Field required", 22]]);
  }
  if (outcome !== "SUCCESS") return { response_type: outcome };
  return {
    response_type: "SUCCESS",
    user_info: userInfo ? session.userInfo() : null,
    authenticator: "LEVEL_1",
  };
}

export const CORE_METHODS: ReadonlyMap<string, CoreHandler> = new Map<string, CoreHandler>([
  [
    "core.ping",
    (params) => {
      expectArgs(params, 0);
      return "pong";
    },
  ],
  [
    "core.set_options",
    (params, session) => {
      expectArgs(params, 1);
      const opts = params[0] ?? {};
      if (typeof opts !== "object" || opts === null || Array.isArray(opts)) {
        throw new SimValidationError([["options", "Input should be a valid dictionary", 22]]);
      }
      const effective = session.setOptions(opts as Record<string, unknown>);
      // 25.04 returns null; 25.10 returns the effective options (core/core_service.py set_options).
      return session.version === "25.10" ? effective : null;
    },
  ],
  [
    "auth.login_with_api_key",
    async (params, session) => {
      expectArgs(params, 1);
      return (await session.loginWithKey(stringArg(params, 0, "api_key"))) === "SUCCESS";
    },
  ],
  ["auth.login_ex", (params, session) => loginEx(params, session)],
  [
    "auth.login_with_token",
    (params, session) => {
      expectArgs(params, 1);
      return session.loginWithToken(stringArg(params, 0, "token"));
    },
  ],
  ["auth.mechanism_choices", () => ["API_KEY_PLAIN", "PASSWORD_PLAIN", "TOKEN_PLAIN"]],
  [
    "auth.logout",
    (_params, session) => {
      session.logout();
      return true;
    },
  ],
  ["auth.me", (_params, session) => session.userInfo()],
  ["auth.generate_token", (_params, session) => session.issueToken()],
  [
    "core.subscribe",
    (params, session, messageId) => {
      expectArgs(params, 1);
      const name = stringArg(params, 0, "event");
      const ident = randomUUID();
      session.subscribe(ident, name, messageId);
      return ident;
    },
  ],
  [
    "core.unsubscribe",
    (params, session) => {
      expectArgs(params, 1);
      session.unsubscribe(stringArg(params, 0, "id"));
      return null;
    },
  ],
]);

/** `core.subscribe` on an event the session may not see answers EACCES (main.py can_subscribe). */
export function notAuthorized(): SimCallError {
  return new SimCallError("EACCES", "Not authorized");
}
