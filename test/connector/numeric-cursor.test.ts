// A cursor that is a number (a version counter, an id, epoch seconds), with an API that refuses a timestamp in its
// filter: a first sync sent `since=0001-01-01T00:00:00Z` and failed with HTTP 400, and initial_cursor refused a
// number, so such an API could not be synced at all. Found from outside with the binary.
import { describe, expect, test } from "bun:test";
import { memoryIo } from "../../src/cli/io";
import { runCli } from "../../src/cli/run";
import type { FetchLike } from "../../src/connector/http/client";
import { syncOnce, tableRows, tempDb } from "../helpers/sync";

interface Row {
  id: number;
  version: number;
}

/** Offset pages of rows ordered by version; the filter is `version >= since` (or `>`); a since that is not a number is a 400. */
function versionApi(rows: Row[], exclusive: boolean, param = "since"): { fetch: FetchLike; sinces: string[] } {
  const sinces: string[] = [];
  const fetch: FetchLike = async (request) => {
    const q = new URL(request.url).searchParams;
    const raw = q.get(param);
    if (raw !== null) sinces.push(raw);
    const since = raw === null ? null : Number(raw);
    if (since !== null && Number.isNaN(since)) return Response.json({ error: `since must be a number, got ${raw}` }, { status: 400 });
    const list = since === null ? rows : rows.filter((r) => (exclusive ? r.version > since : r.version >= since));
    const start = Number(q.get("offset")) || 0;
    const size = Math.min(Number(q.get("limit")) || 20, 25);
    return Response.json({ data: list.slice(start, start + size), total: list.length });
  };
  return { fetch, sinces };
}

/** n rows, three to a version from 100 on. */
const rowsOf = (n: number): Row[] => Array.from({ length: n }, (_, i) => ({ id: i + 1, version: 100 + Math.floor(i / 3) }));
const ids = (db: string) => [...tableRows(db).keys()].map(Number).sort((a, b) => a - b);
const config = { base_url: "http://numbers.test/items", strategy: "offset", cursor_field: "version", primary_key: ["id"], params: {}, page_size: 25 };

describe("a numeric cursor", () => {
  for (const exclusive of [false, true]) {
    test(`initial_cursor 0, ${exclusive ? "exclusive" : "inclusive"} filter: every row, then a row written later at the newest version`, async () => {
      const rows = rowsOf(200);
      const api = versionApi(rows, exclusive);
      const db = tempDb();
      const run = await syncOnce(db, { ...config, initial_cursor: 0, request: { since_param: "since" } }, api.fetch);
      expect(run.error).toBeUndefined();
      expect(ids(db)).toHaveLength(200);
      expect(api.sinces.filter((s) => !/^-?\d+$/.test(s))).toEqual([]);
      rows.push({ id: 201, version: rows[199]?.version as number });
      const again = await syncOnce(db, { ...config, initial_cursor: 0, request: { since_param: "since" } }, api.fetch);
      expect(again.error).toBeUndefined();
      expect(again.summary?.inserted).toBe(1);
      expect(ids(db)).toHaveLength(201);
    });
  }

  test("initial_cursor N against an exclusive filter still reads the rows at N (the first request asks for N - 1)", async () => {
    const api = versionApi(rowsOf(60), true);
    const db = tempDb();
    const run = await syncOnce(db, { ...config, initial_cursor: 110, request: { since_param: "since" } }, api.fetch);
    expect(run.error).toBeUndefined();
    expect(api.sinces[0]).toBe("109");
    expect(ids(db)).toEqual(
      rowsOf(60)
        .filter((r) => r.version >= 110)
        .map((r) => r.id),
    );
  });

  test("lookback_seconds with a numeric cursor is said not to apply, at the start of the run", async () => {
    const db = tempDb();
    const api = versionApi(rowsOf(30), false);
    const run = await syncOnce(db, { ...config, initial_cursor: 0, lookback_seconds: 3600, request: { since_param: "since" } }, api.fetch);
    expect(run.error).toBeUndefined();
    const note = "lookback_seconds goes back from a timestamp, and the cursor version is a number (0): it is not applied";
    expect(run.logs.filter((line) => line.includes(note))).toHaveLength(1);
    const again = await syncOnce(db, { ...config, lookback_seconds: 3600, request: { since_param: "since" } }, api.fetch);
    expect(again.logs.filter((line) => line.includes("the cursor version is a number (109)"))).toHaveLength(1);
  });

  test("a numeric cursor past 2^53 (its digits lost in parsing, a filter sent back could skip rows) stops with exit 2", async () => {
    const body = `{"data":[{"id":1,"version":9007199254740993}],"total":1}`;
    const fetch: FetchLike = async () => new Response(body, { headers: { "content-type": "application/json" } });
    const run = await syncOnce(tempDb(), { ...config, initial_cursor: 0, request: { since_param: "since" } }, fetch);
    expect(run.error?.exitCode).toBe(2);
    expect(run.error?.message).toContain("cursor field 'version' = 9007199254740992, a number beyond 2^53");
  });

  test("the default initial_cursor, a timestamp, gets the API's own refusal (not a silent success)", async () => {
    const run = await syncOnce(tempDb(), { ...config, request: { since_param: "since" } }, versionApi(rowsOf(10), false).fetch);
    expect(run.error?.message).toContain("since must be a number");
  });

  test("a number in quotes, a number with priority-first, and a word are refused naming initial_cursor", async () => {
    const fetch = versionApi(rowsOf(10), false).fetch;
    const message = "initial_cursor must be a timestamp like 2024-01-31T23:59:59Z, or a number where the cursor field is one";
    await expect(syncOnce(tempDb(), { ...config, initial_cursor: "12" }, fetch)).rejects.toThrow(
      `${message} (an id, a version, epoch seconds): write the number without quotes`,
    );
    await expect(syncOnce(tempDb(), { ...config, initial_cursor: "soon" }, fetch)).rejects.toThrow(`${message} (an id, a version, epoch seconds), got "soon"`);
    const priority = { ...config, initial_cursor: 5, priority_first: true, request: { since_param: "since" } };
    await expect(syncOnce(tempDb(), priority, fetch)).rejects.toThrow("priority_first reads history in windows of time, but initial_cursor is a number (5)");
  });

  test("--initial-cursor 0 on the command line is the number 0", async () => {
    const rows = rowsOf(40);
    const api = versionApi(rows, false, "updated_since");
    const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: api.fetch });
    try {
      const db = tempDb();
      const argv = [
        "sync",
        "--base-url",
        `http://127.0.0.1:${server.port}/items`,
        "--strategy",
        "offset",
        "--cursor-field",
        "version",
        "--initial-cursor",
        "0",
        "--db",
        db,
      ];
      const io = memoryIo({ env: {} });
      const code = await runCli(argv, io);
      expect(io.err.join("")).not.toContain("connector:");
      expect(code).toBe(0);
      expect(ids(db)).toHaveLength(40);
      expect(api.sinces[0]).toBe("-1");
    } finally {
      server.stop(true);
    }
  });
});
