// Issue 14 §3: a cursor value that is not a timestamp, or one far in the future, is never silently saved as the cursor.
import { describe, expect, test } from "bun:test";
import type { FetchLike } from "../../src/connector/http/client";
import { savedState, syncOnce, tableRows, tempDb } from "../helpers/sync";

const json = (body: unknown) => new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });
/** One page of `rows` from an offset API that filters by updated_since. */
function serve(rows: { id: string; updatedAt: string }[]): FetchLike {
  return async (request) => {
    const since = new URL(request.url).searchParams.get("updated_since") ?? "";
    const data = rows.filter((r) => r.updatedAt >= since);
    return json({ data, offset: 0, limit: 50, total: data.length });
  };
}

describe("cursor values", () => {
  test("'not a date' as the cursor fails the page naming the field, and nothing is saved", async () => {
    const db = tempDb();
    const run = await syncOnce(
      db,
      { base_url: "http://api.test/items", strategy: "offset" },
      serve([
        { id: "a", updatedAt: "2024-01-01T00:00:00Z" },
        { id: "b", updatedAt: "not a date" },
      ]),
    );
    expect(run.error?.message).toContain(`cursor field 'updatedAt' = "not a date" is not a timestamp`);
    expect(run.error?.exitCode).toBe(1);
    expect((savedState(db) as { cursor?: unknown } | null)?.cursor ?? null).toBeNull();
  });

  test("a cursor far in the future is stored but not saved as the cursor, with a loud warning", async () => {
    const db = tempDb();
    const run = await syncOnce(
      db,
      { base_url: "http://api.test/items", strategy: "offset" },
      serve([
        { id: "a", updatedAt: "2024-01-01T00:00:00Z" },
        { id: "b", updatedAt: "9999-12-31T23:59:59Z" },
      ]),
      { now: () => Date.parse("2025-01-01T00:00:00Z") },
    );
    expect(run.error).toBeUndefined();
    expect(tableRows(db).size).toBe(2);
    expect((savedState(db) as { cursor: unknown }).cursor).toBe("2024-01-01T00:00:00Z");
    expect(run.summary?.warnings.join("\n")).toContain(`updatedAt more than a day in the future (e.g. "9999-12-31T23:59:59Z")`);
  });
});
