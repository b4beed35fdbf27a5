// The arithmetic of a priority-first backfill: finished windows as merged intervals, the gaps left between a
// limit and the anchor, and the next window to read (the newest gap first).
import { SyncError } from "../errors";
import type { Row } from "../store/types";
import { compareCursor, formatTimestamp, type CursorValue } from "./cursor";
import { cursorOf } from "./page";

/** What a priority-first run says about history, for the summary. */
export interface HistorySummary {
  /** Everything from here to now is in the table. */
  syncedBack: string;
  /** How far back history goes (inclusive). */
  limit: string;
  limitFrom: "history_limit" | "oldest row";
  /** Seconds of history not yet synced: 0 when it is complete. */
  remainingSeconds: number;
  /** History windows finished by this run. */
  windows: number;
  /** The backfill stopped because max_duration was spent: a success, the next run continues it. */
  budgetSpent: boolean;
}

/** `[from, to)` as `YYYY-MM-DDTHH:MM:SSZ` texts: from inclusive, to exclusive. */
export type Interval = [string, string];

const ms = (time: string): number => Date.parse(time);

/** A time as the cursor filter sends it: whole seconds, UTC, `Z` (anything finer is floored, so nothing is skipped). */
export function toCursorTime(time: string | number): string {
  return formatTimestamp(typeof time === "number" ? time : ms(time));
}

/** Adds a finished window to the sorted, disjoint list, merging whatever it touches. */
export function addInterval(done: readonly Interval[], add: Interval): Interval[] {
  const merged: Interval[] = [];
  for (const [from, to] of [...done, add].sort((a, b) => ms(a[0]) - ms(b[0]))) {
    const last = merged.at(-1);
    if (last && ms(from) <= ms(last[1])) {
      if (ms(to) > ms(last[1])) last[1] = to;
    } else merged.push([from, to]);
  }
  return merged;
}

/** The parts of [limit, anchor) no finished window covers, newest first. */
export function gaps(done: readonly Interval[], limit: string, anchor: string): Interval[] {
  const bottom = ms(limit);
  const result: Interval[] = [];
  let top = ms(anchor);
  for (const [from, to] of [...done].sort((a, b) => ms(b[0]) - ms(a[0]))) {
    if (top <= bottom) break;
    const lower = Math.max(ms(to), bottom);
    if (lower < top) result.push([formatTimestamp(lower), formatTimestamp(top)]);
    top = Math.min(top, ms(from));
  }
  if (top > bottom) result.push([formatTimestamp(bottom), formatTimestamp(top)]);
  return result;
}

/** The next window: the newest `windowMs` of the newest gap; null when history is complete. */
export function nextWindow(done: readonly Interval[], limit: string, anchor: string, windowMs: number): Interval | null {
  const gap = gaps(done, limit, anchor)[0];
  if (!gap) return null;
  return [formatTimestamp(Math.max(ms(gap[0]), ms(gap[1]) - windowMs)), gap[1]];
}

/** Seconds of history not yet synced. */
export function remainingSeconds(done: readonly Interval[], limit: string, anchor: string): number {
  return gaps(done, limit, anchor).reduce((sum, [from, to]) => sum + (ms(to) - ms(from)) / 1000, 0);
}

/** Where the synced range that ends at the anchor begins: everything from here to now is in the table. */
export function syncedBack(done: readonly Interval[], limit: string | null, anchor: string): string {
  return gaps(done, limit ?? "0001-01-01T00:00:00Z", anchor)[0]?.[1] ?? limit ?? anchor;
}

/**
 * A window run keeps the rows below its upper bound; the first row at or past it ends the window, so the API must
 * send timestamps in ascending order, which is checked here (a window must never end early on a row out of place).
 */
export function belowBound(rows: readonly Row[], until: CursorValue, cursorField: string, where: string): { rows: Row[]; reached: boolean } {
  let previous: CursorValue | null = null;
  for (const [i, row] of rows.entries()) {
    const value = cursorOf(row, cursorField);
    if (typeof value !== "string" || Number.isNaN(ms(value))) {
      throw new SyncError(
        "bad_cursor",
        `${where}: record ${i} has ${cursorField}=${JSON.stringify(value)}; a priority-first sync needs a timestamp cursor to read history in time windows`,
      );
    }
    if (previous !== null && compareCursor(value, previous) < 0) {
      throw new SyncError(
        "bad_order",
        `${where}: record ${i} has ${cursorField}=${JSON.stringify(value)}, out of order: a history window stops at its upper bound, so the API must sort by '${cursorField}' ascending`,
      );
    }
    if (compareCursor(value, until) >= 0) return { rows: rows.slice(0, i), reached: true };
    previous = value;
  }
  return { rows: [...rows], reached: false };
}
