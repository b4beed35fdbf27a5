// An API whose cursor filter is `updated > since` (exclusive), where the connector needs `>=`: re-anchoring at a
// value shared by rows on both sides of a page boundary would skip the rest of that group. Found from outside with
// a real server: exit 0 with 18 of 500 rows missing. The sync must stop with exit 2 instead, naming the parameter.
import { describe, expect, test } from "bun:test";
import type { FetchLike } from "../../src/connector/http/client";
import { items } from "../helpers/dialects";
import { LENIENT_PAGING, lenientApi } from "../helpers/lenient-server";
import { savedState, syncOnce, tableRows, tempDb } from "../helpers/sync";

const ids = (db: string) => [...tableRows(db).keys()].map(Number).sort((a, b) => a - b);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const base = { base_url: "http://lenient.test/api/items", cursor_field: "modified", params: {}, page_size: 50 };
const strategies = LENIENT_PAGING;

describe("a cursor filter that is exclusive (`>`)", () => {
  for (const { strategy, style, size, response } of strategies) {
    for (const tieEvery of [1, 7]) {
      test(`${strategy}, ${tieEvery === 1 ? "no ties" : "groups of 7"}: found at the first page boundary, then read from the value before each anchor; exact, and again`, async () => {
        const data = items(500, tieEvery);
        const api = lenientApi(data, { style, sizeParam: "limit", sinceParam: "updated_since", exclusiveSince: true });
        const db = tempDb();
        const config = { ...base, strategy, request: { since_param: "updated_since", ...size }, response };
        const run = await syncOnce(db, config, api.fetch);
        expect(run.error).toBeUndefined();
        expect(ids(db)).toEqual(range(500));
        expect(run.logs.filter((l) => l.includes("'updated_since' filters by modified after the value, not at or after it"))).toHaveLength(1);
        // Rows written later, one with exactly the saved cursor: the next sync reads both.
        const newest = data[499]?.modified as string;
        data.push({ id: 501, title: "late", modified: newest }, { id: 502, title: "newer", modified: "2025-03-02T00:00:00Z" });
        const again = await syncOnce(db, config, api.fetch);
        expect(again.error).toBeUndefined();
        expect(again.summary?.inserted).toBe(2);
        expect(ids(db)).toEqual(range(502));
      });
    }
  }

  test("a run stopped after its first page saves where a restart goes back to; its resume finds the filter and ends exact", async () => {
    const api = lenientApi(items(500, 7), { style: "offset", sizeParam: "limit", sinceParam: "updated_since", exclusiveSince: true });
    const db = tempDb();
    const config = { ...base, strategy: "offset", request: { since_param: "updated_since" } };
    const cut = await syncOnce(db, { ...config, max_pages: 1 }, api.fetch);
    expect(cut.error?.message).toContain("max_pages");
    const run = (savedState(db)?.run ?? {}) as { position?: { since?: string; before?: string } };
    // Rows 1-50 read: the anchor is the group 50-56, the value before it is the group 43-49's.
    expect(run.position?.since).toBe(items(500, 7)[49]?.modified);
    expect(run.position?.before).toBe(items(500, 7)[42]?.modified);
    const resumed = await syncOnce(db, config, api.fetch);
    expect(resumed.error).toBeUndefined();
    expect(ids(db)).toEqual(range(500));
  });

  test("a restart whose first row is past the anchor it came from (not an exclusive filter's answer) stops with exit 2", async () => {
    // Exclusive, and every row of the anchor's group updated between the first page and the next: the answer skips it.
    const data = items(500, 7);
    const api = lenientApi(data, { style: "offset", sizeParam: "limit", sinceParam: "updated_since", exclusiveSince: true });
    let served = 0;
    const fetch: FetchLike = async (request) => {
      const response = await api.fetch(request);
      if (++served === 1) for (const row of data.splice(49, 7)) data.push({ ...row, modified: "2025-06-01T00:00:00Z" });
      return response;
    };
    const db = tempDb();
    const run = await syncOnce(db, { ...base, strategy: "offset", request: { since_param: "updated_since" } }, fetch);
    expect(run.error?.code).toBe("exclusive_since");
    expect(run.error?.exitCode).toBe(2);
    expect(run.error?.message).toContain("'updated_since_gte'");
    const stored = ids(db);
    expect(stored).toEqual(range(stored.length));
  });

  test("request.since_param null on the same API reads the whole list: exact", async () => {
    const api = lenientApi(items(500, 7), { style: "offset", sizeParam: "limit", sinceParam: "updated_since", exclusiveSince: true });
    const db = tempDb();
    const run = await syncOnce(db, { ...base, strategy: "offset", request: { since_param: null } }, api.fetch);
    expect(run.error).toBeUndefined();
    expect(ids(db)).toEqual(range(500));
  });
});

