import { describe, expect, test } from "bun:test";
import { get, inOrder, mockApp, type User } from "./helpers";

describe("GET /pagination/page_number", () => {
  test("defaults to page 1, per_page 10 and answers data, page, page_size, total_pages, total_items", async () => {
    const mock = mockApp();
    const { status, body } = await get(mock, "/pagination/page_number");
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(["data", "page", "page_size", "total_pages", "total_items"]);
    expect(body).toMatchObject({ page: 1, page_size: 10, total_pages: 20, total_items: 200 });
    expect(body.data).toHaveLength(10);
  });

  test("page >= 1 and per_page 1-50, else 400", async () => {
    const mock = mockApp();
    for (const query of ["page=0", "page=-2", "page=x", "per_page=0", "per_page=51"]) {
      const { status, body } = await get(mock, `/pagination/page_number?${query}`);
      expect(status).toBe(400);
      expect(body.error).toStartWith(`Invalid value for '${query.split("=")[0]}'`);
    }
  });

  test("walking pages 1..total_pages returns every row once, in order; past the end is empty", async () => {
    const mock = mockApp({ records: 95 });
    const rows: User[] = [];
    let totalPages = 1;
    for (let page = 1; page <= totalPages && page < 100; page++) {
      const { body } = await get(mock, `/pagination/page_number?page=${page}&per_page=20`);
      totalPages = body.total_pages;
      rows.push(...body.data);
    }
    expect(totalPages).toBe(5);
    expect(rows).toHaveLength(95);
    expect(new Set(rows.map((r) => r.id)).size).toBe(95);
    expect(inOrder(rows, "updatedAt", "asc")).toBe(true);
    expect((await get(mock, "/pagination/page_number?page=6&per_page=20")).body.data).toEqual([]);
  });

  test("--max-page-size lifts the per_page bound", async () => {
    const mock = mockApp({ maxPageSize: 1000, records: 1200 });
    const { body } = await get(mock, "/pagination/page_number?per_page=1000&page=2");
    expect(body.data).toHaveLength(200);
    expect(body.total_pages).toBe(2);
  });
});
