/**
 * Python 3.11 `datetime.fromisoformat()`, which `middlewared/utils/filter_list.py` uses to read the value of a
 * `.$date` filter. 3.11 accepts most of ISO 8601: `YYYY-MM-DD`, `YYYYMMDD`, week dates `YYYY-Www[-D]`, any one
 * separator character before the time, `HH[:MM[:SS[.f…]]]` (also without colons), and `Z` or `±HH[:MM[:SS[.f]]]`.
 * The caller only needs valid/invalid (every failure becomes the same ValueError text), so errors are plain.
 */
import { PyDateTime } from "./filterPython.js";

class IsoError extends Error {}

const DIGITS = /^[0-9]+$/;

function digits(s: string, from: number, count: number): number {
  const part = s.slice(from, from + count);
  if (part.length !== count || !DIGITS.test(part)) throw new IsoError(`bad digits in ${s}`);
  return Number(part);
}

/** Days from 1970-01-01 to a proleptic-Gregorian civil date (H. Hinnant's `days_from_civil`). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
}

/** Where the date part ends, per CPython's `_find_isoformat_datetime_separator`. */
function separatorIndex(s: string): number {
  if (s.length === 7) return 7;
  if (s[4] === "-") {
    if (s[5] !== "W") return 10;
    if (s.length > 8 && s[8] === "-") {
      if (s.length === 9) throw new IsoError("Invalid ISO string");
      return s.length > 10 && DIGITS.test(s[10] ?? "") ? 8 : 10;
    }
    return 8;
  }
  if (s[4] !== "W") return 8;
  let idx = 7;
  while (idx < s.length && DIGITS.test(s[idx] ?? "")) idx++;
  if (idx < 9) return idx;
  return idx % 2 === 0 ? 7 : 8;
}

/** Days since the epoch of `YYYY-Www-D` (ISO week date). */
function isoWeekDays(year: number, week: number, day: number): number {
  const jan1 = daysFromCivil(year, 1, 1);
  const jan1Weekday = (((jan1 + 3) % 7) + 7) % 7; // 0 = Monday
  const longYear = jan1Weekday === 3 || (jan1Weekday === 2 && isLeap(year));
  if (week < 1 || week > 53 || (week === 53 && !longYear)) throw new IsoError(`Invalid week: ${week}`);
  if (day < 1 || day > 7) throw new IsoError(`Invalid weekday: ${day}`);
  const jan4 = daysFromCivil(year, 1, 4);
  const week1Monday = jan4 - ((((jan4 + 3) % 7) + 7) % 7);
  return week1Monday + (week - 1) * 7 + (day - 1);
}

function parseDate(s: string): number {
  if (![7, 8, 10].includes(s.length)) throw new IsoError("bad date length");
  const year = digits(s, 0, 4);
  if (year < 1) throw new IsoError("year 0 is out of range");
  const sep = s[4] === "-" ? 1 : 0;
  let pos = 4 + sep;
  if (s[pos] === "W") {
    const week = digits(s, pos + 1, 2);
    pos += 3;
    let day = 1;
    if (s.length > pos) {
      if ((s[pos] === "-" ? 1 : 0) !== sep) throw new IsoError("Inconsistent use of dash separator");
      day = digits(s, pos + sep, 1);
    }
    return isoWeekDays(year, week, day);
  }
  const month = digits(s, pos, 2);
  pos += 2;
  if ((s[pos] === "-" ? 1 : 0) !== sep) throw new IsoError("Inconsistent use of dash separator");
  const day = digits(s, pos + sep, 2);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
    throw new IsoError("date out of range");
  return daysFromCivil(year, month, day);
}

/**
 * CPython's C `parse_hh_mm_ss_ff` over `t[from, to)`: `HH[:?MM[:?SS]][{.,}f…]`. Reading past `to` sees the
 * zone marker (or end of text), as the C code does. Returns the fields and whether text is left over.
 */
function parseClock(
  t: string,
  from: number,
  to: number,
): { vals: [number, number, number, number]; rest: boolean } {
  const vals: [number, number, number, number] = [0, 0, 0, 0];
  let p = from;
  let colon = true;
  for (let i = 0; i < 3; i++) {
    vals[i] = digits(t, p, 2);
    const c = t[p + 2] ?? "";
    p += 3;
    if (i === 0) colon = c === ":";
    if (p >= to) return { vals, rest: c !== "" };
    if (colon && c === ":") continue;
    if (c === "." || c === ",") break;
    if (colon) throw new IsoError("Malformed time separator");
    p--;
  }
  const take = Math.min(6, to - p);
  vals[3] = digits(t, p, take) * 10 ** (6 - take);
  p += take;
  while (DIGITS.test(t[p] ?? "")) p++;
  return { vals, rest: p < t.length };
}

/** Parse the time-and-zone part; returns [µs since midnight, offset µs or null for naive]. */
function parseTime(t: string): [number, number | null] {
  const found = t.search(/[+\-Z]/);
  const tzPos = found < 0 ? t.length : found;
  const clock = parseClock(t, 0, tzPos);
  const [h, m, s, us] = clock.vals;
  if (h > 23 || m > 59 || s > 59) throw new IsoError("time out of range");
  const local = ((h * 60 + m) * 60 + s) * 1e6 + us;
  if (tzPos === t.length) {
    if (clock.rest) throw new IsoError("trailing text");
    return [local, null];
  }
  if (t[tzPos] === "Z") {
    if (tzPos !== t.length - 1) throw new IsoError("Z must end the string");
    return [local, 0];
  }
  const tz = parseClock(t, tzPos + 1, t.length);
  if (tz.rest) throw new IsoError("Malformed time zone string");
  const [th, tm, ts, tus] = tz.vals;
  const offset = ((th * 60 + tm) * 60 + ts) * 1e6 + tus;
  if (offset >= 86_400e6) throw new IsoError("offset must be strictly between -24h and 24h");
  return [local, t[tzPos] === "-" ? -offset : offset];
}

/** `datetime.fromisoformat(s)`; throws a plain Error when Python would raise. */
export function parseIsoDatetime(s: string): PyDateTime {
  // The C parser works on UTF-8 bytes, so any non-ASCII character ends up failing the parse.
  if (s.length < 7 || /[\u0080-\uffff]/.test(s)) throw new IsoError(`Invalid isoformat string: ${s}`);
  const sep = separatorIndex(s);
  const days = parseDate(s.slice(0, sep));
  const [local, offset] = s.length > sep ? parseTime(s.slice(sep + 1)) : [0, null];
  const totalUs = local - (offset ?? 0);
  const ms = days * 86_400_000 + Math.floor(totalUs / 1000);
  return new PyDateTime(ms, totalUs - Math.floor(totalUs / 1000) * 1000, offset !== null);
}
