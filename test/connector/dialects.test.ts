// Real-API dialects: every name configurable, and auto-detection beyond the playground.
import { describe, expect, test } from "bun:test";
import { createMockApp } from "../../src/mock";
import type { FetchLike } from "../../src/connector/http/client";
import { cursorApi, items, linkHeaderApi, queryKeyApi, zeroBasedApi } from "../helpers/dialects";
import { NO_DIFF, dataset, diff } from "../../testkit/oracle";
import { inProcessMock } from "../helpers/mock";
import { savedState, syncOnce, tableRows, tempDb } from "../helpers/sync";

const ids = (db: string) => [...tableRows(db).keys()].map(Number).sort((a, b) => a - b);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe("real-API dialects", () => {
  test("top-level array + Link header + X-Total-Count, detected by auto (no cursor filter: URLs followed)", async () => {
    const api = linkHeaderApi(items(95));
    const db = tempDb();
    const run = await syncOnce(
      db,
      { base_url: "http://gh.test/repos/x/items", cursor_field: "modified", params: {}, page_size: 20, request: { since_param: null } },
      api.fetch,
    );
    expect(run.error).toBeUndefined();
    expect(run.summary?.strategy).toBe("link_header");
    expect(run.summary?.detected).toContain("a Link header; records in a top-level array");
    expect(ids(db)).toEqual(range(95));
    expect(api.requests.map((r) => new URL(r.url).searchParams.get("page"))).toEqual([null, "2", "3", "4"]); // auto cannot know the page-size name: the server default (30) applies
  });

  test("link_header re-anchored on a `since` filter, with ties larger than a page", async () => {
    const data = items(120, 25);
    const api = linkHeaderApi(data);
    const db = tempDb();
    const config = {
      base_url: "http://gh.test/items",
      strategy: "link_header",
      cursor_field: "modified",
      params: {},
      page_size: 10,
      request: { since_param: "since" },
      response: { records: "" },
    };
    const run = await syncOnce(db, config, api.fetch);
    expect(run.error).toBeUndefined();
    expect(ids(db)).toEqual(range(120));
    data.push({ id: 121, title: "new", modified: "2025-03-02T00:00:00Z" });
    const again = await syncOnce(db, config, api.fetch);
    expect(again.summary?.inserted).toBe(1);
    expect(ids(db)).toEqual(range(121));
  });

  test("0-based page numbers with every name configured", async () => {
    const api = zeroBasedApi(items(47));
    const db = tempDb();
    const run = await syncOnce(
      db,
      {
        base_url: "http://spring.test/api/things",
        strategy: "page_number",
        page_size: 10,
        cursor_field: "modified",
        params: { sort: "modified,asc" },
        request: { page_param: "pageIndex", per_page_param: "size", first_page: 0, since_param: null },
        response: { records: "content", total_pages: "totalPages", total: "totalElements" },
      },
      api.fetch,
    );
    expect(run.error).toBeUndefined();
    expect(ids(db)).toEqual(range(47));
    expect(api.requests.map((r) => new URL(r.url).searchParams.get("pageIndex"))).toEqual(["0", "1", "2", "3", "4"]);
    expect(new URL(api.requests[0]?.url ?? "").searchParams.get("sort")).toBe("modified,asc");
  });

  test("a Slack-style cursor is detected (next_cursor sent back as cursor); an empty cursor ends", async () => {
    const api = cursorApi(items(33), 10);
    const db = tempDb();
    const run = await syncOnce(
      db,
      { base_url: "http://slack.test/users.list", cursor_field: "modified", params: {}, request: { since_param: null } },
      api.fetch,
    );
    expect(run.error).toBeUndefined();
    expect(run.summary?.detected).toContain("'response_metadata.next_cursor' (a cursor token, sent back as 'cursor')");
    expect(ids(db)).toEqual(range(33));
    expect(api.requests).toHaveLength(4);
  });

  test("a cursor that cycles stops with an error after at most one wasted request", async () => {
    const api = cursorApi(items(100), 10, 3);
    const db = tempDb();
    const run = await syncOnce(
      db,
      { base_url: "http://slack.test/users.list", cursor_field: "modified", params: {}, request: { since_param: null } },
      api.fetch,
    );
    expect(run.error?.message).toContain("repeated or cyclic token");
    expect(api.requests).toHaveLength(3);
    expect(ids(db)).toEqual(range(30));
  });

  test("an API key in a query parameter; a wrong key fails at once without echoing it", async () => {
    const api = queryKeyApi(items(5), "k3y-s3cret");
    const ok = await syncOnce(
      tempDb(),
      {
        base_url: "http://key.test/x",
        strategy: "offset",
        cursor_field: "modified",
        params: {},
        request: { since_param: null },
        auth: { type: "api_key", key: "k3y-s3cret", query_param: "api_key" },
      },
      api.fetch,
    );
    expect(ok.error).toBeUndefined();
    expect(ok.summary?.inserted).toBe(5);
    const bad = await syncOnce(
      tempDb(),
      {
        base_url: "http://key.test/x",
        strategy: "offset",
        cursor_field: "modified",
        params: {},
        request: { since_param: null },
        auth: { type: "api_key", key: "wrong-key-value", query_param: "api_key" },
      },
      api.fetch,
    );
    expect(bad.error?.message).toContain("HTTP 401");
    expect(bad.error?.message).not.toContain("wrong-key-value");
  });
});

