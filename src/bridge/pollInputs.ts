/**
 * What one group poll was computed from, as a digest: the group's event payload and every call it made (method,
 * params, and the digest of the reply frame). A group's `fetch` is a function of exactly these (groups/group.ts:
 * it reaches the NAS only through `call`), so two polls with equal digests fetched equal raw values, and the
 * bridge can skip normalising and diffing the second without ever serialising what it decoded.
 */
import { createHash } from "node:crypto";
import type { CallFn } from "../groups/group.js";
import type { DigestedReply } from "../truenas/callTracker.js";

export type DigestedCall = <R>(method: string, params: readonly unknown[]) => Promise<DigestedReply<R>>;

export class PollInputs {
  /** One entry per call, in the order the calls were made (not answered), so concurrent calls hash stably. */
  readonly #calls: string[] = [];
  readonly #latest: string;

  constructor(latest: unknown) {
    this.#latest = JSON.stringify(latest) ?? "";
  }

  /** A `call` for the group's fetch that records each call's inputs and reply digest. */
  recording(call: DigestedCall): CallFn {
    return async <R>(method: string, params: readonly unknown[] = []): Promise<R> => {
      const slot = this.#calls.push("") - 1;
      const head = `${method}\n${JSON.stringify(params)}\n`;
      let reply: DigestedReply<R>;
      try {
        reply = await call<R>(method, params);
      } catch (err) {
        // A fetch may catch a failed call and still return something (an optional method): what it returns can
        // depend on the error, so the error is an input too.
        this.#calls[slot] = `${head}error:${(err as Error)?.name}:${(err as Error)?.message}`;
        throw err;
      }
      const { result, digest } = reply;
      // No frame digest (an envelope with its id where replyDigest does not look): hash the decoded result,
      // whose JSON is faithful (truenas/ejson.ts serialises dates, sets and times back to their wrappers).
      this.#calls[slot] = head + (digest ?? `v:${sha256(JSON.stringify(result) ?? "")}`);
      return result;
    };
  }

  digest(): string {
    return sha256(`${this.#latest}\n${this.#calls.join("\n")}`);
  }
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("base64");
}
