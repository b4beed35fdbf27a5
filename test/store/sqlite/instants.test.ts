// Issue 14 §3: the stale-write guard and cursor order compare instants to the microsecond, not text.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compareCursor } from "../../../src/connector/cursor";
import { convertRecords } from "../../../src/connector/columns";
import { commitPage, openSqlite } from "./helpers";

const dir = mkdtempSync(join(tmpdir(), "connector-instants-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const spec = { table: "item", primaryKey: ["id"], cursorField: "modified" };

/** Writes `first` then `second` for the same key; returns the second write's counts and the stored row. */
async function twoVersions(first: string | number, second: string | number) {
  const store = openSqlite(join(dir, `i${n++}.db`));
  await commitPage(store, spec, [{ id: 1, name: "old", modified: first }], {});
  const counts = await commitPage(store, spec, [{ id: 1, name: "new", modified: second }], {});
  const stored = store.db.query("SELECT name, modified FROM item").get();
  await store.close();
  return { counts, stored };
}

describe("timestamps are instants", () => {
  test("a newer version with a fraction (DRF drops a zero fraction) updates the row", async () => {
    const { counts, stored } = await twoVersions("2024-05-01T10:00:00Z", "2024-05-01T10:00:00.500000Z");
    expect(counts).toEqual({ inserted: 0, updated: 1, unchanged: 0, stale: 0 });
    expect(stored).toEqual({ name: "new", modified: "2024-05-01T10:00:00.500000Z" });
  });

  test("one microsecond later updates; one microsecond earlier is stale", async () => {
    expect((await twoVersions("2024-05-01T10:00:00Z", "2024-05-01T10:00:00.000001Z")).counts.updated).toBe(1);
    const earlier = await twoVersions("2024-05-01T10:00:00.000002Z", "2024-05-01T10:00:00.000001Z");
    expect(earlier.counts.stale).toBe(1);
    expect(earlier.stored).toEqual({ name: "old", modified: "2024-05-01T10:00:00.000002Z" });
  });

  test("offsets compare by instant: 11:30+01:00 is after 10:00Z, 10:30+01:00 is before it", async () => {
    expect((await twoVersions("2024-05-01T10:00:00Z", "2024-05-01T11:30:00+01:00")).counts.updated).toBe(1);
    expect((await twoVersions("2024-05-01T10:00:00Z", "2024-05-01T10:30:00+01:00")).counts.stale).toBe(1);
    expect((await twoVersions("2024-05-01T10:30:00+01:00", "2024-05-01T10:00:00Z")).counts.updated).toBe(1);
  });

  test("plain UTC text and numbers keep their order", async () => {
    expect((await twoVersions("2024-05-01T10:00:00Z", "2024-05-01T10:00:01Z")).counts.updated).toBe(1);
    expect((await twoVersions("2024-05-01T10:00:01Z", "2024-05-01T10:00:00Z")).counts.stale).toBe(1);
    expect((await twoVersions(9, 10)).counts.updated).toBe(1);
    expect((await twoVersions(10, 9)).counts.stale).toBe(1);
  });

  test("compareCursor orders by instant to the microsecond", async () => {
    expect(compareCursor("2024-05-01T10:00:00.000001Z", "2024-05-01T10:00:00Z")).toBeGreaterThan(0);
    expect(compareCursor("2024-05-01T10:00:00Z", "2024-05-01T10:00:00.000001Z")).toBeLessThan(0);
    expect(compareCursor("2024-05-01T11:00:00.000001+01:00", "2024-05-01T10:00:00Z")).toBeGreaterThan(0);
    expect(compareCursor("2024-05-01T10:00:00.4999999Z", "2024-05-01T10:00:00.5Z")).toBeLessThan(0);
  });

  test("UTC_DATETIME columns keep microseconds", async () => {
    const [row] = convertRecords(
      [{ at: "2024-05-01T10:22:56.319036Z", off: "2024-05-01T12:22:56.319036+02:00", whole: "2024-05-01T10:22:56.000000Z" }],
      { at: "UTC_DATETIME", off: "UTC_DATETIME", whole: "UTC_DATETIME" },
      "page 1",
    );
    expect(row).toEqual({ at: "2024-05-01T10:22:56.319036Z", off: "2024-05-01T10:22:56.319036Z", whole: "2024-05-01T10:22:56Z" });
  });
});
