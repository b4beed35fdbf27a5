// Issue 14 §4: a new field in the source adds its column with one notice line and a schema change in the summary.
import { describe, expect, test } from "bun:test";
import { formatSummary } from "../../src/cli/sync-output";
import type { FetchLike } from "../../src/connector/http/client";
import { syncOnce, tableRows, tempDb } from "../helpers/sync";

const json = (body: unknown) => new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });

/** A keyset API over fixed pages: the token is the next page's index. */
function tokenPages(pages: Record<string, unknown>[][]): FetchLike {
  return async (request) => {
    const token = new URL(request.url).searchParams.get("scroll_param");
    const i = token === null ? 0 : Number(token);
    return json({ data: pages[i], scroll_param: i + 1 < pages.length ? String(i + 1) : null });
  };
}

describe("schema changes", () => {
  test("a field that appears on page 2 adds a column, logged once and listed in the summary", async () => {
    const pages = [
      [{ id: "a", name: "A", updatedAt: "2024-01-01T00:00:00Z" }],
      [{ id: "b", name: "B", updatedAt: "2024-01-02T00:00:00Z", email: "b@x.test" }],
      [{ id: "c", name: "C", updatedAt: "2024-01-03T00:00:00Z", email: "c@x.test" }],
    ];
    const fetch = tokenPages(pages);
    const db = tempDb();
    const run = await syncOnce(db, { base_url: "http://api.test/items", strategy: "keyset" }, fetch);
    expect(run.error).toBeUndefined();
    expect(tableRows(db).get("b")?.email).toBe("b@x.test");
    expect(run.summary?.schema_changes).toEqual([{ change: "add_column", column: "email", type: "TEXT", page: 2 }]);
    expect(run.logs.filter((line) => line.includes("schema change"))).toHaveLength(1);
    expect(formatSummary(run.summary as NonNullable<typeof run.summary>)).toMatch(/^schema changes +added column email TEXT \(page 2\)$/m);

    const again = await syncOnce(db, { base_url: "http://api.test/items", strategy: "keyset" }, fetch);
    expect(again.summary?.schema_changes).toBeUndefined();
  });

  test("values that do not fit their numeric column are reported once per column, counted, and stored as they are", async () => {
    const pages = [
      [{ id: "a", age: 30, score: 1.5, updatedAt: "2024-01-01T00:00:00Z" }],
      [
        { id: "b", age: "unknown", score: 2, updatedAt: "2024-01-02T00:00:00Z" },
        { id: "c", age: 4.5, score: "n/a", updatedAt: "2024-01-02T00:00:01Z" },
      ],
      [
        { id: "d", age: "n/a", score: { v: 1 }, updatedAt: "2024-01-03T00:00:00Z" },
        { id: "e", age: "41", score: "2.5", updatedAt: "2024-01-03T00:00:01Z" },
      ],
    ];
    const fetch = tokenPages(pages);
    const db = tempDb();
    const run = await syncOnce(db, { base_url: "http://api.test/items", strategy: "keyset" }, fetch);
    expect(run.error).toBeUndefined();
    expect(run.summary?.schema_changes).toEqual([
      { change: "type_conflict", column: "age", type: "INTEGER", found: "TEXT", rows: 2, sample: "unknown", page: 2 },
      { change: "type_conflict", column: "age", type: "INTEGER", found: "REAL", rows: 1, sample: "4.5", page: 2 },
      { change: "type_conflict", column: "score", type: "REAL", found: "TEXT", rows: 1, sample: "n/a", page: 2 },
      { change: "type_conflict", column: "score", type: "REAL", found: "JSON", rows: 1, sample: '{"v":1}', page: 3 },
    ]);
    // Numeric text ("41", "2.5") fits: SQLite stores it as a number.
    expect(run.logs.filter((line) => line.includes("schema change: field"))).toHaveLength(4);
    expect(tableRows(db).get("b")?.age).toBe("unknown");
    expect(tableRows(db).get("e")?.age).toBe(41);
    expect(formatSummary(run.summary as NonNullable<typeof run.summary>)).toContain("2 TEXT value(s) in INTEGER column age (from page 2)");
  });
});
