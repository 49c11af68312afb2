/**
 * Errors the simulator's method handlers throw, and how each becomes a JSON-RPC error object exactly as the
 * middleware shapes it (../shared/docs/truenas-api.md §1.6, samples in ../shared/docs/truenas-samples/errors/).
 */

/** errno values TrueNAS puts in `data.error` (Linux errno plus ErrnoMixin's custom codes). */
export const ERRNO = {
  ENOENT: 2,
  EACCES: 13,
  EBUSY: 16,
  EEXIST: 17,
  EINVAL: 22,
  EFAULT: 14,
  ENOMETHOD: 201,
  ENOTAUTHENTICATED: 207,
} as const satisfies Record<string, number>;

export type ErrName = keyof typeof ERRNO;

interface TraceObject {
  class: string;
  frames: unknown[];
  formatted: string;
  repr: string;
}

export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: { error: number; errname: string; reason: string; trace: TraceObject | null; extra: unknown };
}

function trace(cls: string, repr: string): TraceObject {
  return {
    class: cls,
    frames: [],
    formatted: `Traceback (most recent call last):\n  ...\n${cls}: ${repr}\n`,
    repr,
  };
}

/** Base: anything a handler throws that has a wire form. */
export abstract class SimRpcError extends Error {
  abstract toJsonRpc(): JsonRpcErrorObject;
}

/** A middleware `CallError`: -32001 "Method call error", reason `"[ERRNAME] message"`. */
export class SimCallError extends SimRpcError {
  constructor(
    readonly errname: ErrName,
    readonly text: string,
    readonly extra: unknown = null,
  ) {
    super(`[${errname}] ${text}`);
  }
  toJsonRpc(): JsonRpcErrorObject {
    return {
      code: -32001,
      message: "Method call error",
      data: {
        error: ERRNO[this.errname],
        errname: this.errname,
        reason: `[${this.errname}] ${this.text}`,
        trace: trace("CallError", `CallError('${this.text}', ${ERRNO[this.errname]})`),
        extra: this.extra,
      },
    };
  }
}

/** `ValidationErrors`: -32602 "Invalid params", `data.error` always 22, per-item errno in `extra`. */
export class SimValidationError extends SimRpcError {
  constructor(readonly errors: ReadonlyArray<readonly [string | null, string, number]>) {
    super(errors.map(([a, m]) => `${a ?? "None"}: ${m}`).join("; "));
  }
  toJsonRpc(): JsonRpcErrorObject {
    const reason = this.errors
      .map(([attr, msg, errno]) => `[${errnameOf(errno)}] ${attr ?? "None"}: ${msg}\n`)
      .join("");
    return {
      code: -32602,
      message: "Invalid params",
      data: {
        error: ERRNO.EINVAL,
        errname: "EINVAL",
        reason,
        trace: trace("ValidationErrors", "ValidationErrors([...])"),
        extra: this.errors.map(([a, m, e]) => [a, m, e]),
      },
    };
  }
}

/** `InstanceNotFound` from `get_instance`: a -32602 whose item errno is ENOENT. */
export class SimInstanceNotFound extends SimValidationError {
  constructor(text: string) {
    super([[null, text, ERRNO.ENOENT]]);
  }
}

/** `{"get": true}` with no match: an IndexError subclass, so -32001 EINVAL with reason `MatchNotFound()`. */
export class SimMatchNotFound extends SimRpcError {
  constructor() {
    super("MatchNotFound()");
  }
  toJsonRpc(): JsonRpcErrorObject {
    return {
      code: -32001,
      message: "Method call error",
      data: {
        error: ERRNO.EINVAL,
        errname: "EINVAL",
        reason: "MatchNotFound()",
        trace: trace("MatchNotFound", "MatchNotFound()"),
        extra: null,
      },
    };
  }
}

/** A plain Python exception surfacing from a method (ValueError, TypeError...): -32001 EINVAL, reason str(exc). */
export class SimPythonError extends SimRpcError {
  constructor(
    readonly pyClass: string,
    readonly text: string,
  ) {
    super(text);
  }
  toJsonRpc(): JsonRpcErrorObject {
    return {
      code: -32001,
      message: "Method call error",
      data: {
        error: ERRNO.EINVAL,
        errname: "EINVAL",
        reason: this.text,
        trace: trace(this.pyClass, `${this.pyClass}(${JSON.stringify(this.text)})`),
        extra: null,
      },
    };
  }
}

/** Unknown method (or removed on this version): -32601 with no `data`. */
export class SimMethodNotFound extends SimRpcError {
  constructor(readonly method: string) {
    super("Method does not exist");
  }
  toJsonRpc(): JsonRpcErrorObject {
    return { code: -32601, message: "Method does not exist" };
  }
}

function errnameOf(errno: number): string {
  for (const [name, value] of Object.entries(ERRNO)) if (value === errno) return name;
  return "EUNKNOWN";
}

/** Wire form of anything a handler threw; unexpected JS errors become a generic -32001 EFAULT. */
export function toJsonRpcError(err: unknown): JsonRpcErrorObject {
  if (err instanceof SimRpcError) return err.toJsonRpc();
  const text = err instanceof Error ? err.message : String(err);
  return new SimCallError("EFAULT", text).toJsonRpc();
}
