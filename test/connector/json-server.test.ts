// json-server 1.x, as measured against the real one (1.0.0-beta.15): `_page`/`_per_page`, a body of
// { first, prev, next, last, pages, items, data } that says `pages: 1` for an empty list, and every query parameter
// it does not know taken as a field that must equal the value. With the default since_param the first sync got an
// empty list and blamed 0-based page numbers; with a filter that matched nothing it would have ended, exit 0, empty.
import { describe, expect, test } from "bun:test";
import type { FetchLike } from "../../src/connector/http/client";
import { items } from "../helpers/dialects";
import { syncOnce, tableRows, tempDb } from "../helpers/sync";

function jsonServer1(data: ReturnType<typeof items>): FetchLike {
  return async (request) => {
    const q = new URL(request.url).searchParams;
    let list = [...data];
    for (const [name, value] of q) {
      if (name.startsWith("_")) continue;
      const [field, op] = name.split(":");
      list = list.filter((row) => (op === "gte" ? String(row[field as string]) >= value : String(row[field as string]) === value));
    }
    const sort = q.get("_sort");
    if (sort) list.sort((a, b) => (String(a[sort]) < String(b[sort]) ? -1 : String(a[sort]) > String(b[sort]) ? 1 : 0));
    const size = Number(q.get("_per_page")) || 10;
    const page = Number(q.get("_page")) || 1;
    const pages = Math.max(1, Math.ceil(list.length / size));
    const next = page < pages ? page + 1 : null;
    return Response.json({
      first: 1,
      prev: page > 1 ? page - 1 : null,
      next,
      last: pages,
      pages,
      items: list.length,
      data: list.slice((page - 1) * size, page * size),
    });
  };
}

const config = {
  base_url: "http://json-server.test/items",
  strategy: "page_number",
  cursor_field: "modified",
  page_size: 25,
  params: { _sort: "modified" },
  request: { page_param: "_page", per_page_param: "_per_page", since_param: "modified:gte" },
  response: { records: "data", total: "items", total_pages: "pages" },
};
const ids = (db: string) => [...tableRows(db).keys()].map(Number).sort((a, b) => a - b);

describe("json-server 1.x", () => {
  test("with its filter: every row, and a sync past every row is an empty list, not a page-numbering error", async () => {
    const fetch = jsonServer1(items(300, 3));
    const db = tempDb();
    const run = await syncOnce(db, config, fetch);
    expect(run.error).toBeUndefined();
    expect(ids(db)).toHaveLength(300);
    const future = await syncOnce(tempDb(), { ...config, initial_cursor: "2030-01-01T00:00:00Z" }, fetch);
    expect(future.error).toBeUndefined();
    expect(future.summary?.rows).toBe(0);
  });

  test("with the default since_param (an equality filter there): exit 2 naming the parameter and the fix, nothing written", async () => {
    const db = tempDb();
    const { request: _, ...rest } = config;
    const run = await syncOnce(db, { ...rest, request: { page_param: "_page", per_page_param: "_per_page" } }, jsonServer1(items(300, 3)));
    expect(run.error?.exitCode).toBe(2);
    expect(run.error?.message).toContain("no rows with updated_since=0001-01-01T00:00:00Z, which every row passes, but 25 without it");
    expect(run.error?.message).toContain("'modified_gte' or 'modified:gte'");
    expect(tableRows(db).size).toBe(0);
  });

  test("page names it does not know (page, per_page: equality filters there): exit 2 naming them, not an empty sync", async () => {
    const db = tempDb();
    const { request: _, ...rest } = config;
    const run = await syncOnce(db, { ...rest, request: { since_param: "modified:gte" } }, jsonServer1(items(300, 3)));
    expect(run.error?.exitCode).toBe(2);
    expect(run.error?.message).toContain("no rows, but 10 with only the configured params (2 requests to tell)");
    expect(run.error?.message).toContain("one of 'page' (request.page_param), 'per_page' (request.per_page_param) empties the list");
    expect(tableRows(db).size).toBe(0);
  });

  test("a list that is empty with or without the filter is an empty sync, exit 0", async () => {
    const run = await syncOnce(tempDb(), config, jsonServer1([]));
    expect(run.error).toBeUndefined();
    expect(run.summary?.rows).toBe(0);
  });
});
