// Cursor values compared as instants: neutral ground for the connector (cursor order) and every store (the
// stale-write guard), so neither imports the other.

/** A cursor value as APIs send them: an ISO timestamp (string) or a number. */
export type CursorValue = string | number;

/** Whether a text writes a plain decimal number (`12`, `-3.5`): a numeric cursor as a URL or a flag carries it. */
export function isNumberText(text: string): boolean {
  return /^-?\d+(\.\d+)?$/.test(text);
}

/** Epoch ms of a text that starts with a date; NaN for anything else. */
export function epoch(value: string): number {
  return /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number written at `at..at+length` in ASCII digits, or -1. */
function digits(value: string, at: number, length: number): number {
  let n = 0;
  for (let i = at; i < at + length; i++) {
    const d = value.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * A real instant as `YYYY-MM-DDTHH:MM:SSZ` (no April 31, no hour 24): such values order by instant exactly as
 * they order as text, so comparing them needs no Date.parse, which costs about a microsecond a call.
 */
export function isPlainUtc(v: string): boolean {
  if (
    v.length !== 20 ||
    v.charCodeAt(4) !== 45 ||
    v.charCodeAt(7) !== 45 ||
    v.charCodeAt(10) !== 84 ||
    v.charCodeAt(13) !== 58 ||
    v.charCodeAt(16) !== 58 ||
    v.charCodeAt(19) !== 90
  )
    return false;
  const year = digits(v, 0, 4);
  const month = digits(v, 5, 2);
  const day = digits(v, 8, 2);
  const hour = digits(v, 11, 2);
  const minute = digits(v, 14, 2);
  const second = digits(v, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  if (day <= 28) return true;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (DAYS[month - 1] as number) + (leap ? 1 : 0);
}

const FRACTION = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}\.(\d+)/;

/**
 * A timestamp as an instant to the nanosecond: [epoch ms, nanoseconds within the ms], or null when it is not one.
 * Date.parse alone keeps milliseconds, so `10:00:00.000001Z` and `10:00:00Z` would be equal to it.
 */
export function instantOf(value: string): [number, number] | null {
  const ms = epoch(value);
  if (Number.isNaN(ms)) return null;
  const fraction = FRACTION.exec(value)?.[1] ?? "";
  return [ms, Number(`${fraction}000000000`.slice(3, 9))];
}

/**
 * Orders cursor values: numbers numerically, timestamps by instant to the nanosecond, anything else as text. One
 * instant written two ways (`11:00:00+01:00` and `10:00:00Z`, `10:00:00.50Z` and `10:00:00.5Z`) is one value, as it
 * is to an API that sorts and filters by instant, and to the stores' stale-write guard.
 */
export function compareCursor(a: CursorValue, b: CursorValue): number {
  if (a === b) return 0;
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "string" && typeof b === "string" && isPlainUtc(a) && isPlainUtc(b)) return a < b ? -1 : 1;
  const sa = String(a);
  const sb = String(b);
  const ia = instantOf(sa);
  const ib = instantOf(sb);
  if (ia && ib) return ia[0] !== ib[0] ? ia[0] - ib[0] : ia[1] - ib[1];
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Whether a cursor value is plain UTC text (isPlainUtc), for compareKnown. */
export function plainCursor(value: CursorValue): boolean {
  return typeof value === "string" && isPlainUtc(value);
}

/**
 * compareCursor(a, b) for values whose plainCursor the caller already knows: a loop over a page's rows then checks
 * each value once instead of at every comparison it takes part in.
 */
export function compareKnown(a: CursorValue, aPlain: boolean, b: CursorValue, bPlain: boolean): number {
  if (aPlain && bPlain) return a === b ? 0 : a < b ? -1 : 1;
  return compareCursor(a, b);
}