describe("auth against the mock", () => {
  const NOW = "2026-01-15T12:00:00Z";
  for (const [kind, auth] of [
    ["bearer", { type: "bearer", token: "tok-123456" }],
    ["basic", { type: "basic", username: "ann", password: "pw-123456" }],
    ["api_key", { type: "api_key", key: "tok-123456" }],
  ] as const) {
    test(`${kind}: the right credential syncs, a wrong one fails at once with exit 1`, async () => {
      const { fetch } = inProcessMock({ records: 40, seed: 2, now: NOW, requireAuth: kind, auth: { user: "ann", password: "pw-123456", token: "tok-123456" } });
      const db = tempDb();
      const run = await syncOnce(db, { base_url: "http://mock.test/pagination/offset", auth }, fetch);
      expect(run.error).toBeUndefined();
      expect(diff(db, await dataset(fetch, undefined, { Authorization: "Bearer tok-123456" }))).toEqual(NO_DIFF);
      const wrong = kind === "basic" ? { ...auth, password: "nope-nope" } : { ...auth, [kind === "bearer" ? "token" : "key"]: "nope-nope" };
      const bad = await syncOnce(tempDb(), { base_url: "http://mock.test/pagination/offset", auth: wrong }, fetch);
      expect(bad.error?.message).toContain("HTTP 401");
      expect(bad.error?.exitCode).toBe(1);
    });
  }

  test("session token: logs in, and logs in again once when the session expires mid-sync", async () => {
    let clock = Date.parse(NOW);
    // Its own createMockApp: the session expires on this test's clock, which it moves by hand.
    const mock = createMockApp({
      records: 200,
      seed: 8,
      now: NOW,
      requireAuth: "session_token",
      auth: { user: "ann", password: "pw-123456" },
      sessionTtlSeconds: 60,
      clock: () => clock,
    });
    const logins: number[] = [];
    const fetch: FetchLike = async (request) => {
      if (request.url.includes("/login")) logins.push(clock);
      clock += 25_000; // every request ages the session by 25 s: it expires every third request
      return mock.fetch(request);
    };
    const db = tempDb();
    const auth = { type: "session_token", login_url: "http://mock.test/auth/session_token/login", username: "ann", password: "pw-123456" };
    const run = await syncOnce(db, { base_url: "http://mock.test/pagination/offset", page_size: 20, auth }, fetch);
    expect(run.error).toBeUndefined();
    expect(logins.length).toBeGreaterThan(1);
    expect(diff(db, await dataset(fetch, undefined, { Authorization: `Basic ${btoa("ann:pw-123456")}` }))).toEqual(NO_DIFF);
    expect(JSON.stringify(savedState(db))).not.toContain("pw-123456");
    const badLogin = await syncOnce(tempDb(), { base_url: "http://mock.test/pagination/offset", auth: { ...auth, password: "wrong-pass" } }, fetch);
    expect(badLogin.error?.message).toContain("login at http://mock.test/auth/session_token/login failed: HTTP 401");
    mock.close();
  });

  test("a next URL on another origin is refused before any request goes there", async () => {
    const requests: string[] = [];
    const fetch: FetchLike = async (request) => {
      requests.push(request.url);
      return new Response(JSON.stringify({ data: [{ id: "1", updatedAt: "2025-01-01T00:00:00Z" }], next_page_url: "http://evil.test/steal?page=2" }), {
        headers: { "content-type": "application/json" },
      });
    };
    const run = await syncOnce(
      tempDb(),
      { base_url: "http://api.test/x", strategy: "next_page_url", request: { since_param: null }, headers: { "X-Api-Key": "abcdef123" } },
      fetch,
    );
    expect(run.error?.message).toContain("is not on http://api.test, the origin of base_url");
    expect(requests.every((u) => u.startsWith("http://api.test/"))).toBe(true);
  });
});
