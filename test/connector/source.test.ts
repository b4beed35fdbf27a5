// Issue 14 §1: a table's state belongs to one source; another one is refused before any request.
import { Database } from "bun:sqlite";
import { describe, expect, test } from "bun:test";
import type { FetchLike } from "../../src/connector/http/client";
import { inProcessMock } from "../helpers/mock";
import { items, linkHeaderApi } from "../helpers/dialects";
import { NO_DIFF, dataset, diff } from "../../testkit/oracle";
import { savedState, syncOnce, tableRows, tempDb } from "../helpers/sync";

/** The real mock in process, counting the requests it answers. */
function mockOf(records: number, seed: number): { fetch: FetchLike; requests: () => number } {
  const { fetch } = inProcessMock({ records, seed });
  let count = 0;
  return { fetch: (request) => (new URL(request.url).pathname.startsWith("/_mock") || count++, fetch(request)), requests: () => count };
}

const offset = (extra: Record<string, unknown> = {}) => ({ base_url: "http://mock.test/pagination/offset", strategy: "offset", page_size: 20, ...extra });
const other = {
  base_url: "http://other.test/items",
  strategy: "link_header",
  response: { records: "" },
  cursor_field: "modified",
  params: {},
  page_size: 20,
  request: { since_param: null },
};

describe("a table's source", () => {
  test("a second source into the same table is refused with exit 2 before any request, naming both and the ways out", async () => {
    const db = tempDb();
    const first = mockOf(120, 1);
    expect((await syncOnce(db, offset(), first.fetch)).error).toBeUndefined();
    const api = linkHeaderApi(items(50));
    const run = await syncOnce(db, other, api.fetch);
    expect(run.error?.exitCode).toBe(2);
    expect(api.requests).toHaveLength(0);
    const message = run.error?.message ?? "";
    expect(message).toContain("http://mock.test/pagination/offset?order_by=updatedAt&order_type=asc (cursor updatedAt, key id)");
    expect(message).toContain("http://other.test/items (cursor modified, key id)");
    expect(message).toContain("--table NAME");
    expect(message).toContain("connector reset --table user");
    expect(message).toContain("--source-moved");
    expect(tableRows(db).size).toBe(120);
    // Into its own table, the second source syncs whole.
    const own = await syncOnce(db, { ...other, table: "items" }, api.fetch);
    expect(own.error).toBeUndefined();
    expect(tableRows(db, "items").size).toBe(50);
  });

  test("an interrupted run of one source is not dropped for another: the sync is refused, nothing is read", async () => {
    const db = tempDb();
    const first = mockOf(120, 1);
    const cut = await syncOnce(db, offset({ max_pages: 2 }), first.fetch);
    expect(cut.error?.message).toContain("max_pages");
    const second = mockOf(300, 2);
    const run = await syncOnce(db, { ...offset(), base_url: "http://elsewhere.test/pagination/offset" }, second.fetch);
    expect(run.error?.exitCode).toBe(2);
    expect(second.requests()).toBe(0);
    expect((savedState(db)?.run as { pages: number } | undefined)?.pages).toBe(2);
    // The same source resumes it and ends exact.
    const resumed = await syncOnce(db, offset(), first.fetch);
    expect(resumed.summary?.resumed).toBe(true);
    expect(diff(db, await dataset(first.fetch))).toEqual(NO_DIFF);
  });

  test("what does not decide which rows exist (page size, checkpoints, retries) is the same source", async () => {
    const db = tempDb();
    const { fetch } = mockOf(90, 3);
    expect((await syncOnce(db, offset(), fetch)).error).toBeUndefined();
    const again = await syncOnce(db, offset({ page_size: 50, checkpoint_rows: 1, retry: { max_attempts: 3 } }), fetch);
    expect(again.error).toBeUndefined();
    // A filter is part of the source.
    const filtered = await syncOnce(db, offset({ params: { order_by: "updatedAt", order_type: "asc", status: "x" } }), fetch);
    expect(filtered.error?.exitCode).toBe(2);
  });

  test("a secret in the params is neither saved in the state's source nor shown in the refusal", async () => {
    const db = tempDb();
    const api = linkHeaderApi(items(10));
    const secret = { ...other, params: { token: "${API_TOKEN}" } };
    expect((await syncOnce(db, secret, api.fetch, { env: { API_TOKEN: "s3cr3t-value" } })).error).toBeUndefined();
    expect(JSON.stringify(savedState(db))).not.toContain("s3cr3t-value");
    const run = await syncOnce(db, { ...secret, base_url: "http://third.test/items" }, api.fetch, { env: { API_TOKEN: "0ther-s3cret" } });
    expect(run.error?.exitCode).toBe(2);
    expect(run.error?.message).toContain("http://other.test/items?token=***");
    expect(run.error?.message).not.toContain("0ther-s3cret");
  });

  test("--source-moved keeps the table and its cursor for the same API at a new address", async () => {
    const db = tempDb();
    const data = items(40);
    const api = linkHeaderApi(data);
    expect((await syncOnce(db, other, api.fetch)).error).toBeUndefined();
    const moved = { ...other, base_url: "http://new-host.test/items" };
    expect((await syncOnce(db, moved, api.fetch)).error?.exitCode).toBe(2);
    const run = await syncOnce(db, moved, api.fetch, { source: { moved: true } });
    expect(run.error).toBeUndefined();
    expect(run.logs.join("\n")).toContain("moved from http://other.test/items");
    expect(savedState(db)?.source).toBe("http://new-host.test/items (cursor modified, key id)");
    expect((await syncOnce(db, moved, api.fetch)).error).toBeUndefined();
  });

  test("a state saved before sources were recorded (today's format) resumes its interrupted run and adopts the source once", async () => {
    const db = tempDb();
    const { fetch } = mockOf(150, 4);
    await syncOnce(db, offset({ max_pages: 3 }), fetch);
    // Rewrite the state exactly as the previous version saved it: no `source`.
    const sqlite = new Database(db);
    const { source, ...old } = savedState(db) as Record<string, unknown>;
    expect(source).toBeString();
    sqlite.query("UPDATE _connector_state SET state = ? WHERE stream = 'user'").run(JSON.stringify(old));
    sqlite.close();
    const resumed = await syncOnce(db, offset(), fetch);
    expect(resumed.error).toBeUndefined();
    expect(resumed.summary?.resumed).toBe(true);
    expect(resumed.logs.filter((line) => line.includes("no recorded source"))).toHaveLength(1);
    expect(savedState(db)?.source).toBe(source);
    expect(diff(db, await dataset(fetch))).toEqual(NO_DIFF);
    const next = await syncOnce(db, offset(), fetch);
    expect(next.logs.some((line) => line.includes("no recorded source"))).toBe(false);
  });
});
