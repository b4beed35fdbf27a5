// probe's analysis, without the command: one response in, a report and a configuration out.
import { describe, expect, test } from "bun:test";
import { tmpdir } from "node:os";
import * as v from "valibot";
import { loadConfig } from "../../src/config/load";
import { ResponseSchema } from "../../src/config/schema";
import { cursorCandidates, inferFields, primaryKeyCandidates } from "../../src/connector/infer-types";
import { detectStyle } from "../../src/connector/paginators/detect";
import { analyzeProbe } from "../../src/connector/probe";
import { placeholderHeaders, secretValues, shownUrl, splitQuery } from "../../src/connector/probe-config";
import { items } from "../helpers/dialects";

const analyze = (url: string, body: unknown, headers: Record<string, string> = {}, requestHeaders: Record<string, string> = {}) =>
  analyzeProbe({ url: new URL(url), status: 200, headers: new Headers(headers), body, requestHeaders });

describe("the probed URL", () => {
  test("paging parameters become request names and the page size; others stay as params, secrets as ${VAR}", () => {
    const variables: string[] = [];
    const url = new URL("http://x.test/v1/items?pageSize=25&pageNumber=0&state=open&access_token=abc123&cursor=xyz&apiKey=k9k9k9");
    expect(splitQuery(url, variables)).toEqual({
      baseUrl: "http://x.test/v1/items",
      params: { state: "open", access_token: "${ACCESS_TOKEN}", apiKey: "${API_KEY}" },
      request: { per_page_param: "pageSize", page_param: "pageNumber", first_page: 0 },
      pageSize: 25,
    });
    expect(variables).toEqual(["ACCESS_TOKEN", "API_KEY"]);
    expect(splitQuery(new URL("http://x.test/a?limit=20&offset=40&page_token=t"), [])).toEqual({
      baseUrl: "http://x.test/a",
      params: {},
      request: {},
      pageSize: 20,
    });
    expect(shownUrl(url)).toBe("http://x.test/v1/items?pageSize=25&pageNumber=0&state=open&access_token=***&cursor=xyz&apiKey=***");
  });

  test("headers: safe ones as given, credentials as ${VAR} keeping the auth scheme; every secret value is known for redaction", () => {
    const variables = ["API_TOKEN"];
    const headers = {
      Authorization: "Bearer abc.def",
      "X-Api-Key": "k-123456",
      Accept: "application/json",
      "User-Agent": "me",
      "X-GitHub-Api-Version": "2022-11-28",
      "Proxy-Authorization": "opaque99",
      Cookie: "s=1",
    };
    expect(placeholderHeaders(headers, variables)).toEqual({
      Authorization: "Bearer ${API_TOKEN_2}",
      "X-Api-Key": "${X_API_KEY}",
      Accept: "application/json",
      "User-Agent": "me",
      "X-GitHub-Api-Version": "2022-11-28",
      "Proxy-Authorization": "${API_TOKEN_3}",
      Cookie: "${COOKIE}",
    });
    expect(secretValues(new URL("http://x.test/?key=q-secret&page=2"), headers)).toEqual(
      expect.arrayContaining(["q-secret", "Bearer abc.def", "abc.def", "k-123456", "opaque99", "s=1"]),
    );
    expect(secretValues(new URL("http://x.test/?page=2"), { Accept: "application/json" })).toEqual([]);
  });
});

