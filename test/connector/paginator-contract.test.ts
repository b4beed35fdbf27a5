// The shared contract every paginator in the registry passes, against the real mock in process (no socket): a new
// strategy is run through these cases by being registered.
import { describe, expect, test } from "bun:test";
import { tmpdir } from "node:os";
import { loadConfig } from "../../src/config/load";
import type { FetchLike } from "../../src/connector/http/client";
import { STRATEGIES, STRATEGY_NAMES } from "../../src/connector/paginators/registry";
import type { MockApp, MockOptions } from "../../src/mock";
import { inProcessMock } from "../helpers/mock";
import { NO_DIFF, dataset, diff } from "../../testkit/oracle";
import { naiveOffsetSync } from "../../testkit/naive";
import { integrityOk, savedState, syncOnce, tableRows, tempDb } from "../helpers/sync";

const NOW = "2026-01-15T12:00:00Z";

function mockOf(options: MockOptions): { mock: MockApp; fetch: FetchLike } {
  return inProcessMock({ now: NOW, maxPageSize: 100, ...options }); // keyset takes limit (page_size) above the playground's 50
}

const config = (style: string, extra: Record<string, unknown> = {}) => ({ base_url: `http://mock.test/pagination/${style}`, page_size: 20, ...extra });

for (const style of STRATEGY_NAMES) {
  describe(`strategy ${style}`, () => {
    test("a first sync copies the source exactly; a second one is a cheap no-op", async () => {
      const { fetch } = mockOf({ records: 230, seed: 11 });
      const db = tempDb();
      const first = await syncOnce(db, config(style, { strategy: style }), fetch);
      expect(first.error).toBeUndefined();
      expect(first.summary?.inserted).toBe(230);
      expect(diff(db, await dataset(fetch))).toEqual(NO_DIFF);
      expect(integrityOk(db)).toBe(true);
      const again = await syncOnce(db, config(style, { strategy: style }), fetch);
      expect(again.summary).toMatchObject({ inserted: 0, updated: 0 });
      expect(again.summary?.requests).toBeLessThanOrEqual(2);
    });

    test("auto detects it from the first response", async () => {
      const { fetch } = mockOf({ records: 60, seed: 3 });
      const db = tempDb();
      const run = await syncOnce(db, config(style), fetch);
      expect(run.error).toBeUndefined();
      expect(run.summary?.strategy).toBe(style);
      expect(run.logs.join("")).toContain(`detected strategy ${style}`);
      expect(diff(db, await dataset(fetch))).toEqual(NO_DIFF);
    });

    test("incremental: later syncs pick up updates and inserts, and converge", async () => {
      const { mock, fetch } = mockOf({ records: 150, seed: 5 });
      const db = tempDb();
      await syncOnce(db, config(style, { strategy: style }), fetch);
      mock.mutate(40);
      const run = await syncOnce(db, config(style, { strategy: style }), fetch);
      expect(run.error).toBeUndefined();
      expect((run.summary?.updated ?? 0) + (run.summary?.inserted ?? 0)).toBeGreaterThan(0);
      expect(run.summary?.rows).toBeLessThan(150);
      expect(diff(db, await dataset(fetch))).toEqual(NO_DIFF);
    });

    test("ties across page boundaries (groups of 7 on pages of 20): every row once, none skipped", async () => {
      const { fetch } = mockOf({ records: 250, seed: 4, sameSecond: 7 });
      const db = tempDb();
      const run = await syncOnce(db, config(style, { strategy: style }), fetch);
      expect(run.error).toBeUndefined();
      expect(run.summary?.inserted).toBe(250);
      expect(diff(db, await dataset(fetch))).toEqual(NO_DIFF);
    });

    test("an empty source: no rows, a finished run; the empty first page is asked once more without the filter", async () => {
      const { fetch } = mockOf({ records: 0, seed: 2 });
      const db = tempDb();
      const run = await syncOnce(db, config(style, { strategy: style }), fetch);
      expect(run.error).toBeUndefined();
      // The second request proves the since filter is one (filter-checks.ts): without it the list is empty too.
      expect(run.summary).toMatchObject({ requests: 2, pages: 1, rows: 0, inserted: 0 });
      expect(tableRows(db).size).toBe(0);
      expect(savedState(db)).toMatchObject({ strategy: style, run: null });
    });

    test("a server that ignores the paging parameter: refused at the repeated page, naming the parameter", async () => {
      const { fetch } = mockOf({ records: 100, seed: 6 });
      // Without a cursor filter only the paging parameter moves the list on; this server drops all of them.
      const stuck: FetchLike = (request) => {
        const url = new URL(request.url);
        for (const name of ["offset", "page", "scroll_param"]) url.searchParams.delete(name);
        return fetch(new Request(url.href, request));
      };
      const db = tempDb();
      const settings = config(style, { strategy: style, request: { since_param: null } });
      const run = await syncOnce(db, settings, stuck);
      expect(run.error?.message).toContain("the same records as the page before (20 rows)");
      const { config: loaded } = loadConfig({ overrides: settings, env: {}, cwd: tmpdir() });
      expect(run.error?.message).toContain(`check ${STRATEGIES[style].pagingParam(loaded.request)} against`);
      // The first page is committed (it was whole and good); the repeat is not.
      expect(tableRows(db).size).toBe(20);
    });

    test("ties larger than a page: every row of each tie group, and no endless loop", async () => {
      const { fetch } = mockOf({ records: 400, seed: 9, sameSecond: 130 });
      const db = tempDb();
      const run = await syncOnce(db, config(style, { strategy: style, max_pages: 200 }), fetch);
      expect(run.error).toBeUndefined();
      expect(diff(db, await dataset(fetch))).toEqual(NO_DIFF);
      // A sync starting inside a tie group re-reads that group, never more than needed.
      const again = await syncOnce(db, config(style, { strategy: style, max_pages: 50 }), fetch);
      expect(again.error).toBeUndefined();
      expect(again.summary?.inserted).toBe(0);
    });

    test("the source changing during the sync loses no row that did not change (a naive pager loses some)", async () => {
      const { mock, fetch } = mockOf({ records: 600, seed: 21 });
      const before = await dataset(fetch);
      // Live change between every request: updates move rows to the end of the list, inserts add rows.
      const changing: FetchLike = async (request) => {
        if (new URL(request.url).pathname.startsWith("/pagination")) mock.mutate(3);
        return fetch(request);
      };
      const db = tempDb();
      const run = await syncOnce(db, config(style, { strategy: style }), changing);
      expect(run.error).toBeUndefined();
      const after = await dataset(fetch);
      const unchanged = [...before.keys()].filter((id) => after.get(id)?.updatedAt === before.get(id)?.updatedAt);
      expect(unchanged.length).toBeGreaterThan(300);
      expect(diff(db, after, { only: unchanged })).toEqual(NO_DIFF);
      // Negative control: the same schedule of changes must make plain offset paging lose rows, or this test
      // would prove nothing.
      const naive = await naiveOffsetSync(changing, 20);
      const lostByNaive = unchanged.filter((id) => !naive.has(id));
      expect(lostByNaive.length).toBeGreaterThan(0);
      // Once the source is quiet, one more sync makes the table equal to it.
      await syncOnce(db, config(style, { strategy: style }), fetch);
      expect(diff(db, await dataset(fetch))).toEqual(NO_DIFF);
    });

    test("an interrupted run resumes from its last committed page", async () => {
      const { fetch } = mockOf({ records: 200, seed: 13 });
      const db = tempDb();
      const stop = new AbortController();
      let requests = 0;
      const stopping: FetchLike = async (request) => {
        if (++requests === 2) stop.abort();
        return fetch(request);
      };
      const first = await syncOnce(db, config(style, { strategy: style }), stopping, { signal: stop.signal });
      expect(first.error?.message).toContain("stopped by a signal");
      // The saved position is the strategy's own variant, tagged with its name.
      expect((savedState(db) as { run: { position: { strategy: string } } }).run.position.strategy).toBe(style);
      const afterFirst = tableRows(db).size;
      expect(afterFirst).toBeGreaterThan(0);
      expect(afterFirst).toBeLessThan(200);
      const second = await syncOnce(db, config(style, { strategy: style }), fetch);
      expect(second.summary?.resumed).toBe(true);
      // Nothing committed is fetched again as new rows: the resumed run writes exactly the rest.
      expect(second.summary?.inserted).toBe(200 - afterFirst);
      expect((second.summary?.rows ?? 0) - (second.summary?.inserted ?? 0)).toBeLessThanOrEqual(1);
      expect(diff(db, await dataset(fetch))).toEqual(NO_DIFF);
    });
  });
}
