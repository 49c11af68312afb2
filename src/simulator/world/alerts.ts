/**
 * Active alerts as `alert.list` returns them: sorted by level (most severe first), then class title, then
 * datetime (`plugins/alert.py` `list`), with `added`/`removed`/`changed` events whose id is the uuid string.
 */
import type { CollectionEvent } from "../types.js";
import { pyJsonDumps } from "./format.js";
import { wireText, type AlertEntry, type AlertLevel, type WireValue } from "./model.js";
import type { Rng } from "./random.js";

const LEVEL_ORDER: readonly AlertLevel[] = [
  "INFO",
  "NOTICE",
  "WARNING",
  "ERROR",
  "CRITICAL",
  "ALERT",
  "EMERGENCY",
];

/** Alert class titles (`alert/source/*.py` `title`), which `alert.list` sorts on. */
const TITLES: Record<string, string> = {
  VolumeStatus: "Pool Status Is Not Healthy",
  AppUpdate: "Application Update Available",
  HasUpdate: "Update Available",
  DiskTemperatureTooHot: "Disk Temperature Is Too Hot",
  SMART: "S.M.A.R.T. Error",
  ScrubStarted: "Scrub Started",
};

/** What a test or profile states about a new alert; the rest is filled in. */
export interface AlertSpec {
  klass: string;
  level: AlertLevel;
  /** Rendered text; default: `text` with `args` substituted. */
  formatted?: string | null;
  /** The class's %-template; default: `formatted`. */
  text?: string;
  args?: WireValue;
  /** Alert source name; `""` for one-shot alerts. Default: `klass`, or `""` when `oneShot`. */
  source?: string;
  oneShot?: boolean;
  dismissed?: boolean;
  datetime?: Date;
  lastOccurrence?: Date;
  uuid?: string;
}

export class AlertBook {
  readonly #alerts = new Map<string, AlertEntry>();
  readonly #emit: (e: CollectionEvent) => void;
  readonly #rng: Rng;
  readonly #now: () => number;

  constructor(deps: { emit: (e: CollectionEvent) => void; rng: Rng; now: () => number }) {
    this.#emit = deps.emit;
    this.#rng = deps.rng;
    this.#now = deps.now;
  }

  /** Load alerts without events (profile construction). */
  seed(alerts: readonly AlertEntry[]): void {
    for (const a of alerts) this.#alerts.set(a.uuid, structuredClone(a));
  }

  get size(): number {
    return this.#alerts.size;
  }

  /** `alert.list`: a sorted copy. */
  list(): AlertEntry[] {
    return sortAlerts([...this.#alerts.values()]).map((a) => structuredClone(a));
  }

  find(predicate: (a: AlertEntry) => boolean): AlertEntry | undefined {
    for (const a of this.#alerts.values()) if (predicate(a)) return a;
    return undefined;
  }

  /** Raise an alert and send `added` with the full entry. Returns its uuid. */
  raise(spec: AlertSpec): string {
    const entry = buildAlert(spec, this.#rng, this.#now());
    this.#alerts.set(entry.uuid, entry);
    this.#emit({ collection: "alert.list", msg: "added", id: entry.uuid, fields: structuredClone(entry) });
    return entry.uuid;
  }

  /** Clear an alert: `removed` with the uuid and no fields. False if unknown. */
  clear(uuid: string): boolean {
    if (!this.#alerts.delete(uuid)) return false;
    this.#emit({ collection: "alert.list", msg: "removed", id: uuid });
    return true;
  }

  /** `alert.dismiss`/`alert.restore`: `changed`, except a dismissed one-shot alert is `removed`. */
  setDismissed(uuid: string, dismissed: boolean): boolean {
    const alert = this.#alerts.get(uuid);
    if (!alert) return false;
    if (dismissed && alert.one_shot) return this.clear(uuid);
    alert.dismissed = dismissed;
    this.#emit({ collection: "alert.list", msg: "changed", id: uuid, fields: structuredClone(alert) });
    return true;
  }

  /** Drop every alert of a class matching `predicate`, with events. */
  clearWhere(predicate: (a: AlertEntry) => boolean): number {
    const gone = [...this.#alerts.values()].filter(predicate);
    for (const a of gone) this.clear(a.uuid);
    return gone.length;
  }
}

export function buildAlert(spec: AlertSpec, rng: Rng, nowMs: number): AlertEntry {
  const uuid = spec.uuid ?? rng.uuid();
  const args = spec.args ?? null;
  const text = spec.text ?? spec.formatted ?? spec.klass;
  const formatted = spec.formatted === undefined ? renderTemplate(text, args) : spec.formatted;
  const oneShot = spec.oneShot ?? false;
  const at = spec.datetime ?? new Date(nowMs);
  return {
    uuid,
    source: spec.source ?? (oneShot ? "" : spec.klass),
    klass: spec.klass,
    args,
    node: "Controller A",
    key: pyJsonDumps(args, true),
    datetime: at,
    last_occurrence: spec.lastOccurrence ?? at,
    dismissed: spec.dismissed ?? false,
    mail: null,
    text,
    id: uuid,
    level: spec.level,
    formatted,
    one_shot: oneShot,
  };
}

/** Python `%`-formatting with a dict (`%(name)s`, `%(name)d`), as `Alert.formatted` does. */
export function renderTemplate(text: string, args: WireValue): string {
  if (args === null || typeof args !== "object" || Array.isArray(args) || args instanceof Date) return text;
  const dict = args as Record<string, WireValue>;
  return text.replace(/%\((\w+)\)([sd])/g, (_m, name: string, kind: string) => {
    const v = dict[name];
    if (kind === "d" && typeof v === "number") return String(Math.trunc(v));
    return v === null || v === undefined ? "None" : typeof v === "object" ? pyJsonDumps(v) : wireText(v);
  });
}

export function sortAlerts(alerts: AlertEntry[]): AlertEntry[] {
  const title = (a: AlertEntry): string => TITLES[a.klass] ?? a.klass;
  return alerts.sort((a, b) => {
    const level = LEVEL_ORDER.indexOf(b.level) - LEVEL_ORDER.indexOf(a.level);
    if (level !== 0) return level;
    // Python compares str by code point, not by locale.
    const [ta, tb] = [title(a), title(b)];
    if (ta !== tb) return ta < tb ? -1 : 1;
    return a.datetime.getTime() - b.datetime.getTime();
  });
}
