// The interval arithmetic of a priority-first backfill, and the durations its flags take.
import { describe, expect, test } from "bun:test";
import { formatDuration, parseDuration } from "../../src/config/duration";
import { addInterval, gaps, nextWindow, remainingSeconds, syncedBack, type Interval } from "../../src/connector/history";

const t = (day: number, hour = 0) => `2026-01-${String(day).padStart(2, "0")}T${String(hour).padStart(2, "0")}:00:00Z`;
const DAY = 86_400_000;

describe("history windows", () => {
  test("finished windows merge when they touch or overlap, and stay apart otherwise", () => {
    let done: Interval[] = [];
    done = addInterval(done, [t(9), t(10)]);
    done = addInterval(done, [t(5), t(6)]);
    done = addInterval(done, [t(8), t(9)]);
    expect(done).toEqual([
      [t(5), t(6)],
      [t(8), t(10)],
    ]);
    done = addInterval(done, [t(5, 12), t(8, 6)]);
    expect(done).toEqual([[t(5), t(10)]]);
  });

  test("gaps, the next window and what is left, newest first, within [limit, anchor)", () => {
    const done: Interval[] = [
      [t(3), t(4)],
      [t(7), t(10)],
    ];
    expect(gaps(done, t(2), t(10))).toEqual([
      [t(4), t(7)],
      [t(2), t(3)],
    ]);
    expect(nextWindow(done, t(2), t(10), DAY)).toEqual([t(6), t(7)]);
    expect(nextWindow(done, t(2), t(10), 5 * DAY)).toEqual([t(4), t(7)]); // never across a finished window
    expect(remainingSeconds(done, t(2), t(10))).toBe(4 * 86_400);
    expect(syncedBack(done, t(2), t(10))).toBe(t(7));
    // A limit inside a finished window, or at the anchor: nothing below it counts.
    expect(gaps(done, t(3, 12), t(10))).toEqual([[t(4), t(7)]]);
    expect(nextWindow([[t(2), t(10)]], t(2), t(10), DAY)).toBeNull();
    expect(syncedBack([[t(2), t(10)]], t(2), t(10))).toBe(t(2));
    expect(gaps([], t(10), t(10))).toEqual([]);
  });
});

describe("durations", () => {
  test("24h, 90m, 7d, 3600s and a number of seconds; anything else is refused", () => {
    expect([parseDuration("24h"), parseDuration("90m"), parseDuration("7d"), parseDuration("3600s"), parseDuration(60)]).toEqual([
      86_400, 5400, 604_800, 3600, 60,
    ]);
    for (const bad of ["", "24", "1.5h", "0s", "-1h", "1w", "24 hours", 0, 1.5, "99999d", null]) expect(parseDuration(bad)).toBeUndefined();
    expect([formatDuration(0), formatDuration(59), formatDuration(5400), formatDuration(90_061), formatDuration(299 * 86_400 + 1080)]).toEqual([
      "0s",
      "59s",
      "1h 30m",
      "1d 1h",
      "299d 18m",
    ]);
  });
});
