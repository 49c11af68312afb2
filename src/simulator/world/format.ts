/**
 * Text forms the middleware produces: dataset `value` strings per release, Python's `str(timedelta)` for
 * `system.info.uptime`, ZFS's creation-date text and Python's `json.dumps` for alert keys and stored task state.
 */

const BINARY_UNITS = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"] as const;
const ZFS_UNITS = ["B", "K", "M", "G", "T", "P", "E"] as const;

/** Round to 2 decimals and drop trailing zeros, as Python's `round(x, 2)` then `%g`-like display does. */
function trim2(x: number): string {
  return String(Math.round(x * 100) / 100);
}

/**
 * 25.10 `format_size` (dataset `value` of size properties, `plugins/pool_/dataset_query_utils.py`):
 * binary units with up to two decimals, `"0 bytes"` below 1 KiB (samples: "11.92 TiB", "34 GiB", "0 bytes").
 */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BINARY_UNITS.length) {
    value /= 1024;
    unit++;
  }
  return `${trim2(value)} ${BINARY_UNITS[unit - 1] as string}`;
}

/**
 * OpenZFS `zfs_nicenum_format` in its bytes flavour (25.04 `value` strings via py-libzfs, and `recordsize`
 * everywhere): exact multiples print without decimals ("128K", "2T"), others with the most precision that
 * fits in five characters ("11.9T", "49.4G").
 */
export function zfsNicenum(n: number): string {
  let index = 0;
  let scaled = n;
  while (scaled >= 1024 && index < ZFS_UNITS.length - 1) {
    scaled = Math.floor(scaled / 1024);
    index++;
  }
  const unit = ZFS_UNITS[index] as string;
  const divisor = 1024 ** index;
  if (index === 0 || n % divisor === 0) return `${scaled}${unit}`;
  for (let digits = 2; digits >= 0; digits--) {
    const text = `${(n / divisor).toFixed(digits)}${unit}`;
    if (text.length <= 5 || digits === 0) return text;
  }
  return `${scaled}${unit}`;
}

/** Python `str(datetime.timedelta(seconds=s))`: "12 days, 3:14:07.532118", "1 day, 0:00:05", "0:02:00". */
export function pyTimedelta(seconds: number): string {
  const totalMicros = Math.round(seconds * 1e6);
  const micros = totalMicros % 1_000_000;
  let rest = Math.floor(totalMicros / 1_000_000);
  const days = Math.floor(rest / 86_400);
  rest -= days * 86_400;
  const h = Math.floor(rest / 3600);
  const m = Math.floor((rest % 3600) / 60);
  const s = rest % 60;
  let text = `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
  if (micros > 0) text += `.${String(micros).padStart(6, "0")}`;
  if (days > 0) text = `${days} day${days === 1 ? "" : "s"}, ${text}`;
  return text;
}

const CREATION_FORMATS = new Map<string, Intl.DateTimeFormat>();

/**
 * ZFS's display text for `creation` (`zfs_prop_get`: strftime "%a %b %e %k:%M %Y" in local time), e.g.
 * "Wed Sep 25 10:42 2024". `timeZone` is the NAS's configured zone.
 */
export function zfsCreationText(epochSeconds: number, timeZone: string): string {
  let fmt = CREATION_FORMATS.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat("en-US", {
      timeZone,
      weekday: "short",
      month: "short",
      day: "numeric",
      hour: "numeric",
      minute: "2-digit",
      year: "numeric",
      hourCycle: "h23",
    });
    CREATION_FORMATS.set(timeZone, fmt);
  }
  const parts = Object.fromEntries(
    fmt.formatToParts(new Date(epochSeconds * 1000)).map((p) => [p.type, p.value]),
  );
  const day = String(parts.day).padStart(2, " ");
  const hour = String(Number(parts.hour)).padStart(2, " ");
  return `${parts.weekday} ${parts.month} ${day} ${hour}:${parts.minute} ${parts.year}`;
}

/**
 * Python `json.dumps` (default separators ", " and ": "; optional `sort_keys`), with datetimes as the
 * middleware's `{"$date": ms}`. Used for alert `key` (sorted args) and the JSON *string* a replication task
 * carries for each periodic snapshot task's `state`.
 */
export function pyJsonDumps(value: unknown, sortKeys = false): string {
  if (value === null || value === undefined) return "null";
  if (value instanceof Date) return `{"$date": ${value.getTime()}}`;
  if (Array.isArray(value)) return `[${value.map((v) => pyJsonDumps(v, sortKeys)).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    if (sortKeys) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${pyJsonDumps(v, sortKeys)}`).join(", ")}}`;
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  // Python escapes non-ASCII by default (ensure_ascii=True).
  if (typeof value === "string") return asciiJson(value);
  return JSON.stringify(value);
}

function asciiJson(s: string): string {
  return JSON.stringify(s).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
