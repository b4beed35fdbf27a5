// Issue 14 §2: pages that are not what was asked for, against a lenient server that ignores what it does not know.
import { describe, expect, test } from "bun:test";
import type { FetchLike } from "../../src/connector/http/client";
import { inProcessMock } from "../helpers/mock";
import { items } from "../helpers/dialects";
import { lenientApi } from "../helpers/lenient-server";
import { syncOnce, tableRows, tempDb } from "../helpers/sync";

const ids = (db: string) => [...tableRows(db).keys()].map(Number).sort((a, b) => a - b);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const base = { base_url: "http://lenient.test/api/items", cursor_field: "modified", params: {} };
const paths = (requests: Request[], name: string) => requests.map((r) => new URL(r.url).searchParams.get(name));

describe("a repeated page (the server ignored the paging parameter)", () => {
  test("page_number: a page parameter the server does not know fails naming it, not exit 0 with rows missing", async () => {
    const api = lenientApi(items(1000), { style: "page", pageParam: "pageIndex", sinceParam: null });
    const db = tempDb();
    const run = await syncOnce(db, { ...base, strategy: "page_number", page_size: 100, request: { since_param: null } }, api.fetch);
    expect(run.error?.message).toContain("same records as the page before");
    expect(run.error?.message).toContain("'page' (request.page_param)");
    expect(api.requests).toHaveLength(2);
  });

  test("offset: an offset parameter the server does not know fails naming it", async () => {
    const api = lenientApi(items(300), { style: "offset", offsetParam: "start", sizeParam: "limit" });
    const run = await syncOnce(tempDb(), { ...base, strategy: "offset", page_size: 50, request: { since_param: null } }, api.fetch);
    expect(run.error?.message).toContain("'offset' (request.offset_param)");
    expect(api.requests.length).toBeLessThanOrEqual(3);
  });

  test("keyset: a token parameter the server does not know fails naming it", async () => {
    const api = lenientApi(items(300), { style: "token", tokenParam: "after", sizeParam: "limit" });
    const config = {
      ...base,
      strategy: "keyset",
      request: { since_param: null, token_param: "cursor" },
      response: { records: "items", next_token: "next_cursor" },
    };
    const run = await syncOnce(tempDb(), config, api.fetch);
    expect(run.error?.message).toContain("'cursor' (request.token_param)");
  });

  test("legitimate re-reads (tie proofs inside tie groups larger than a page) are not repeated pages", async () => {
    const api = lenientApi(items(400, 90), { style: "page", maxPageSize: 1000 });
    const db = tempDb();
    const run = await syncOnce(db, { ...base, strategy: "page_number", page_size: 30, request: { since_param: "since" } }, api.fetch);
    expect(run.error).toBeUndefined();
    expect(ids(db)).toEqual(range(400));
  });
});

describe("a server that caps the page size, or ignores its parameter", () => {
  for (const strategy of ["page_number", "next_page_url"] as const) {
    test(`${strategy}, re-anchored, page_size 200 against a cap of 100: exact, said once, and again on the next run`, async () => {
      const data = items(3000, 150);
      const api = lenientApi(data, { style: strategy === "page_number" ? "page" : "next", maxPageSize: 100 });
      const db = tempDb();
      const config = {
        ...base,
        strategy,
        page_size: 200,
        request: { since_param: "since" },
        response: strategy === "page_number" ? { records: "data", total: "total" } : { records: "results", next_url: "next", total: "count" },
      };
      const run = await syncOnce(db, config, api.fetch);
      expect(run.error).toBeUndefined();
      expect(ids(db)).toEqual(range(3000));
      expect(run.logs.filter((l) => l.includes("returned 100 rows where 200 were asked"))).toHaveLength(1);
      data.push({ id: 3001, title: "new", modified: "2025-04-01T00:00:00Z" });
      const again = await syncOnce(db, config, api.fetch);
      expect(again.error).toBeUndefined();
      expect(again.summary?.inserted).toBe(1);
      expect(ids(db)).toEqual(range(3001));
    });
  }

  test("page numbers and a total only (DRF's count): page_size 200 against a cap of 100 is exact, not cut at the asked size", async () => {
    const api = lenientApi(items(150), { style: "next", maxPageSize: 100, sinceParam: null });
    const db = tempDb();
    const run = await syncOnce(
      db,
      { ...base, strategy: "page_number", page_size: 200, request: { since_param: null }, response: { records: "results", total: "count" } },
      api.fetch,
    );
    expect(run.error).toBeUndefined();
    expect(ids(db)).toEqual(range(150));
  });

  test("a run stopped part-way against a capped server resumes exact, and does not report success with rows unread", async () => {
    const api = lenientApi(items(1200, 150), { style: "page", maxPageSize: 100 });
    const db = tempDb();
    const config = { ...base, strategy: "page_number", page_size: 200, request: { since_param: "since" } };
    const cut = await syncOnce(db, { ...config, max_pages: 4 }, api.fetch);
    expect(cut.error?.message).toContain("max_pages");
    const resumed = await syncOnce(db, config, api.fetch);
    expect(resumed.error).toBeUndefined();
    expect(resumed.summary?.resumed).toBe(true);
    expect(ids(db)).toEqual(range(1200));
  });

  test("a size parameter the server does not know: paged by its default, and the message names the parameter", async () => {
    const api = lenientApi(items(500), { style: "page", sizeParam: "page_size", defaultPageSize: 25, sinceParam: null });
    const db = tempDb();
    const run = await syncOnce(db, { ...base, strategy: "page_number", page_size: 100, request: { since_param: null } }, api.fetch);
    expect(run.error).toBeUndefined();
    expect(ids(db)).toEqual(range(500));
    expect(run.logs.join("\n")).toContain("'per_page' (request.per_page_param)");
  });
});

