// Page numbers from 0 (Spring) read as if from 1 skip the API's first page. Where no total tells, the API's own page
// count does: a page it counts that comes back empty.
import { describe, expect, test } from "bun:test";
import type { FetchLike } from "../../src/connector/http/client";
import { items, type Item } from "../helpers/dialects";
import { syncOnce, tableRows, tempDb } from "../helpers/sync";

/** Spring-like: `?page=&size=`, `{content, number}` and a page count (or an element count), pages from `first`. */
function pagedApi(data: Item[], first: 0 | 1, count: "totalPages" | "totalElements" = "totalPages") {
  const fetch: FetchLike = async (request) => {
    const url = new URL(request.url);
    const since = url.searchParams.get("since");
    const list = since ? data.filter((d) => d.modified >= since) : data;
    const index = Number(url.searchParams.get("page") ?? first) - first;
    const size = Number(url.searchParams.get("size") ?? 20);
    const counted = count === "totalPages" ? { totalPages: Math.ceil(list.length / size) } : { totalElements: list.length };
    return Response.json({ content: list.slice(index * size, (index + 1) * size), number: index + first, ...counted });
  };
  return fetch;
}
const config = (since_param: string | null, first_page?: number) => ({
  base_url: "http://spring.test/things",
  strategy: "page_number",
  page_size: 20,
  cursor_field: "modified",
  params: {},
  request: { since_param, per_page_param: "size", ...(first_page === undefined ? {} : { first_page }) },
  response: { records: "content", total_pages: "totalPages" },
});
const ids = (db: string) => [...tableRows(db).keys()].map(Number).sort((a, b) => a - b);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe("page numbers from 0, read from 1", () => {
  test("no cursor filter: the empty page the count includes stops the sync with exit 2, naming request.first_page", async () => {
    const db = tempDb();
    const run = await syncOnce(db, config(null), pagedApi(items(95), 0));
    expect(run.error?.code).toBe("page_numbering");
    expect(run.error?.exitCode).toBe(2);
    expect(run.error?.message).toContain("but the API reports");
    expect(run.error?.message).toContain("Set request.first_page to 0");
  });

  test("a cursor filter: stopped at the first page boundary, the message naming request.first_page too", async () => {
    const run = await syncOnce(tempDb(), config("since"), pagedApi(items(95), 0));
    expect(run.error?.exitCode).toBe(2);
    expect(run.error?.message).toContain("set request.first_page to 0");
  });

  for (const since of [null, "since"])
    test(`first_page 0 configured, since_param ${since}: exact`, async () => {
      const db = tempDb();
      const run = await syncOnce(db, config(since, 0), pagedApi(items(95), 0));
      expect(run.error).toBeUndefined();
      expect(ids(db)).toEqual(range(95));
    });

  for (const count of ["totalPages", "totalElements"] as const)
    test(`pages from 1, 20 rows deleted after page 4 (the API gives ${count}): the page they moved onto is read again; exact`, async () => {
      const data = items(95);
      const api = pagedApi(data, 1, count);
      let served = 0;
      const fetch: FetchLike = async (request) => {
        const response = await api(request);
        if (++served === 4) data.splice(0, 20);
        return response;
      };
      const db = tempDb();
      const response = count === "totalPages" ? { records: "content", total_pages: "totalPages" } : { records: "content", total: "totalElements" };
      const run = await syncOnce(db, { ...config(null), response }, fetch);
      // Page 5 is empty and the count now says 75 rows: consistent, not a numbering problem; rows 81-95 moved onto
      // page 4, which is read again.
      expect(run.error).toBeUndefined();
      expect(ids(db)).toEqual(range(95));
      expect(run.logs.join("\n")).toContain("rows may have moved onto pages already read, so 1 page is read again");
    });
});
