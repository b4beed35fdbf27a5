import { describe, expect, test } from "bun:test";
import type { FetchLike } from "../../src/connector/http/client";
import { savedState, syncOnce, tableRows, tempDb } from "../helpers/sync";

const user = (id: number, updatedAt: string) => ({ id: `u${id}`, name: `n${id}`, updatedAt });
const json = (body: unknown) => new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });

/** A keyset server whose tokens go A → B → A (a cycle), counting requests. */
function cyclingTokens() {
  const hits: string[] = [];
  const fetch: FetchLike = async (request) => {
    const token = new URL(request.url).searchParams.get("scroll_param") ?? "start";
    hits.push(token);
    const next = { start: "A", A: "B", B: "A" }[token] ?? null;
    return json({ data: [user(hits.length, "2024-01-01T00:00:00Z")], scroll_param: next });
  };
  return { fetch, hits };
}

describe("driver guards", () => {
  test("a token cycle A→B→A stops with an error before the repeated request, keeping the checkpoint", async () => {
    const db = tempDb();
    const server = cyclingTokens();
    const run = await syncOnce(db, { base_url: "http://api.test/items", strategy: "keyset" }, server.fetch);
    expect(run.error?.message).toContain("repeated or cyclic token");
    expect(run.error?.exitCode).toBe(1);
    expect(server.hits).toEqual(["start", "A", "B"]);
    expect(tableRows(db).size).toBe(3);
    const state = savedState(db) as { run: { position: { token: string } } };
    expect(state.run.position.token).toBe("A");
  });

  test("a token that repeats itself (A→A) is caught the same way", async () => {
    const db = tempDb();
    let requests = 0;
    const fetch: FetchLike = async () => json({ data: [user(++requests, "2024-01-01T00:00:00Z")], scroll_param: "A" });
    const run = await syncOnce(db, { base_url: "http://api.test/items", strategy: "keyset" }, fetch);
    expect(run.error?.message).toContain("repeated or cyclic token");
    expect(requests).toBe(2);
  });

  test("an API that ignores updated_since is not trusted: the list is read whole, without the filter, with a warning", async () => {
    const db = tempDb();
    const rows = [user(1, "2024-01-01T00:00:00Z"), user(2, "2024-01-02T00:00:00Z")];
    const urls: string[] = [];
    const fetch: FetchLike = async (request) => (urls.push(request.url), json({ data: rows, offset: 0, limit: 50, total: 2 }));
    const run = await syncOnce(db, { base_url: "http://api.test/items", strategy: "offset", initial_cursor: "2024-01-02T00:00:00Z" }, fetch);
    expect(run.error).toBeUndefined();
    expect(run.logs.filter((line) => line.includes("the API does not filter by 'updated_since'"))).toHaveLength(1);
    expect(urls.map((url) => new URL(url).searchParams.has("updated_since"))).toEqual([true, false]);
    expect(tableRows(db).size).toBe(2);
  });

  test("rows out of cursor order are refused (re-anchoring needs ascending order)", async () => {
    const db = tempDb();
    const fetch: FetchLike = async () => json({ data: [user(1, "2024-01-03T00:00:00Z"), user(2, "2024-01-02T00:00:00Z")], offset: 0, limit: 50, total: 2 });
    const run = await syncOnce(db, { base_url: "http://api.test/items", strategy: "offset" }, fetch);
    expect(run.error?.message).toContain("must sort by 'updatedAt' ascending");
  });

  test("a record without its primary key or cursor fails the page and names the record", async () => {
    const db = tempDb();
    const fetch: FetchLike = async () =>
      json({ data: [user(1, "2024-01-01T00:00:00Z"), { name: "no id", updatedAt: "2024-01-01T00:00:00Z" }], scroll_param: null });
    const run = await syncOnce(db, { base_url: "http://api.test/items", strategy: "keyset" }, fetch);
    expect(run.error?.message).toContain("record 1 has no usable primary key 'id'");
    expect(tableRows(db).size).toBe(0);
    const noCursor: FetchLike = async () => json({ data: [{ id: "x", updatedAt: null }], scroll_param: null });
    expect((await syncOnce(tempDb(), { base_url: "http://api.test/items", strategy: "keyset" }, noCursor)).error?.message).toContain(
      "record 0 (x) has no usable cursor field 'updatedAt'",
    );
  });

  test("a page that fails the response schema stops the sync with the previous checkpoint intact", async () => {
    const db = tempDb();
    let call = 0;
    const fetch: FetchLike = async () => {
      call++;
      if (call === 1) return json({ data: [user(1, "2024-01-01T00:00:00Z")], scroll_param: "next" });
      return json({ data: "oops", scroll_param: null });
    };
    const run = await syncOnce(db, { base_url: "http://api.test/items", strategy: "keyset" }, fetch);
    expect(run.error?.message).toContain("'data' must be an array of objects");
    expect(tableRows(db).size).toBe(1);
    expect((savedState(db) as { run: { position: { token: string } } }).run.position.token).toBe("next");
  });

  test("auto refuses a response it cannot classify, naming its keys", async () => {
    const fetch: FetchLike = async () => json({ items: [], cursor: 1 });
    const run = await syncOnce(tempDb(), { base_url: "http://api.test/items" }, fetch);
    expect(run.error?.message).toContain("cannot tell the pagination style from the response (it has items, cursor)");
  });

  test("max_pages stops a runaway sync with an error and a resumable checkpoint", async () => {
    let n = 0;
    const fetch: FetchLike = async () => {
      n++;
      return json({ data: [user(n, "2024-01-01T00:00:00Z")], scroll_param: `t${n}` });
    };
    const db = tempDb();
    const run = await syncOnce(db, { base_url: "http://api.test/items", strategy: "keyset", max_pages: 5 }, fetch);
    expect(run.error?.message).toContain("stopped after max_pages=5 pages");
    expect(tableRows(db).size).toBe(5);
  });
});

