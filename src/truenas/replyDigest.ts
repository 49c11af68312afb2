/**
 * A digest of what a reply frame says, taken from its bytes as received, so a caller can tell an unchanged answer
 * without re-serialising the decoded value (which cost about as much as parsing it: the benchmark's large profile
 * spent a third of a cycle turning a 4.4 MB `pool.dataset.query` answer back into text to hash it). Pure.
 *
 * Two answers to the same call differ in their `id` even when nothing else changed, so the id member is cut out
 * before hashing. It is found only where a JSON-RPC envelope puts it, at the very start or the very end of the
 * frame (`{"jsonrpc": "2.0", "id": 7, ...}` or `{..., "id": 7}`), with the number the parser read: a member right
 * after the opening brace, or right before the closing brace that ends the frame, belongs to the envelope, never
 * to the result inside it. Anything else gets no digest (null) and the caller falls back to hashing the decoded
 * value. Equal digests therefore mean frames that differ at most in their id, i.e. equal results.
 */
import { createHash } from "node:crypto";

/** Long enough for the envelope around an id of any size, short enough to stay out of the result. */
const EDGE = 64;
const HEAD = /^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?"id"\s*:\s*(\d+)\s*,/;
const TAIL = /,\s*"id"\s*:\s*(\d+)\s*\}\s*$/;

/** SHA-256 (base64) of `frame` without its envelope id, or null when the id is not where an envelope puts it. */
export function replyDigest(frame: Buffer, id: number): string | null {
  const want = String(id);
  const tail = TAIL.exec(frame.toString("latin1", Math.max(0, frame.length - EDGE)));
  if (tail?.[1] === want) {
    return createHash("sha256")
      .update(frame.subarray(0, frame.length - tail[0].length))
      .digest("base64");
  }
  const head = HEAD.exec(frame.toString("latin1", 0, Math.min(frame.length, EDGE)));
  if (head?.[1] === want) {
    return createHash("sha256").update(frame.subarray(head[0].length)).digest("base64");
  }
  return null;
}