describe("detectStyle", () => {
  const spring = { content: items(2), totalPages: 5, totalElements: 47, number: 0 };
  const shape = v.parse(ResponseSchema, {});

  test("a page count under a real API's name means page numbers only when the URL names its page", () => {
    const named = detectStyle(spring, new Headers(), "http://spring.test/things?pageIndex=0&size=10", shape);
    expect(named).toMatchObject({
      ok: true,
      detection: { strategy: "page_number", response: { records: "content", total: "totalElements", total_pages: "totalPages" } },
    });
    expect(named.ok && named.detection.reason).toBe("the URL has 'pageIndex' and the response has 'totalPages' (page numbers); records in 'content'");
    // The sync's first request carries no page parameter: it keeps asking for the names instead of guessing them.
    const unnamed = detectStyle(spring, new Headers(), "http://spring.test/things", shape);
    expect(unnamed).toMatchObject({ ok: false, records: "content", response: { total: "totalElements" } });
    expect(!unnamed.ok && unnamed.problem).toStartWith(
      "cannot tell the pagination style from the response (it has content, totalPages, totalElements, number)",
    );
  });
});

describe("analyzeProbe", () => {
  test("a response it cannot tell the style of is still reported, with strategy auto and a hint, and validates", () => {
    const report = analyze("http://x.test/items", items(3));
    expect(report.strategy).toBeNull();
    expect(report.records).toBe("");
    expect(report.fields.map((f) => `${f.name}:${f.type}`)).toEqual(["id:INT", "title:STRING", "modified:UTC_DATETIME"]);
    expect(report.configuration).toMatchObject({
      strategy: "auto",
      primary_key: ["id"],
      cursor_field: "modified",
      response: { records: "" },
      request: { since_param: null },
    });
    expect(report.hints[0]).toStartWith("auto could not tell the style: set strategy");
    expect(() => loadConfig({ overrides: report.configuration, env: {}, cwd: tmpdir() })).not.toThrow();
  });

  test("an empty first page says so; no key or cursor is invented", () => {
    const report = analyze("http://x.test/items?per_page=5", { data: [], next: null });
    expect(report).toMatchObject({ strategy: "next_page_url", count: 0, fields: [], primaryKeys: [], cursors: [] });
    expect(report.configuration).toMatchObject({ page_size: 5, columns: {}, response: { next_url: "next" } });
    expect(report.hints.join("\n")).toContain("the first page has no records");
  });

  test("a body without a list of records is an error naming what it has", () => {
    expect(() => analyze("http://x.test/items?key=s3cr3t-value", { message: "hello", status: "ok" })).toThrow(
      "http://x.test/items?key=***: cannot find the records in the response (it has message, status)",
    );
    expect(() => analyze("http://x.test/items", "just text")).toThrow("cannot find the records");
  });

  test("fields that cannot be SQL names stay out of primary_key, cursor_field and columns; the result still validates", () => {
    const long = "x".repeat(70);
    const records = [
      { "9_id": "a", "last-modified": "2025-03-01T10:00:00Z", [long]: 1, _synced_at: "no" },
      { "9_id": "b", "last-modified": "2025-03-02T10:00:00Z", [long]: 2, _synced_at: "no" },
    ];
    expect(primaryKeyCandidates(records, inferFields(records))).toEqual(["9_id"]);
    expect(cursorCandidates(inferFields(records))).toEqual(["last-modified"]);
    const report = analyze("http://x.test/items", { data: records, next_cursor: "n1" });
    expect(report).toMatchObject({ primaryKeys: [], cursors: [] });
    expect(report.configuration).toMatchObject({
      primary_key: ["id"],
      cursor_field: "updatedAt",
      columns: { "9_id": "STRING", "last-modified": "UTC_DATETIME" },
    });
    expect(Object.keys(report.configuration.columns as object)).toHaveLength(2);
    expect(() => loadConfig({ overrides: report.configuration, env: {}, cwd: tmpdir() })).not.toThrow();
  });

  test("the playground guess needs the playground's names: a body with 'data' but a foreign cursor token is not it", () => {
    const body = { data: [{ id: "1", updatedAt: "2025-03-01T10:00:00Z" }], next_cursor: "abc" };
    const report = analyze("http://x.test/items", body);
    expect(report.playground).toBe(false);
    expect(report.configuration).toMatchObject({ strategy: "keyset", request: { token_param: "cursor", since_param: null }, params: {} });
  });
});