describe("the next sync starts at the newest value read below the saved cursor", () => {
  for (const exclusiveSince of [true, false]) {
    test(`${exclusiveSince ? "exclusive" : "inclusive"} filter, one page a run: rows written later at exactly the saved cursor are read`, async () => {
      const data = items(40, 3);
      const api = lenientApi(data, { style: "offset", sizeParam: "limit", sinceParam: "updated_since", exclusiveSince });
      const db = tempDb();
      const config = { ...base, strategy: "offset", request: { since_param: "updated_since" } };
      const first = await syncOnce(db, config, api.fetch);
      expect(first.error).toBeUndefined();
      const newest = data[39]?.modified as string;
      const state = savedState(db) as { cursor?: string; cursorBelow?: string };
      expect(state.cursor).toBe(newest);
      expect(state.cursorBelow).toBe(data[38]?.modified);
      // Written after the sync, with the very timestamp it saved (a second shared with row 40), and one newer.
      data.push({ id: 41, title: "late, same second", modified: newest }, { id: 42, title: "newer", modified: "2025-03-02T00:00:00Z" });
      const second = await syncOnce(db, config, api.fetch);
      expect(second.error).toBeUndefined();
      expect(second.summary?.inserted).toBe(2);
      expect(ids(db)).toEqual(range(42));
      const sinces = api.requests.map((r) => new URL(r.url).searchParams.get("updated_since"));
      expect(sinces.at(-1)).toBe(data[38]?.modified ?? "");
      // And the run after that starts below the new cursor: the value of row 41 and 40.
      expect((savedState(db) as { cursorBelow?: string }).cursorBelow).toBe(newest);
    });
  }

  test("lookback_seconds further back than the value below wins", async () => {
    const data = items(10);
    const api = lenientApi(data, { style: "offset", sizeParam: "limit", sinceParam: "updated_since" });
    const db = tempDb();
    const config = { ...base, strategy: "offset", lookback_seconds: 5, request: { since_param: "updated_since" } };
    expect((await syncOnce(db, config, api.fetch)).error).toBeUndefined();
    expect((await syncOnce(db, config, api.fetch)).error).toBeUndefined();
    expect(new URL(api.requests.at(-1)?.url ?? "").searchParams.get("updated_since")).toBe(data[4]?.modified ?? "");
  });
});

describe("reads that start at a given value ask from a second before it", () => {
  /** One row a second from 00:00:00; the filter is `modified > since`, pages of 100 (one page a 60 s window). */
  const exclusive = (data = items(600)) => lenientApi(data, { style: "offset", sizeParam: "limit", sinceParam: "updated_since", exclusiveSince: true });
  const now = () => Date.parse("2025-03-01T00:10:00Z");
  const config = { ...base, strategy: "offset", page_size: 100, request: { since_param: "updated_since" }, initial_cursor: "2025-03-01T00:00:00Z" };

  test("initial_cursor: its own second's rows are read", async () => {
    const api = exclusive(items(40));
    const db = tempDb();
    expect((await syncOnce(db, config, api.fetch)).error).toBeUndefined();
    expect(ids(db)).toEqual(range(40));
    expect(new URL(api.requests[0]?.url ?? "").searchParams.get("updated_since")).toBe("2025-02-28T23:59:59Z");
  });

  test("priority-first: the rows on each history window's first second are read, and history is exact", async () => {
    const api = exclusive();
    const db = tempDb();
    const pf = { ...config, priority_first: true, window: "60s", max_duration: "1h" };
    const run = await syncOnce(db, pf, api.fetch, { now });
    expect(run.error).toBeUndefined();
    expect(run.summary?.history?.remainingSeconds).toBe(0);
    expect(ids(db)).toEqual(range(600));
  });
});

describe("an inclusive filter (`>=`) and a row that moves while the sync pages", () => {
  for (const { strategy, style, size, response } of strategies) {
    test(`${strategy}: the restart goes back one value, re-reads it, and the sync is exact with no exclusive_since`, async () => {
      const data = items(300, 10);
      const api = lenientApi(data, { style, sizeParam: "limit", sinceParam: "updated_since" });
      let served = 0;
      // After the first page (rows 1-25, the last five in the group 21-30), row 22 is updated to the newest value:
      // the group at the anchor is one row shorter, the overlap row is not where it was, and the read restarts.
      const fetch: FetchLike = async (request) => {
        const response = await api.fetch(request);
        if (++served === 1) {
          const row = data.splice(21, 1)[0];
          if (row) data.push({ ...row, modified: "2025-06-01T00:00:00Z" });
        }
        return response;
      };
      const db = tempDb();
      const config = { ...base, strategy, page_size: 25, request: { since_param: "updated_since", ...size }, response };
      const run = await syncOnce(db, config, fetch);
      expect(run.error).toBeUndefined();
      expect(run.logs.join("\n")).toContain("re-reading from the anchor");
      expect(ids(db)).toEqual(range(300));
      expect(tableRows(db).get("22")?.modified).toBe("2025-06-01T00:00:00Z");
      // The restart asked for the value before the anchor's group (rows 11-20), not the anchor itself.
      const sinces = api.requests.map((r) => new URL(r.url).searchParams.get("updated_since"));
      expect(sinces).toContain(data[10]?.modified ?? "");
    });
  }
});
