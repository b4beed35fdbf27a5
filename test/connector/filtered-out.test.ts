// Rows a since filter never returns: SQL's `modified >= x` is false for a NULL, so a row without a cursor value is
// in the API's list but in no filtered page, and no incremental sync would ever read it (exit 0, rows missing, no
// page showing it). A first sync from the start compares the filtered total with the list's own and says so.
import { expect, test } from "bun:test";
import type { FetchLike } from "../../src/connector/http/client";
import { items } from "../helpers/dialects";
import { LENIENT_PAGING, lenientApi } from "../helpers/lenient-server";
import { syncOnce, tableRows, tempDb } from "../helpers/sync";

const base = { base_url: "http://lenient.test/api/items", cursor_field: "modified", params: {}, page_size: 30 };

for (const { strategy, style, size, response } of LENIENT_PAGING) {
  test(`${strategy}: three rows without a cursor value are named in a warning; none: no warning, one request more`, async () => {
    const config = { ...base, strategy, request: { since_param: "updated_since", ...size }, response };
    const clean = lenientApi(items(100), { style, sizeParam: "limit", sinceParam: "updated_since" });
    const fine = await syncOnce(tempDb(), config, clean.fetch);
    expect(fine.error).toBeUndefined();
    expect(fine.summary?.warnings).toEqual([]);
    // One request without the filter, for one row (its total is all it needs).
    const aside = clean.requests.filter((r) => !new URL(r.url).searchParams.has("updated_since")).map((r) => new URL(r.url).searchParams.get("limit"));
    expect(aside).toEqual(["1"]);

    const data = items(100).map((item) => ([10, 20, 30].includes(item.id) ? { ...item, modified: null as unknown as string } : item));
    const api = lenientApi(data, { style, sizeParam: "limit", sinceParam: "updated_since" });
    const db = tempDb();
    const run = await syncOnce(db, config, api.fetch);
    expect(run.error).toBeUndefined();
    expect(tableRows(db).size).toBe(97);
    const warning = run.summary?.warnings.find((w) => w.includes("rows are never returned with the filter"));
    expect(warning).toContain("the API counts 100 rows without 'updated_since' and 97 with updated_since=0001-01-01T00:00:00Z");
    expect(warning).toContain("3 rows are never returned with the filter (a null modified?)");
    expect(run.logs.join("\n")).toContain("3 rows are never returned");
    // The next sync starts from its cursor: no second look.
    const again = await syncOnce(db, config, api.fetch);
    expect(again.summary?.warnings).toEqual([]);
  });
}

test("an API that refuses a request without its since filter (HTTP 400): the first sync goes on as before, full or empty", async () => {
  for (const rows of [40, 0]) {
    const api = lenientApi(items(rows), { style: "offset", sizeParam: "limit", sinceParam: "updated_since" });
    const fetch: FetchLike = async (request) =>
      new URL(request.url).searchParams.has("updated_since") ? api.fetch(request) : new Response('{"error":"updated_since is required"}', { status: 400 });
    const db = tempDb();
    const run = await syncOnce(
      db,
      { ...base, strategy: "offset", request: { since_param: "updated_since" }, response: { records: "data", total: "total" } },
      fetch,
    );
    expect(run.error).toBeUndefined();
    expect(run.summary?.warnings).toEqual([]);
    expect(tableRows(db).size).toBe(rows);
  }
});