describe("hostile responses", () => {
  test("an HTML page with status 200 is not data: it fails at once, saying so (issue 14 §5)", async () => {
    for (const [body, type] of [
      ["<html>login</html>", "text/html; charset=utf-8"],
      ["\n<!DOCTYPE html><html><body>Sign in</body></html>", "application/json"],
      ["<html><head></head></html>", ""],
    ]) {
      let requests = 0;
      const fetch: FetchLike = async () => (requests++, new Response(body, { headers: type ? { "content-type": type } : {} }));
      const run = await syncOnce(tempDb(), { base_url: "http://api.test/items", strategy: "keyset" }, fetch);
      expect(run.error?.message).toContain("the URL returned a web page, not JSON — check base_url");
      expect(run.error?.exitCode).toBe(1);
      expect(run.sleeps).toEqual([]);
      expect(requests).toBe(1);
    }
  });

  test("JSON labelled as a web page or as bytes (an API that never sets its content type) is read", async () => {
    for (const type of ["text/html; charset=UTF-8", "application/octet-stream", "text/html"]) {
      const body = `\uFEFF \n${JSON.stringify({ data: [user(1, "2024-01-01T00:00:00Z"), user(2, "2024-01-01T00:00:01Z")], scroll_param: null })}`;
      const fetch: FetchLike = async () => new Response(body, { headers: { "content-type": type } });
      const db = tempDb();
      const run = await syncOnce(db, { base_url: "http://api.test/items", strategy: "keyset" }, fetch);
      expect(run.error).toBeUndefined();
      expect(tableRows(db).size).toBe(2);
    }
  });

  test("a host name that does not resolve fails at once, in our words (issue 14 §5)", async () => {
    const fetch: FetchLike = async () => {
      throw Object.assign(new TypeError("getaddrinfo ENOTFOUND api.tset"), { code: "ENOTFOUND" });
    };
    const run = await syncOnce(tempDb(), { base_url: "http://api.tset/items", strategy: "keyset" }, fetch);
    expect(run.error?.message).toContain("the host name 'api.tset' does not resolve (DNS): check base_url");
    expect(run.error?.message).not.toContain("getaddrinfo");
    expect(run.sleeps).toEqual([]);
  });

  test("invalid JSON that is not a web page is still retried (a cut or garbled body can be transient)", async () => {
    let requests = 0;
    const fetch: FetchLike = async () =>
      requests++ === 0
        ? new Response('{"data": [,}', { headers: { "content-type": "application/json" } })
        : json({ data: [user(1, "2024-01-01T00:00:00Z")], scroll_param: null });
    const run = await syncOnce(tempDb(), { base_url: "http://api.test/items", strategy: "keyset" }, fetch);
    expect(run.error).toBeUndefined();
    expect(run.sleeps).toHaveLength(1);
  });

  test("a response or a record over the configured limits fails the page", async () => {
    const big = [user(1, "2024-01-01T00:00:00Z"), { ...user(2, "2024-01-01T00:00:00Z"), blob: "x".repeat(5000) }];
    const fetch: FetchLike = async () => json({ data: big, scroll_param: null });
    const record = await syncOnce(tempDb(), { base_url: "http://api.test/items", strategy: "keyset", limits: { max_record_bytes: 2000 } }, fetch);
    expect(record.error?.message).toContain("record 1 is 50");
    expect(record.error?.message).toContain("over limits.max_record_bytes (2000)");
    const response = await syncOnce(tempDb(), { base_url: "http://api.test/items", strategy: "keyset", limits: { max_response_bytes: 4096 } }, fetch);
    expect(response.error?.message).toContain("larger than the limit of 4096 bytes (limits.max_response_bytes: ask for smaller pages");
  });

  test("deeply nested JSON ends in a clear error, not a crash", async () => {
    const deep = `{"data": [{"id": "1", "updatedAt": "2024-01-01T00:00:00Z", "x": ${"[".repeat(200_000)}${"]".repeat(200_000)}}], "scroll_param": null}`;
    const fetch: FetchLike = async () => new Response(deep, { headers: { "content-type": "application/json" } });
    const run = await syncOnce(tempDb(), { base_url: "http://api.test/items", strategy: "keyset", retry: { max_attempts: 1 } }, fetch);
    expect(run.error?.message).toContain("the response nests deeper than 1000 levels; refusing to parse it");
    expect(run.error?.exitCode).toBe(1);
  });
});

