// Real-API dialects, second half: declared column types, reported totals, every name configurable.
import { describe, expect, test } from "bun:test";
import { inProcessMock } from "../helpers/mock";
import type { FetchLike } from "../../src/connector/http/client";
import { items } from "../helpers/dialects";
import { savedState, syncOnce, tableRows, tempDb } from "../helpers/sync";

const ids = (db: string) => [...tableRows(db).keys()].map(Number).sort((a, b) => a - b);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe("declared column types", () => {
  const api = () => {
    const data = items(6).map((item, i) => ({
      ...item,
      id: String(item.id),
      score: i % 2 ? "2.5" : 3,
      active: i % 2 ? "true" : 0,
      tags: ["a", i],
      seen: "2025-03-01T10:00:00+02:00",
      big: "9007199254740993",
    }));
    return {
      data,
      fetch: (async () =>
        new Response(JSON.stringify({ data, total: data.length, offset: 0, limit: 50 }), { headers: { "content-type": "application/json" } })) as FetchLike,
    };
  };
  const base = { base_url: "http://typed.test/x", strategy: "offset", cursor_field: "modified", params: {}, request: { since_param: null } };

  test("values are stored in the SQLite types the declared columns name", async () => {
    const { fetch } = api();
    const db = tempDb();
    const columns = {
      id: "INT",
      score: "DOUBLE",
      active: "BOOLEAN",
      tags: "JSON",
      seen: "UTC_DATETIME",
      big: "LONG",
      title: "STRING",
      modified: "UTC_DATETIME",
      never_sent: "STRING",
    };
    const run = await syncOnce(db, { ...base, columns }, fetch);
    expect(run.error).toBeUndefined();
    const { Database } = await import("bun:sqlite");
    const sqlite = new Database(db);
    const row = sqlite
      .query(
        "SELECT typeof(id) AS id, id AS idv, typeof(score) AS score, active, tags, seen, CAST(big AS TEXT) AS big, typeof(big) AS bigt, never_sent FROM user ORDER BY id LIMIT 1 OFFSET 1",
      )
      .get();
    const declared = sqlite.query("SELECT name, type FROM pragma_table_info('user') WHERE name IN ('id', 'score', 'never_sent')").all();
    sqlite.close();
    expect(row).toEqual({
      id: "integer",
      idv: 2,
      score: "real",
      active: 1,
      tags: '["a",1]',
      seen: "2025-03-01T08:00:00Z",
      big: "9007199254740993",
      bigt: "integer",
      never_sent: null,
    });
    expect(declared).toEqual([
      { name: "id", type: "INTEGER" },
      { name: "score", type: "REAL" },
      { name: "never_sent", type: "TEXT" },
    ]);
  });

  test("a value that does not fit its declared type fails the page, naming the record and field", async () => {
    const { data, fetch } = api();
    (data[3] as Record<string, unknown>).score = "lots";
    const db = tempDb();
    const run = await syncOnce(db, { ...base, columns: { score: "DOUBLE" } }, fetch);
    expect(run.error?.message).toContain(`record 3 field 'score' is declared DOUBLE but has "lots"`);
    expect(tableRows(db).size).toBe(0);
  });
});

describe("reported totals", () => {
  // An API that reports 10 rows but delivers 7.
  const shortApi: FetchLike = async (request) => {
    const offset = Number(new URL(request.url).searchParams.get("offset") ?? 0);
    const data = items(7).slice(offset, offset + 5);
    return new Response(JSON.stringify({ data, total: 10, offset, limit: 5 }), { headers: { "content-type": "application/json" } });
  };
  const config = { base_url: "http://short.test/x", strategy: "offset", page_size: 5, cursor_field: "modified", params: {}, request: { since_param: null } };

  test("with strict_totals: false a shortfall against the reported total is a warning in the summary", async () => {
    const run = await syncOnce(tempDb(), { ...config, strict_totals: false }, shortApi);
    expect(run.summary?.expected).toBe(10);
    expect(run.summary?.warnings).toEqual([
      "page 3 (http://short.test/x?offset=6&limit=3): the pages ended after 7 of the 10 rows the API reports (strict_totals is off)",
    ]);
  });

  test("by default it is an error and the run is not marked finished; the next run fails the same way", async () => {
    const db = tempDb();
    const run = await syncOnce(db, config, shortApi);
    expect(run.error?.message).toContain("the pages ended after 7 of the 10 rows the API reports");
    expect((savedState(db) as { run: unknown }).run).not.toBeNull();
    const resumed = await syncOnce(db, config, shortApi);
    expect(resumed.error?.message).toContain("the pages ended after 7 of the 10 rows the API reports");
  });

  test("the mock's total_items is found without configuration, and an exact sync has no warning", async () => {
    const { fetch } = inProcessMock({ records: 45, seed: 1 });
    const run = await syncOnce(tempDb(), { base_url: "http://mock.test/pagination/page_number", strategy: "page_number", page_size: 10 }, fetch);
    expect(run.summary?.expected).toBe(45);
    expect(run.summary?.warnings).toEqual([]);
  });
});

