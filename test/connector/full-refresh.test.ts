// sync --full-refresh: hard deletes in the source become soft deletes (_deleted = 1), against the real mock in
// process, into a real SQLite file; a refresh that does not finish marks nothing.
import { describe, expect, test } from "bun:test";
import type { FetchLike } from "../../src/connector/http/client";
import type { MockApp } from "../../src/mock";
import { inProcessMock } from "../helpers/mock";
import { NO_DIFF, dataset, diff } from "../../testkit/oracle";
import { deletedIds, integrityOk, savedState, syncOnce, tableRows, tempDb } from "../helpers/sync";
import { STRATEGY_NAMES } from "../../src/connector/paginators/registry";

/** A mock whose live changes are all hard deletes. */
function deletingMock(records: number, seed: number): { mock: MockApp; fetch: FetchLike } {
  return inProcessMock({ records, seed, deleteShare: 1, maxPageSize: 100 });
}

const config = (style: string, extra: Record<string, unknown> = {}) => ({
  base_url: `http://mock.test/pagination/${style}`,
  strategy: style,
  page_size: 20,
  ...extra,
});

for (const style of STRATEGY_NAMES) {
  describe(`full refresh, ${style}`, () => {
    test("rows deleted in the source are marked _deleted = 1; the live rows equal the source", async () => {
      const { mock, fetch } = deletingMock(170, 21);
      const db = tempDb();
      expect((await syncOnce(db, config(style), fetch)).error).toBeUndefined();
      const before = await dataset(fetch);
      mock.mutate(23);
      const after = await dataset(fetch);
      const gone = [...before.keys()].filter((id) => !after.has(id));
      expect(gone.length).toBe(23);

      // An incremental sync cannot see a hard delete: the rows stay live.
      await syncOnce(db, config(style), fetch);
      expect(deletedIds(db).size).toBe(0);

      const refresh = await syncOnce(db, config(style), fetch, { fullRefresh: true });
      expect(refresh.error).toBeUndefined();
      expect(refresh.summary).toMatchObject({ fullRefresh: true, deleted: 23, rows: after.size, inserted: 0 });
      expect([...deletedIds(db)].sort()).toEqual(gone.sort());
      expect(diff(db, after)).toEqual(NO_DIFF);
      expect(integrityOk(db)).toBe(true);
      expect(savedState(db)).toMatchObject({ run: null });

      // Nothing changed since: a second refresh marks nothing new and keeps the marks.
      const again = await syncOnce(db, config(style), fetch, { fullRefresh: true });
      expect(again.summary).toMatchObject({ deleted: 0, updated: 0 });
      expect(deletedIds(db).size).toBe(23);
    });
  });
}

describe("full refresh, interrupted", () => {
  test("a refresh stopped half-way marks nothing; the next plain sync finishes it, deletes included", async () => {
    const { mock, fetch } = deletingMock(200, 22);
    const db = tempDb();
    await syncOnce(db, config("offset"), fetch);
    mock.mutate(17);
    const after = await dataset(fetch);

    const cut = await syncOnce(db, config("offset", { max_pages: 3 }), fetch, { fullRefresh: true });
    expect(cut.error?.code).toBe("max_pages");
    expect(deletedIds(db).size).toBe(0);
    expect(savedState(db)).toMatchObject({ run: { refresh: true, pages: 3 } });

    const resumed = await syncOnce(db, config("offset"), fetch);
    expect(resumed.error).toBeUndefined();
    expect(resumed.summary).toMatchObject({ resumed: true, fullRefresh: true, deleted: 17 });
    expect(resumed.logs.join("\n")).toContain("resuming the interrupted full refresh after page 3");
    expect(diff(db, after)).toEqual(NO_DIFF);
    expect(tableRows(db).size + deletedIds(db).size).toBe(200);
  });

  test("--full-refresh drops an interrupted incremental run and reads from initial_cursor", async () => {
    const { mock, fetch } = deletingMock(120, 23);
    const db = tempDb();
    const cut = await syncOnce(db, config("keyset", { max_pages: 2 }), fetch);
    expect(cut.error?.code).toBe("max_pages");
    expect(savedState(db)).toMatchObject({ run: { pages: 2 } });
    const held = new Set(tableRows(db).keys());
    mock.mutate(30);
    const after = await dataset(fetch);
    const gone = [...held].filter((id) => !after.has(id));
    expect(gone.length).toBeGreaterThan(0);
    const refresh = await syncOnce(db, config("keyset"), fetch, { fullRefresh: true });
    expect(refresh.error).toBeUndefined();
    expect(refresh.logs.join("\n")).toContain("the interrupted incremental run is dropped");
    expect(refresh.summary).toMatchObject({ resumed: false, fullRefresh: true, deleted: gone.length, rows: 90 });
    expect(diff(db, after)).toEqual(NO_DIFF);
  });

  test("a refresh killed after its last page's rows but before its commit has marked nothing", async () => {
    const { mock, fetch } = deletingMock(60, 24);
    const db = tempDb();
    await syncOnce(db, config("page_number"), fetch);
    mock.mutate(4);
    // The last page fails to arrive (a permanent 500 on page 3 of 3): the refresh is not finished.
    let requests = 0;
    const failingLast: FetchLike = async (request) =>
      ++requests === 3 ? new Response('{"error":"down"}', { status: 500, headers: { "content-type": "application/json" } }) : fetch(request);
    const cut = await syncOnce(db, config("page_number", { retry: { max_attempts: 1 } }), failingLast, { fullRefresh: true });
    expect(cut.error).toBeDefined();
    expect(deletedIds(db).size).toBe(0);
    expect(tableRows(db).size).toBe(60);
    const resumed = await syncOnce(db, config("page_number"), fetch);
    expect(resumed.summary).toMatchObject({ resumed: true, deleted: 4 });
    expect(diff(db, await dataset(fetch))).toEqual(NO_DIFF);
  });
});
