// A row leaves a tie group (updated to a newer time) just before the page after a page boundary inside that group
// is read: page-numbered and followed-URL reads cannot overlap there, so the sync must notice afterwards (it re-reads
// the page before the boundary) and read the group again. Without that, one row would be skipped for good.
import { describe, expect, test } from "bun:test";
import type { FetchLike } from "../../src/connector/http/client";
import { savedState, syncOnce, tableRows, tempDb } from "../helpers/sync";

const PAGE = 20;
const T = "2025-03-01T10:00:00Z";
type Row = { id: string; updatedAt: string; name: string };

/** 5 rows before the group, a group of 3 pages at T, 10 rows after; ids sort within the group. */
function rows(): Row[] {
  const at = (minute: number) => `2025-03-01T${String(9 + Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}:00Z`;
  return [
    ...Array.from({ length: 5 }, (_, i) => ({ id: `a${i}`, updatedAt: at(i), name: "before" })),
    ...Array.from({ length: 3 * PAGE }, (_, i) => ({ id: `g${String(i).padStart(2, "0")}`, updatedAt: T, name: "group" })),
    ...Array.from({ length: 10 }, (_, i) => ({ id: `z${i}`, updatedAt: at(61 + i), name: "after" })),
  ];
}

/**
 * page/per_page (and a next_page_url carrying the page) over `updatedAt >= updated_since`, sorted by
 * (updatedAt, id). `beforeServing` may change the rows before a request is answered.
 */
function api(data: Row[], beforeServing: (url: URL) => void): FetchLike {
  return async (request) => {
    const url = new URL(request.url);
    beforeServing(url);
    const since = url.searchParams.get("updated_since") ?? "";
    const page = Number(url.searchParams.get("page") ?? 1);
    const perPage = Number(url.searchParams.get("per_page") ?? PAGE);
    const list = data
      .filter((r) => r.updatedAt >= since)
      .sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : a.id < b.id ? -1 : 1));
    const slice = list.slice((page - 1) * perPage, page * perPage);
    const totalPages = Math.max(1, Math.ceil(list.length / perPage));
    const next = new URL(url);
    next.searchParams.set("page", String(page + 1));
    const body = {
      data: slice,
      page,
      page_size: perPage,
      total_pages: totalPages,
      total_items: list.length,
      next_page_url: page < totalPages ? next.href : null,
    };
    return new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });
  };
}

describe("a row leaves a tie group across a page boundary inside it", () => {
  for (const strategy of ["page_number", "next_page_url"] as const) {
    test(`${strategy}: the group is read again and no row is lost`, async () => {
      const data = rows();
      let moved = false;
      // The first read of the group's second page (rows 20-39 at T): g03, already read, is updated first, so
      // every later row of the group shifts one place forward and g20 would fall behind the boundary.
      const fetch = api(data, (url) => {
        if (moved || url.searchParams.get("updated_since") !== T || url.searchParams.get("page") !== "2") return;
        const row = data.find((r) => r.id === "g03") as Row;
        Object.assign(row, { updatedAt: "2025-03-01T12:00:00Z", name: "updated" });
        moved = true;
      });
      const db = tempDb();
      const run = await syncOnce(db, { base_url: "http://api.test/items", strategy, page_size: PAGE, max_pages: 100 }, fetch);
      expect(run.error).toBeUndefined();
      expect(moved).toBe(true);
      expect(run.summary?.restarts).toBeGreaterThan(0);
      const table = tableRows(db);
      expect([...table.keys()].sort()).toEqual(data.map((r) => r.id).sort());
      expect(table.get("g03")).toMatchObject({ name: "updated", updatedAt: "2025-03-01T12:00:00Z" });
      expect(savedState(db)).toMatchObject({ run: null, cursor: "2025-03-01T12:00:00Z" });
    });
  }
});