describe("every name configurable", () => {
  const respond = (body: unknown, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), { headers: { "content-type": "application/json", ...headers } });

  test("skip/take offsets with the total in a header, filtered by a custom since parameter", async () => {
    const data = items(37, 3);
    const seen: URL[] = [];
    const fetch: FetchLike = async (request) => {
      const url = new URL(request.url);
      seen.push(url);
      const from = url.searchParams.get("changedSince") ?? "";
      const list = data.filter((d) => d.modified >= from);
      const skip = Number(url.searchParams.get("skip"));
      return respond({ result: { rows: list.slice(skip, skip + Number(url.searchParams.get("take"))) } }, { "X-Count": String(list.length) });
    };
    const db = tempDb();
    const config = {
      base_url: "http://odd.test/v2/list",
      strategy: "offset",
      page_size: 8,
      cursor_field: "modified",
      params: {},
      request: { offset_param: "skip", limit_param: "take", since_param: "changedSince" },
      response: { records: "result.rows", total_header: "X-Count" },
    };
    const run = await syncOnce(db, config, fetch);
    expect(run.error).toBeUndefined();
    expect(ids(db)).toEqual(range(37));
    expect(run.summary?.expected).toBe(37);
    // Every page request names all three; one more counts the list without the filter, one row (filter-checks.ts).
    const paged = seen.filter((u) => u.searchParams.has("changedSince"));
    expect(paged.every((u) => u.searchParams.has("skip") && u.searchParams.has("take"))).toBe(true);
    expect(seen.filter((u) => !u.searchParams.has("changedSince")).map((u) => u.search)).toEqual(["?take=1"]);
  });

  test("explicit next_url and next_token paths", async () => {
    const data = items(25);
    const byUrl: FetchLike = async (request) => {
      const page = Number(new URL(request.url).searchParams.get("p") ?? 0);
      const more = (page + 1) * 10 < data.length;
      return respond({ payload: data.slice(page * 10, page * 10 + 10), links: { next: more ? `/feed?p=${page + 1}` : null } });
    };
    const db1 = tempDb();
    const a = await syncOnce(
      db1,
      {
        base_url: "http://feed.test/feed",
        strategy: "next_page_url",
        cursor_field: "modified",
        params: {},
        request: { since_param: null },
        response: { records: "payload", next_url: "links.next" },
      },
      byUrl,
    );
    expect(a.error).toBeUndefined();
    expect(ids(db1)).toEqual(range(25));

    const byToken: FetchLike = async (request) => {
      const page = Number(new URL(request.url).searchParams.get("after") ?? 0);
      const more = (page + 1) * 10 < data.length;
      return respond({ items: data.slice(page * 10, page * 10 + 10), paging: { cursor: more ? String(page + 1) : null } });
    };
    const db2 = tempDb();
    const b = await syncOnce(
      db2,
      {
        base_url: "http://feed.test/items",
        strategy: "keyset",
        cursor_field: "modified",
        params: {},
        request: { since_param: null, token_param: "after" },
        response: { records: "items", next_token: "paging.cursor" },
      },
      byToken,
    );
    expect(b.error).toBeUndefined();
    expect(ids(db2)).toEqual(range(25));
  });
});
