/**
 * The `reporting.realtime` event source: `{"interval": int >= 2, default 2}`, one `added` event per interval
 * with the world's current stats (`plugins/reporting/events.py`; truenas-api.md §2.4).
 */
import type { EventSourceSpec } from "./eventSources.js";
import type { SimWorldLike } from "./types.js";

export function realtimeSource(world: SimWorldLike): EventSourceSpec {
  return {
    validate(arg) {
      const obj = (arg ?? {}) as Record<string, unknown>;
      if (typeof obj !== "object" || Array.isArray(obj)) {
        return { errors: [["", "Input should be a valid dictionary", 22]], intervalMs: 2000 };
      }
      const interval = obj.interval ?? 2;
      if (typeof interval !== "number" || !Number.isInteger(interval)) {
        return { errors: [["interval", "Input should be a valid integer", 22]], intervalMs: 2000 };
      }
      if (interval < 2) {
        return { errors: [["interval", "Input should be greater than or equal to 2", 22]], intervalMs: 2000 };
      }
      return { errors: [], intervalMs: interval * 1000 };
    },
    produce: () => world.realtimeStats(),
  };
}
