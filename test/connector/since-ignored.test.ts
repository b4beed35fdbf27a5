// An API that ignores the since filter (real APIs ignore parameters they do not know: a plain list with
// offset/limit, page numbers or next links). Paging anchored on the filter failed on page 2, blaming the offset
// parameter ("the same records as the page before"), and every later sync failed on its first page: such an API
// could not be synced without knowing to set request.since_param to null. Found from outside with a lenient server.
import { describe, expect, test } from "bun:test";
import { items } from "../helpers/dialects";
import { LENIENT_PAGING, lenientApi } from "../helpers/lenient-server";
import { savedState, syncOnce, tableRows, tempDb } from "../helpers/sync";

const ids = (db: string) => [...tableRows(db).keys()].map(Number).sort((a, b) => a - b);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const base = { base_url: "http://plain.test/api/items", cursor_field: "modified", params: {} };
const strategies = [
  ...LENIENT_PAGING,
  { strategy: "link_header", style: "link", size: { per_page_param: "limit" }, response: { records: "", total_header: "X-Total-Count" } },
  { strategy: "keyset", style: "token", size: { token_param: "cursor" }, response: { records: "items", next_token: "next_cursor" } },
] as const;
const IGNORED = "the API does not filter by 'updated_since'";

describe("an API that ignores the since filter", () => {
  for (const { strategy, style, size, response } of strategies) {
    for (const pageSize of [20, 50]) {
      const capped = pageSize > 25 ? ", its page size capped below page_size" : "";
      test(`${strategy}${capped}: the whole list, said once; the next sync reads it again and gets every change`, async () => {
        const data = items(200, 3);
        const api = lenientApi(data, { style, sizeParam: "limit", sinceParam: null, maxPageSize: 25 });
        const db = tempDb();
        const config = { ...base, strategy, page_size: pageSize, request: { since_param: "updated_since", ...size }, response };
        const run = await syncOnce(db, config, api.fetch);
        expect(run.error).toBeUndefined();
        expect(ids(db)).toEqual(range(200));
        // Keyset pages on after its first page, whose rows the filter would have kept: only a later sync can tell.
        expect(run.logs.filter((line) => line.includes(IGNORED))).toHaveLength(strategy === "keyset" ? 0 : 1);
        // The filter ignored again: an update of an old row and a new row are both read.
        data[4] = { ...(data[4] as (typeof data)[number]), title: "changed" };
        data.push({ id: 201, title: "new", modified: "2025-04-01T00:00:00Z" });
        const again = await syncOnce(db, config, api.fetch);
        expect(again.error).toBeUndefined();
        expect(again.logs.filter((line) => line.includes(IGNORED))).toHaveLength(1);
        expect(again.summary?.inserted).toBe(1);
        expect(again.summary?.updated).toBe(1);
        expect(tableRows(db).get("5")?.title).toBe("changed");
        expect(ids(db)).toEqual(range(201));
      });
    }
  }

  test("a run stopped after the switch resumes without the filter and ends exact", async () => {
    const api = lenientApi(items(200, 3), { style: "offset", sizeParam: "limit", sinceParam: null, maxPageSize: 25 });
    const db = tempDb();
    const config = { ...base, strategy: "offset", page_size: 20, request: { since_param: "updated_since" } };
    const cut = await syncOnce(db, { ...config, max_pages: 4 }, api.fetch);
    expect(cut.error?.message).toContain("max_pages");
    const position = (savedState(db)?.run as { position?: { since?: unknown } } | undefined)?.position;
    expect(position?.since).toBeNull();
    const resumed = await syncOnce(db, config, api.fetch);
    expect(resumed.error).toBeUndefined();
    expect(ids(db)).toEqual(range(200));
  });

  test("an API that applies the filter is never taken for one that ignores it", async () => {
    const api = lenientApi(items(200, 3), { style: "offset", sizeParam: "limit", sinceParam: "updated_since", maxPageSize: 25 });
    const db = tempDb();
    const run = await syncOnce(db, { ...base, strategy: "offset", page_size: 20, request: { since_param: "updated_since" } }, api.fetch);
    expect(run.error).toBeUndefined();
    expect(ids(db)).toEqual(range(200));
    expect(run.logs.filter((line) => line.includes(IGNORED))).toEqual([]);
  });

  test("priority-first, which reads history through the filter, stops with exit 2 naming it", async () => {
    const api = lenientApi(items(600), { style: "offset", sizeParam: "limit", sinceParam: null, maxPageSize: 100 });
    const config = {
      ...base,
      strategy: "offset",
      page_size: 100,
      request: { since_param: "updated_since" },
      priority_first: true,
      window: "60s",
      max_duration: "1h",
    };
    const run = await syncOnce(tempDb(), config, api.fetch, { now: () => Date.parse("2025-03-01T00:10:00Z") });
    expect(run.error?.exitCode).toBe(2);
    expect(run.error?.message).toContain(`${IGNORED} (its first record has modified="2025-03-01T00:00:00Z"`);
    expect(run.error?.message).toContain("sync without --priority-first");
  });
});
