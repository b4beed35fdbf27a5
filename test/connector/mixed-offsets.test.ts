// Timestamps written with different offsets (one instant as `10:00:00Z`, `12:00:00+02:00`, `05:00:00-05:00`), as
// APIs that store local times write them, sorted and filtered by instant. Found from outside with the binary: the
// first page failed "out of order" (exit 1), because one instant written two ways compared as two values by text.
import { describe, expect, test } from "bun:test";
import { compareCursor } from "../../src/connector/cursor";
import { type Item, items } from "../helpers/dialects";
import { LENIENT_PAGING, lenientApi } from "../helpers/lenient-server";
import { syncOnce, tableRows, tempDb } from "../helpers/sync";

const OFFSETS = ["Z", "+02:00", "-05:00", "+00:00", "+05:30"];

/** `value` (plain UTC) written at `offset`: the same instant. */
function writtenAt(value: string, offset: string): string {
  if (offset === "Z") return value;
  const sign = offset.startsWith("-") ? -1 : 1;
  const minutes = sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  return new Date(Date.parse(value) + minutes * 60_000).toISOString().replace(".000Z", offset);
}

/** The items with each `modified` written in the next offset of OFFSETS, round and round. */
function inOffsets(list: Item[]): Item[] {
  return list.map((item, i) => ({ ...item, modified: writtenAt(item.modified, OFFSETS[i % OFFSETS.length] as string) }));
}

const ids = (db: string) => [...tableRows(db).keys()].map(Number).sort((a, b) => a - b);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const base = { base_url: "http://lenient.test/api/items", cursor_field: "modified", params: {}, page_size: 40 };
const strategies = LENIENT_PAGING;

describe("one instant written with different offsets", () => {
  test("is one cursor value; different instants still order by instant, to the nanosecond", () => {
    expect(compareCursor("2026-01-01T12:00:00+02:00", "2026-01-01T10:00:00Z")).toBe(0);
    expect(compareCursor("2026-01-01T05:00:00-05:00", "2026-01-01T10:00:00+00:00")).toBe(0);
    expect(compareCursor("2026-01-01T10:00:00.50Z", "2026-01-01T10:00:00.5Z")).toBe(0);
    expect(compareCursor("2026-01-01T10:00:00.000Z", "2026-01-01T10:00:00Z")).toBe(0);
    expect(Math.sign(compareCursor("2026-01-01T11:00:00+02:00", "2026-01-01T10:00:00Z"))).toBe(-1);
    expect(Math.sign(compareCursor("2026-01-01T10:00:00Z", "2026-01-01T10:00:00.000001Z"))).toBe(-1);
  });

  for (const { strategy, style, size, response } of strategies) {
    for (const tieEvery of [1, 5]) {
      for (const exclusiveSince of [false, true]) {
        const name = `${strategy}, ${tieEvery === 1 ? "no ties" : "groups of 5"}, ${exclusiveSince ? "exclusive" : "inclusive"} filter`;
        test(`${name}: every row, and a row written later at the newest instant in another offset`, async () => {
          const data = inOffsets(items(300, tieEvery));
          const api = lenientApi(data, { style, sizeParam: "limit", sinceParam: "updated_since", exclusiveSince, byInstant: true });
          const db = tempDb();
          const config = { ...base, strategy, request: { since_param: "updated_since", ...size }, response };
          const run = await syncOnce(db, config, api.fetch);
          expect(run.error).toBeUndefined();
          expect(ids(db)).toEqual(range(300));
          const newest = data[299]?.modified as string;
          const later = writtenAt(new Date(Date.parse(newest)).toISOString().replace(".000Z", "Z"), "+09:00");
          expect(compareCursor(later, newest)).toBe(0);
          data.push({ id: 301, title: "late", modified: later });
          const again = await syncOnce(db, config, api.fetch);
          expect(again.error).toBeUndefined();
          expect(again.summary?.inserted).toBe(1);
          expect(ids(db)).toEqual(range(301));
        });
      }
    }
  }
});
