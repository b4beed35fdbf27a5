import { describe, expect, test } from "bun:test";
import { extractPage, identityOf, keyOf, type ResponseShape } from "../../src/connector/page";
import { syncOnce, tableRows, tempDb } from "../helpers/sync";
import type { FetchLike } from "../../src/connector/http/client";

const shape: ResponseShape = {
  records: "data",
  total: "total",
  total_pages: "total_pages",
  next_url: "next_page_url",
  next_token: "scroll_param",
  total_header: null,
};
const page = (body: string) => extractPage(JSON.parse(body), new Headers(), shape, "page 1", "http://api.test/a");

describe("extractPage records", () => {
  test("records come through as parsed, __proto__, prototype and constructor as own keys that pollute nothing", () => {
    const { records } = page('{"data": [{"id": 1, "a": "x"}, {"id": 2, "__proto__": {"admin": true}, "prototype": 1, "constructor": "c", "b": null}]}');
    expect(Object.keys(records[1] as object)).toEqual(["id", "__proto__", "prototype", "constructor", "b"]);
    expect(Object.getPrototypeOf(records[1])).toBe(Object.prototype);
    expect((records[1] as Record<string, unknown>).admin).toBeUndefined();
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  test("a record that is not an object fails the page and names it", () => {
    expect(() => page('{"data": [{"id": 1}, [2]]}')).toThrow("record 1 is [2]");
    expect(() => page('{"data": [{"id": 1}, null]}')).toThrow("record 1 is null");
  });
});

describe("identityOf", () => {
  test("equal exactly when keyOf is equal, for one-field and composite keys", () => {
    const records = [{ id: 1 }, { id: "1" }, { id: 0 }, { id: -0 }, { id: true }, { id: "true" }, { id: 'a"b' }, { id: 1.5 }, { id: "1.5" }];
    const sameMapKey = (x: unknown, y: unknown) => new Map([[x, 0]]).has(y);
    for (const a of records)
      for (const b of records) expect(sameMapKey(identityOf(a, ["id"]), identityOf(b, ["id"]))).toBe(keyOf(a, ["id"]) === keyOf(b, ["id"]));
    expect(identityOf({ a: 1, b: "x" }, ["a", "b"])).toBe(keyOf({ a: 1, b: "x" }, ["a", "b"]));
  });

  test('a page that lists a record twice, unchanged, keeps one copy; 1 and "1" are two keys', async () => {
    const db = tempDb();
    const data = [
      { id: 1, v: "same", updatedAt: "2024-01-01T00:00:00Z" },
      { id: "1", v: "text", updatedAt: "2024-01-01T00:00:00Z" },
      { id: 1, v: "same", updatedAt: "2024-01-01T00:00:00Z" },
    ];
    const fetch: FetchLike = async () => new Response(JSON.stringify({ data, scroll_param: null }), { headers: { "content-type": "application/json" } });
    const run = await syncOnce(db, { base_url: "http://api.test/items", strategy: "keyset" }, fetch);
    expect(run.summary).toMatchObject({ rows: 2, inserted: 1, updated: 1 });
    // The id column took INTEGER affinity from the first value, so SQLite stores "1" as 1: one row, the last copy.
    expect([...tableRows(db).values()].map((r) => r.v)).toEqual(["same"]);
  });

  test("a page that lists two different records under one key stops with exit 2, and writes nothing of the page", async () => {
    const db = tempDb();
    const data = [
      { id: 1, v: "first", updatedAt: "2024-01-01T00:00:00Z" },
      { id: 1, v: "last", updatedAt: "2024-01-01T00:00:00Z" },
    ];
    const fetch: FetchLike = async () => new Response(JSON.stringify({ data, scroll_param: null }), { headers: { "content-type": "application/json" } });
    const run = await syncOnce(db, { base_url: "http://api.test/items", strategy: "keyset" }, fetch);
    expect(run.error?.exitCode).toBe(2);
    expect(run.error?.message).toContain("records 0 and 1 share the primary key (id=1) but differ in 'v'");
    expect(tableRows(db).size).toBe(0);
  });
});