describe("settings a strategy cannot ignore silently", () => {
  test("keyset sends page_size as request.limit_param", async () => {
    const { mock } = inProcessMock({ records: 1000, seed: 3, maxPageSize: 1000 });
    const requests: string[] = [];
    const fetch: FetchLike = (request) => (requests.push(request.url), mock.fetch(request));
    const db = tempDb();
    const run = await syncOnce(db, { base_url: "http://mock.test/pagination/keyset", strategy: "keyset", page_size: 250 }, fetch);
    expect(run.error).toBeUndefined();
    expect(tableRows(db).size).toBe(1000);
    expect(requests).toHaveLength(4);
    expect(requests.every((url) => new URL(url).searchParams.get("limit") === "250")).toBe(true);
  });

  test("a cursor filter the API does not have: initial_cursor and lookback_seconds are said to be unhonoured", async () => {
    const api = lenientApi(items(30), { style: "offset", sizeParam: "limit", sinceParam: null });
    const run = await syncOnce(
      tempDb(),
      { ...base, strategy: "offset", initial_cursor: "2025-03-01T00:00:10Z", lookback_seconds: 60, request: { since_param: null } },
      api.fetch,
    );
    expect(run.error).toBeUndefined();
    expect(run.logs.join("\n")).toContain("initial_cursor and lookback_seconds cannot be honoured: request.since_param is null");
  });

  test("a forced next_page_url on an API that leaves 'next' out of its only page is not a misfit", async () => {
    const api = lenientApi(items(5), { style: "offset", sizeParam: "limit", sinceParam: null });
    const db = tempDb();
    const run = await syncOnce(db, { ...base, strategy: "next_page_url", request: { since_param: null }, response: { next_url: "next" } }, api.fetch);
    expect(run.error).toBeUndefined();
    expect(ids(db)).toEqual(range(5));
  });

  test("--strategy keyset on an offset endpoint exits 2 naming what the response lacks and what it looks like", async () => {
    const { fetch } = inProcessMock({ records: 202, seed: 1 });
    const db = tempDb();
    const run = await syncOnce(db, { base_url: "http://mock.test/pagination/offset", strategy: "keyset" }, fetch);
    expect(run.error?.exitCode).toBe(2);
    expect(run.error?.message).toContain("no 'scroll_param' (response.next_token)");
    expect(run.error?.message).toContain("looks like offset");
    expect(tableRows(db).size).toBe(0);
  });
});

describe("fewer rows than the API's total", () => {
  /** A server whose next link stops after two pages while its count says more. */
  const shortApi = () => {
    const api = lenientApi(items(100), { style: "next", sinceParam: null });
    const fetch: FetchLike = async (request) => {
      const response = await api.fetch(request);
      const body = (await response.json()) as { next: string | null };
      if (new URL(request.url).searchParams.get("page") === "2") body.next = null;
      return Response.json(body);
    };
    return fetch;
  };
  const config = {
    ...base,
    strategy: "next_page_url",
    page_size: 20,
    request: { since_param: null },
    response: { records: "results", next_url: "next", total: "count" },
  };

  test("fails by default, naming the numbers and strict_totals", async () => {
    const run = await syncOnce(tempDb(), config, shortApi());
    expect(run.error?.message).toContain("40 of the 100 rows the API reports");
    expect(run.error?.message).toContain("strict_totals");
  });

  test("strict_totals: false makes it a warning", async () => {
    const run = await syncOnce(tempDb(), { ...config, strict_totals: false }, shortApi());
    expect(run.error).toBeUndefined();
    expect(run.summary?.warnings.join("\n")).toContain("40 of the 100 rows the API reports");
  });
});