describe("next links that leave home", () => {
  for (const [what, next] of [
    ["a file: URL", "file:///etc/passwd"],
    ["a downgrade from https to http", "http://api.test/items?page=2"],
    ["user-info in the URL", "https://user:pw@api.test/items?page=2"],
    ["another host", "https://api.test.evil.example/items?page=2"],
  ] as const) {
    test(`${what} is refused before any request, checkpoint intact`, async () => {
      const requests: string[] = [];
      const fetch: FetchLike = async (request) => {
        requests.push(request.url);
        return json({ data: [user(requests.length, "2024-01-01T00:00:00Z")], next_page_url: next });
      };
      const db = tempDb();
      const run = await syncOnce(
        db,
        { base_url: "https://api.test/items", strategy: "next_page_url", request: { since_param: null }, auth: { type: "bearer", token: "tok-abcdef" } },
        fetch,
      );
      expect(run.error?.message).toMatch(/refusing to follow/);
      expect(run.error?.exitCode).toBe(1);
      expect(requests).toEqual(["https://api.test/items?order_by=updatedAt&order_type=asc&per_page=50"]);
      expect(tableRows(db).size).toBe(1);
      expect(run.error?.message.includes("behind a proxy")).toBe(what === "a downgrade from https to http");
    });
  }

  test("base_url's own path on an internal address (a server behind a proxy) is refused, saying so and what to do instead", async () => {
    for (const next of ["http://10.0.3.7:8000/items?page=2", "http://web:8000/items?page=2", "http://api.test/items?page=2"]) {
      const fetch: FetchLike = async () => json({ data: [user(1, "2024-01-01T00:00:00Z")], next_page_url: next });
      const run = await syncOnce(tempDb(), { base_url: "https://api.test/items", strategy: "next_page_url", request: { since_param: null } }, fetch);
      expect(run.error?.exitCode).toBe(1);
      expect(run.error?.message).toContain("the API writes its links with the address it has behind a proxy");
      expect(run.error?.message).toContain("--strategy page_number or offset");
    }
  });
});
