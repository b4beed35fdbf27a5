// Cursor values as APIs send them: ISO timestamps (strings) or numbers. Their order lives in src/instants.ts.
import { compareCursor, compareKnown, epoch, instantOf, isPlainUtc, plainCursor, type CursorValue } from "../instants";

export { compareCursor, compareKnown, instantOf, plainCursor, type CursorValue };

export function isCursorValue(value: unknown): value is CursorValue {
  return (typeof value === "string" && value !== "") || (typeof value === "number" && Number.isFinite(value));
}

/** The playground's timestamp format: second precision, UTC, `Z`. */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The value minus the lookback window, for timestamps; other values are returned as they are. */
export function applyLookback(value: CursorValue, lookbackSeconds: number): CursorValue {
  if (lookbackSeconds <= 0 || typeof value !== "string") return value;
  const ms = epoch(value);
  if (Number.isNaN(ms)) return value;
  return formatTimestamp(Math.max(ms - lookbackSeconds * 1000, Date.parse("0001-01-01T00:00:00Z")));
}

/** How far past now a timestamp cursor may be before it is taken for bad data (clock skew stays well inside). */
export const FUTURE_SLACK_MS = 24 * 3600 * 1000;

/** The two newest distinct cursor values a run has seen: `below` is the newest one older than `max`. */
export interface CursorTop {
  max: CursorValue | null;
  below: CursorValue | null;
}

/**
 * The largest cursor of `values` and `current` (and the newest value below it), leaving out timestamps more than
 * a day past `nowMs`: saved as the cursor, such a value (`9999-12-31…`) would make every later sync read nothing.
 * Those are returned to be reported.
 */
export function advanceCursor(values: Iterable<CursorValue>, current: CursorTop, nowMs: number): CursorTop & { future: CursorValue[] } {
  const horizon = formatTimestamp(nowMs + FUTURE_SLACK_MS);
  const horizonPlain = isPlainUtc(horizon);
  let { max, below } = current;
  let maxPlain = max !== null && plainCursor(max);
  const future: CursorValue[] = [];
  for (const value of values) {
    const plain = plainCursor(value);
    if (typeof value === "string" && compareKnown(value, plain, horizon, horizonPlain) > 0 && instantOf(value) !== null) {
      future.push(value);
      continue;
    }
    const order = max === null ? 1 : compareKnown(value, plain, max, maxPlain);
    if (order > 0) {
      below = max;
      max = value;
      maxPlain = plain;
    } else if (order < 0 && (below === null || compareCursor(value, below) > 0)) below = value;
  }
  return { max, below, future };
}

/** The newest of `values` older than `cursor` (null: none), where a run after one that ended at `cursor` starts. */
export function newestBelow(cursor: CursorValue | null, values: readonly (CursorValue | null | undefined)[]): CursorValue | null {
  if (cursor === null) return null;
  let below: CursorValue | null = null;
  for (const value of values)
    if (value !== null && value !== undefined && compareCursor(value, cursor) < 0 && (below === null || compareCursor(value, below) > 0)) below = value;
  return below;
}

/**
 * Where a read that must include `cursor` starts: the newest value read below it when known and older than the
 * lookback window; else the lookback window, at least one second (an integer cursor: one less). A filter
 * `> since` (some APIs' `updated_since`, GitHub's `since` id) would otherwise skip rows at exactly the cursor,
 * written later or on a window's boundary; one `>= since` reads one value (or second) more. Other numbers are
 * sent as they are.
 */
export function startBelow(cursor: CursorValue, lookbackSeconds: number, below: CursorValue | null | undefined = null): CursorValue {
  const known = below !== null && below !== undefined;
  if (typeof cursor === "number") {
    if (known) return compareCursor(below, cursor) < 0 ? below : cursor;
    return Number.isInteger(cursor) ? cursor - 1 : cursor;
  }
  const back = applyLookback(cursor, known ? lookbackSeconds : Math.max(lookbackSeconds, 1));
  return known && compareCursor(below, back) < 0 ? below : back;
}

/** Why a string cursor value is not a timestamp, or null when it is one (or a number). */
export function notATimestamp(value: CursorValue): string | null {
  if (typeof value !== "string" || isPlainUtc(value) || instantOf(value) !== null) return null;
  return `${JSON.stringify(value.slice(0, 60))} is not a timestamp (ISO 8601, e.g. 2024-05-01T10:00:00Z) or a number`;
}
