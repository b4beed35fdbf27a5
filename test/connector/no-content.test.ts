// HTTP 204 (No Content) for a page with no rows: some APIs answer an incremental request with nothing new that way,
// others a page number past the last page. A 204 was taken for invalid JSON and retried until the sync failed.
import { describe, expect, test } from "bun:test";
import type { FetchLike } from "../../src/connector/http/client";
import { items } from "../helpers/dialects";
import { syncOnce, tableRows, tempDb } from "../helpers/sync";

const ids = (db: string) => [...tableRows(db).keys()].map(Number).sort((a, b) => a - b);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** Page numbers over `data` filtered by `since` (>=), no total; no rows at all is a 204. */
function api(data: ReturnType<typeof items>): { fetch: FetchLike; statuses: number[] } {
  const statuses: number[] = [];
  const fetch: FetchLike = async (request) => {
    const q = new URL(request.url).searchParams;
    const since = q.get("since") ?? "";
    const size = Number(q.get("per_page"));
    const page = Number(q.get("page"));
    const rows = data.filter((d) => d.modified >= since).slice((page - 1) * size, page * size);
    const response = rows.length === 0 ? new Response(null, { status: 204 }) : Response.json({ data: rows });
    statuses.push(response.status);
    return response;
  };
  return { fetch, statuses };
}

const config = { base_url: "http://nocontent.test/items", strategy: "page_number", cursor_field: "modified", page_size: 20, request: { since_param: "since" } };

describe("HTTP 204 for a page with no rows", () => {
  test("past the last page (plain page numbers, no total) ends the list: exact, exit 0", async () => {
    const server = api(items(100));
    const db = tempDb();
    const run = await syncOnce(db, { ...config, request: { since_param: null } }, server.fetch);
    expect(run.error).toBeUndefined();
    expect(ids(db)).toEqual(range(100));
    expect(server.statuses).toEqual([200, 200, 200, 200, 200, 204]);
  });

  test("an incremental sync with nothing new answered 204 is a no-op; the next change is read", async () => {
    const data = items(100);
    const server = api(data);
    const db = tempDb();
    expect((await syncOnce(db, config, server.fetch)).error).toBeUndefined();
    const empty: FetchLike = async () => new Response(null, { status: 204 });
    const again = await syncOnce(db, config, empty);
    expect(again.error).toBeUndefined();
    expect(again.summary?.rows).toBe(0);
    expect(again.summary?.requests).toBe(1);
    data.push({ id: 101, title: "new", modified: "2025-04-01T00:00:00Z" });
    const later = await syncOnce(db, config, server.fetch);
    expect(later.error).toBeUndefined();
    expect(later.summary?.inserted).toBe(1);
    expect(ids(db)).toEqual(range(101));
  });

  test("with strategy auto, a first answer of 204 is an error naming the fix, not a guess", async () => {
    const run = await syncOnce(tempDb(), { ...config, strategy: "auto" }, async () => new Response(null, { status: 204 }));
    expect(run.error?.message).toContain('HTTP 204 (no content): an empty answer cannot show how the API pages; set "strategy"');
  });
});