describe("a total below the rows there are (a cached or approximate count)", () => {
  for (const since_param of ["since", null]) {
    test(`offset, since_param ${since_param}: a full page past the total shows it wrong, and the sync goes on; exact`, async () => {
      const api = lenientApi(items(300, 3), { style: "offset", sizeParam: "limit", sinceParam: since_param });
      const fetch: FetchLike = async (request) => {
        const body = (await (await api.fetch(request)).json()) as { total: number };
        return Response.json({ ...body, total: Math.min(body.total, 60) });
      };
      const db = tempDb();
      const run = await syncOnce(db, { ...base, strategy: "offset", page_size: 50, request: { since_param } }, fetch);
      expect(run.error).toBeUndefined();
      expect(ids(db)).toEqual(range(300));
    });
  }

  test("page_number, since_param null, a total below the rows there are: read on past it; exact", async () => {
    const api = lenientApi(items(300, 3), { style: "page", sinceParam: null });
    const fetch: FetchLike = async (request) => {
      const body = (await (await api.fetch(request)).json()) as { total: number };
      return Response.json({ ...body, total: 60, total_pages: undefined });
    };
    const db = tempDb();
    const config = { ...base, strategy: "page_number", page_size: 50, request: { since_param: null }, response: { records: "data", total: "total" } };
    const run = await syncOnce(db, config, fetch);
    expect(run.error).toBeUndefined();
    expect(ids(db)).toEqual(range(300));
  });

  test("offset, an exact total that the list reaches with a full page: no request more", async () => {
    // Pages overlap by one row: offsets 0 and 49 read rows 1-99, the second page full and at the total.
    const api = lenientApi(items(99), { style: "offset", sizeParam: "limit", sinceParam: null });
    const db = tempDb();
    const run = await syncOnce(db, { ...base, strategy: "offset", page_size: 50, request: { since_param: null } }, api.fetch);
    expect(run.error).toBeUndefined();
    expect(ids(db)).toEqual(range(99));
    expect(paths(api.requests, "offset")).toEqual(["0", "49"]);
  });
});

describe("next links that drop the query (Laravel's next_page_url without withQueryString)", () => {
  const cases = [
    { strategy: "next_page_url", style: "next", response: { records: "results", next_url: "next", total: "count" } },
    { strategy: "link_header", style: "link", response: { records: "", total_header: "x-total-count" } },
  ] as const;
  for (const { strategy, style, response } of cases)
    for (const since_param of [null, "since"]) {
      test(`${strategy}, since_param ${since_param}: the sort and filters go back on each followed link; exact`, async () => {
        // Groups of 40 rows sharing a second, pages of 25: with a since filter too, links are followed inside groups.
        const api = lenientApi(items(300, 40), { style, sortParam: "sort", linksDropQuery: true, maxPageSize: 1000 });
        const db = tempDb();
        const config = { ...base, strategy, page_size: 25, params: { sort: "modified" }, request: { since_param }, response };
        const run = await syncOnce(db, config, api.fetch);
        expect(run.error).toBeUndefined();
        expect(ids(db)).toEqual(range(300));
        const followed = api.requests.map((r) => new URL(r.url)).filter((u) => u.searchParams.has("page") && u.searchParams.get("page") !== "1");
        expect(followed.length).toBeGreaterThan(0);
        for (const u of followed) expect(u.searchParams.get("sort")).toBe("modified");
      });
    }
});

describe("link_header and a first page without a Link header", () => {
  const jsonServer = () =>
    lenientApi(items(300), { style: "link", pageParam: "_page", sizeParam: "_limit", sinceParam: null, linkOnlyWhenPaged: true, maxPageSize: 1000 });
  const config = {
    ...base,
    strategy: "link_header",
    page_size: 50,
    request: { since_param: null, page_param: "_page", per_page_param: "_limit" },
    response: { records: "", total_header: "x-total-count" },
  };

  test("page_param is sent on the first request, so json-server sends Link headers: exact", async () => {
    const api = jsonServer();
    const db = tempDb();
    const run = await syncOnce(db, config, api.fetch);
    expect(run.error).toBeUndefined();
    expect(ids(db)).toEqual(range(300));
    expect(paths(api.requests, "_page")[0]).toBe("1");
  });

  test("no Link header while the total says there is more fails clearly instead of stopping after page 1", async () => {
    const api = jsonServer();
    const run = await syncOnce(tempDb(), { ...config, request: { ...config.request, page_param: "page" } }, api.fetch);
    expect(run.error?.message).toContain("no Link header");
    expect(run.error?.message).toContain("request.page_param");
  });
});
