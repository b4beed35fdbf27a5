import { describe, expect, test } from "bun:test";
import { compareCursor, compareKnown, plainCursor, type CursorValue } from "../../src/connector/cursor";

/** compareCursor without its fast path for plain UTC values: the order it must keep (one instant is one value, however written). */
function reference(a: CursorValue, b: CursorValue): number {
  const epoch = (value: string) => (/^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN);
  if (typeof a === "number" && typeof b === "number") return a - b;
  const sa = String(a);
  const sb = String(b);
  const ea = epoch(sa);
  const eb = epoch(sb);
  if (!Number.isNaN(ea) && !Number.isNaN(eb)) return ea - eb;
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** Cursor values around every edge of the order. */
function edgeValues(): CursorValue[] {
  // Fields around every edge: leap days (1900 has none, 2000 has one), days 29-32 and the next month's first
  // days (Date.parse rolls 1900-02-29 over to March 1st), hour 24, minute 60, month 0 and 13.
  const values: CursorValue[] = [
    5,
    5.5,
    -1,
    "abc",
    "",
    "2024-01-01",
    "2024-01-01T00:00:00.000Z",
    "2024-01-01T00:00:00+01:00",
    "0001-01-01T00:00:00Z",
    "0000-02-29T00:00:00Z",
    "0000-03-01T00:00:00Z",
  ];
  for (const year of [1900, 2000])
    for (const month of [0, 1, 2, 3, 4, 5, 12, 13])
      for (const day of [0, 1, 2, 28, 29, 30, 31, 32])
        for (const [h, m, s] of [
          [0, 0, 0],
          [23, 59, 59],
          [24, 0, 0],
          [0, 60, 0],
        ] as const)
          values.push(`${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(h)}:${pad(m)}:${pad(s)}Z`);
  return values;
}

describe("compareCursor", () => {
  test("orders like Date.parse, else text, including dates that roll over or do not exist", () => {
    const values = edgeValues();
    let compared = 0;
    for (const a of values)
      for (const b of values) {
        const got = Math.sign(compareCursor(a, b));
        const want = Math.sign(reference(a, b));
        if (got !== want) throw new Error(`compareCursor(${JSON.stringify(a)}, ${JSON.stringify(b)}) = ${got}, expected ${want}`);
        compared++;
      }
    expect(compared).toBe(values.length ** 2);
  });

  test("compareKnown, given which values are plain UTC, orders exactly as compareCursor", () => {
    const values = edgeValues();
    const plain = values.map(plainCursor);
    expect(plain.filter(Boolean).length).toBeGreaterThan(10);
    for (const [i, a] of values.entries())
      for (const [j, b] of values.entries()) {
        const got = Math.sign(compareKnown(a, plain[i] as boolean, b, plain[j] as boolean));
        if (got !== Math.sign(compareCursor(a, b))) throw new Error(`compareKnown(${JSON.stringify(a)}, ${JSON.stringify(b)}) = ${got}`);
      }
  });
});
