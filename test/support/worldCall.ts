/**
 * Calls a simulated NAS in-process, through the same extended-JSON encoding the wire uses, so group tests
 * exercise real query semantics (filters, select, extra) without sockets. Errors become the client's typed
 * errors.
 */
import type { CallFn } from "../../src/groups/group.js";
import { toJsonRpcError } from "../../src/simulator/rpcErrors.js";
import type { SimWorld } from "../../src/simulator/nas/world.js";
import { parseEjson, stringifyEjson } from "../../src/truenas/ejson.js";
import { rpcErrorFrom } from "../../src/truenas/errors.js";

export function worldCall(
  world: SimWorld,
  log?: Array<{ method: string; params: readonly unknown[] }>,
): CallFn {
  return <T>(method: string, params: readonly unknown[] = []): Promise<T> => {
    log?.push({ method, params });
    const handler = world.methods().get(method);
    if (!handler)
      return Promise.reject(rpcErrorFrom(method, { code: -32601, message: "Method does not exist" }));
    try {
      const wire = parseEjson(stringifyEjson(params)) as unknown[];
      return Promise.resolve(
        parseEjson(stringifyEjson(handler(wire, { messageId: 1, username: "test" }))) as T,
      );
    } catch (err) {
      return Promise.reject(rpcErrorFrom(method, toJsonRpcError(err)));
    }
  };
}
