// A keyset API that answers a page with no rows and a next cursor in the middle of its list, as Slack documents
// for conversations.list ("fewer results than your limit, even zero, with a next_cursor"). The sync took the empty
// page for the end: exit 0 with every row after it missing. Found from outside.
import { describe, expect, test } from "bun:test";
import type { FetchLike } from "../../src/connector/http/client";
import { syncOnce, tableRows, tempDb } from "../helpers/sync";

interface Channel {
  id: number;
  name: string;
  updated: string;
}

const channels = (n: number): Channel[] =>
  Array.from({ length: n }, (_, i) => ({ id: i + 1, name: `c${i + 1}`, updated: new Date(Date.parse("2025-01-01T00:00:00Z") + i * 1000).toISOString() }));

/**
 * Cursor pages of `size` rows; `emptyAt` lists the page numbers answered with no rows (and a cursor to the rows
 * they would have held); `end` is what the last page sends: no cursor, the cursor it was given, or a new one each time.
 */
function slackApi(rows: Channel[], size: number, emptyAt: Set<number>, end: "none" | "same" | "moving" = "none"): { fetch: FetchLike; requests: string[] } {
  const requests: string[] = [];
  let served = 0;
  const fetch: FetchLike = async (request) => {
    requests.push(request.url);
    const given = new URL(request.url).searchParams.get("cursor");
    const [start, page] = given ? given.split(":").map(Number) : [0, 1];
    const body = (channels: Channel[], next: string) => Response.json({ ok: true, channels, response_metadata: { next_cursor: next } });
    if (emptyAt.has(page as number)) return body([], `${start}:${(page as number) + 1}`);
    const slice = rows.slice(start, (start as number) + size);
    const after = (start as number) + slice.length;
    if (after < rows.length) return body(slice, `${after}:${(page as number) + 1}`);
    if (end === "none") return body(slice, "");
    if (end === "same") return body(slice, given && slice.length === 0 ? given : `${after}:${(page as number) + 1}`);
    return body(slice, `${after}:${(page as number) + 1}:${++served}`);
  };
  return { fetch, requests };
}

const config = {
  base_url: "http://slack.test/api/conversations.list",
  strategy: "keyset",
  cursor_field: "updated",
  page_size: 10,
  request: { token_param: "cursor", since_param: null },
  response: { records: "channels", next_token: "response_metadata.next_cursor" },
};
const ids = (db: string) => [...tableRows(db).keys()].map(Number).sort((a, b) => a - b);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe("keyset: an empty page with a next cursor", () => {
  test("mid-list (one, then three in a row, the first page too) is followed: every row", async () => {
    const api = slackApi(channels(95), 10, new Set([1, 4, 7, 8, 9]));
    const db = tempDb();
    const run = await syncOnce(db, config, api.fetch);
    expect(run.error).toBeUndefined();
    expect(ids(db)).toEqual(range(95));
    expect(api.requests).toHaveLength(10 + 5);
  });

  test("a last page that hands back the cursor it was given ends the list, no loop error", async () => {
    const api = slackApi(channels(30), 10, new Set(), "same");
    const db = tempDb();
    const run = await syncOnce(db, config, api.fetch);
    expect(run.error).toBeUndefined();
    expect(ids(db)).toEqual(range(30));
    expect(api.requests).toHaveLength(4);
  });

  test("a feed whose cursor moves on every empty page ends after 20 of them, with a warning", async () => {
    const api = slackApi(channels(30), 10, new Set(), "moving");
    const db = tempDb();
    const run = await syncOnce(db, config, api.fetch);
    expect(run.error).toBeUndefined();
    expect(ids(db)).toEqual(range(30));
    expect(api.requests).toHaveLength(3 + 1 + 20);
    expect(run.logs.filter((line) => line.includes("20 empty pages in a row, each with a new token: taken as the end of the list"))).toHaveLength(1);
  });
});

/** OData (Microsoft Graph) paging: `value` and `@odata.nextLink`, a key with a dot in it; `emptyAt` pages have no rows. */
function graphApi(rows: Channel[], size: number, emptyAt: Set<number>, moving = false): { fetch: FetchLike; requests: string[] } {
  const requests: string[] = [];
  const fetch: FetchLike = async (request) => {
    requests.push(request.url);
    const url = new URL(request.url);
    const page = Number(url.searchParams.get("$skiptoken") ?? "1");
    const start = Number(url.searchParams.get("start") ?? "0");
    const link = (p: number, s: number) => `http://graph.test/v1.0/channels?$skiptoken=${p}&start=${s}`;
    if (emptyAt.has(page)) return Response.json({ value: [], "@odata.nextLink": link(page + 1, start) });
    const slice = rows.slice(start, start + size);
    const after = start + slice.length;
    const more = after < rows.length || (moving && slice.length === 0) || (moving && after === rows.length);
    return Response.json({ value: slice, ...(more ? { "@odata.nextLink": link(page + 1, after) } : {}) });
  };
  return { fetch, requests };
}

describe("next links without a cursor filter: an empty page with a next link", () => {
  const graph = {
    base_url: "http://graph.test/v1.0/channels",
    strategy: "next_page_url",
    cursor_field: "updated",
    page_size: 10,
    request: { since_param: null },
    response: { records: "value", next_url: "@odata.nextLink" },
  };

  test("mid-list is followed (a key with a dot in it is found whole): every row", async () => {
    const api = graphApi(channels(95), 10, new Set([2, 5, 6]));
    const db = tempDb();
    const run = await syncOnce(db, graph, api.fetch);
    expect(run.error).toBeUndefined();
    expect(ids(db)).toEqual(range(95));
    expect(api.requests).toHaveLength(10 + 3);
  });

  test("strategy auto finds OData's paging: records in 'value', the link in '@odata.nextLink'", async () => {
    const api = graphApi(channels(45), 10, new Set([3]));
    const db = tempDb();
    const { strategy: _, response: __, ...rest } = graph;
    const run = await syncOnce(db, { ...rest, strategy: "auto" }, api.fetch);
    expect(run.error).toBeUndefined();
    expect(run.summary?.strategy).toBe("next_page_url");
    expect(ids(db)).toEqual(range(45));
  });

  test("a link that moves on every empty page at the end is taken as the end after 20 of them, with a warning", async () => {
    const api = graphApi(channels(30), 10, new Set(), true);
    const db = tempDb();
    const run = await syncOnce(db, graph, api.fetch);
    expect(run.error).toBeUndefined();
    expect(ids(db)).toEqual(range(30));
    expect(run.logs.filter((line) => line.includes("20 empty pages in a row, each with a new link"))).toHaveLength(1);
  });
});
