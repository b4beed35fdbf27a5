// Priority-first sync against the real mock in process (no socket), into a real SQLite file. Every request costs
// one second of simulated time (the mock's latency with an injected sleep), and the sync reads that same clock, so
// the time budget is exact and never depends on the machine.
import { afterEach, describe, expect, test } from "bun:test";
import { formatSummary } from "../../src/cli/sync-output";
import type { FetchLike } from "../../src/connector/http/client";
import { createMockApp, type MockApp } from "../../src/mock";
import { items, linkHeaderApi, type Item } from "../helpers/dialects";
import { NO_DIFF, dataset, diff } from "../../testkit/oracle";
import { integrityOk, savedState, syncOnce, tableRows, tempDb, type SyncRun } from "../helpers/sync";
import { STRATEGY_NAMES } from "../../src/connector/paginators/registry";

const NOW = "2026-01-15T12:00:00Z";
const NEWEST_WINDOW = "2026-01-14T12:00:00Z"; // NOW - 24h
const RECORDS = 2000;
let mocks: MockApp[] = [];
afterEach(() => {
  for (const m of mocks) m.close();
  mocks = [];
});

interface Backfill {
  anchor: string;
  limit: string | null;
  done: [string, string][];
  current: { window: [string, string]; run: { pages: number } } | null;
}
const backfillOf = (db: string) => (savedState(db) as { backfill: Backfill }).backfill;

/** 2000 users over the 10 days before NOW; each request takes one simulated second on the clock the sync reads. */
function world(seed: number) {
  const clock = { ms: Date.parse(NOW) };
  // Its own createMockApp: latency runs on the simulated clock the sync reads.
  const mock = createMockApp({
    records: RECORDS,
    seed,
    now: NOW,
    spanDays: 10,
    maxPageSize: 100,
    latencyMs: 1000,
    clock: () => clock.ms,
    sleep: async (ms) => void (clock.ms += ms),
  });
  mocks.push(mock);
  const fetch: FetchLike = (request) => mock.fetch(request);
  return { mock, clock, fetch, now: () => clock.ms };
}

const pfs = (style: string, extra: Record<string, unknown> = {}) => ({
  base_url: `http://mock.test/pagination/${style}`,
  strategy: style,
  page_size: 20,
  priority_first: true,
  window: "24h",
  max_duration: "40s",
  ...extra,
});

/** Runs until history is complete (at most `max` runs); every run must succeed. */
async function untilComplete(db: string, config: Record<string, unknown>, fetch: FetchLike, now: () => number, max = 12): Promise<SyncRun[]> {
  const runs: SyncRun[] = [];
  do {
    const run = await syncOnce(db, config, fetch, { now });
    expect(run.error).toBeUndefined();
    runs.push(run);
  } while ((runs.at(-1)?.summary?.history?.remainingSeconds ?? 0) > 0 && runs.length < max);
  return runs;
}

for (const style of STRATEGY_NAMES) {
  describe(`priority-first, ${style}`, () => {
    test("the first run under a small budget has every row of the newest window, and fewer than all rows", async () => {
      const { fetch, now } = world(4);
      const db = tempDb();
      const first = await syncOnce(db, pfs(style), fetch, { now });
      expect(first.error).toBeUndefined();
      const oracle = await dataset(fetch);
      const newest = [...oracle.values()].filter((u) => u.updatedAt >= NEWEST_WINDOW).map((u) => u.id);
      expect(newest.length).toBeGreaterThan(100);
      expect(diff(db, oracle, { only: newest })).toEqual(NO_DIFF);
      const synced = tableRows(db).size;
      expect(synced).toBeGreaterThan(newest.length); // some history, newest first
      expect(synced).toBeLessThan(RECORDS);
      expect(first.summary?.history).toMatchObject({ budgetSpent: true, limitFrom: "oldest row" });
      expect(first.summary?.history?.remainingSeconds).toBeGreaterThan(0);
      expect(first.summary?.history?.windows).toBeGreaterThan(0);
      // The budget is 40 s of the injected clock; the page that crossed it was committed, no other was sent.
      expect(first.summary?.seconds).toBeGreaterThanOrEqual(40);
      expect(first.summary?.seconds).toBeLessThanOrEqual(42);
      // Whatever was synced of history is contiguous with the newest window and exact.
      const back = first.summary?.history?.syncedBack as string;
      expect(back < NEWEST_WINDOW).toBe(true);
      const since = [...oracle.values()].filter((u) => u.updatedAt >= back).map((u) => u.id);
      expect(diff(db, oracle, { only: since })).toEqual(NO_DIFF);
      expect(formatSummary(first.summary as NonNullable<SyncRun["summary"]>)).toMatch(/^history left +\d+d( \d+h)?: synced back to .*run again to continue$/m);
    });

    test("repeated runs converge to the exact dataset; finished windows merge into one interval", async () => {
      const { fetch, now } = world(5);
      const db = tempDb();
      const runs = await untilComplete(db, pfs(style), fetch, now);
      expect(runs.length).toBeGreaterThan(1);
      expect(runs.at(-1)?.summary?.history?.remainingSeconds).toBe(0);
      expect(diff(db, await dataset(fetch))).toEqual(NO_DIFF);
      expect(integrityOk(db)).toBe(true);
      const backfill = backfillOf(db);
      expect(backfill.anchor).toBe(NEWEST_WINDOW);
      expect(backfill.done).toEqual([[backfill.limit as string, backfill.anchor]]);
      expect(backfill.current).toBeNull();
      // Nothing was written twice as new: every row was inserted exactly once over all runs.
      expect(runs.reduce((n, r) => n + (r.summary?.inserted ?? 0), 0)).toBe(RECORDS);
      const again = await syncOnce(db, pfs(style), fetch, { now });
      expect(again.summary).toMatchObject({ inserted: 0, updated: 0, history: { windows: 0, remainingSeconds: 0 } });
    });

    test("an interrupted history window resumes inside the window, not from its start", async () => {
      const { fetch, now } = world(6);
      const db = tempDb();
      const stop = new AbortController();
      let historyPages = 0;
      const stopping: FetchLike = async (request) => {
        const since = new URL(request.url).searchParams.get("updated_since");
        // History reads ask from a second before their window; the forward run from a second before the anchor.
        if (historyPages > 0 || (since !== null && since < "2026-01-14T11:59:59Z" && !since.startsWith("0001"))) historyPages++;
        if (historyPages === 3) stop.abort();
        return fetch(request);
      };
      const first = await syncOnce(db, pfs(style, { max_duration: "1h" }), stopping, { now, signal: stop.signal });
      expect(first.error?.message).toContain("stopped by a signal");
      const killed = backfillOf(db);
      expect(killed.done).toEqual([]);
      expect(killed.current?.window).toEqual(["2026-01-13T12:00:00Z", NEWEST_WINDOW]);
      expect(killed.current?.run.pages).toBe(3);
      const kept = tableRows(db).size;

      const second = await syncOnce(db, pfs(style, { max_duration: "1h" }), fetch, { now });
      expect(second.error).toBeUndefined();
      expect(second.summary?.resumed).toBe(true);
      expect(second.logs.join("")).toContain("resuming the interrupted history window 2026-01-13T12:00:00Z to 2026-01-14T12:00:00Z after page 3");
      expect(second.summary?.inserted).toBe(RECORDS - kept);
      // Read again: the forward run's first row (its inclusive cursor) and at most one page of the window.
      expect((second.summary?.rows ?? 0) - (second.summary?.inserted ?? 0)).toBeLessThanOrEqual(style === "keyset" ? 50 : 20);
      expect(diff(db, await dataset(fetch))).toEqual(NO_DIFF);
    });
  });
}

describe("priority-first and changing data", () => {
  test("rows updated while history is read end at their newest version", async () => {
    const { mock, fetch, now } = world(7);
    const db = tempDb();
    const changing: FetchLike = async (request) => {
      if (new URL(request.url).pathname.startsWith("/pagination")) mock.mutate(2);
      return fetch(request);
    };
    await untilComplete(db, pfs("offset"), changing, now);
    const last = await syncOnce(db, pfs("offset"), fetch, { now });
    expect(last.error).toBeUndefined();
    const oracle = await dataset(fetch);
    const changed = [...oracle.values()].filter((u) => u.updatedAt > NOW).map((u) => u.id);
    expect(changed.length).toBeGreaterThan(50);
    expect(diff(db, oracle)).toEqual(NO_DIFF);
  });

  test("the stale-write guard: a history window never overwrites a newer row the forward sync wrote", async () => {
    // A lagging replica: history windows are answered from the data as it was, the forward sync from the data as
    // it is after 300 changes. Without the guard the old versions read by the backfill would win.
    const { fetch: oldFetch, now } = world(8);
    const current = world(8);
    current.clock.ms += 3600_000;
    current.mock.mutate(300);
    const routed: FetchLike = (request) => {
      const since = new URL(request.url).searchParams.get("updated_since");
      return since !== null && since < NEWEST_WINDOW ? oldFetch(request) : current.fetch(request);
    };
    const db = tempDb();
    const runs = await untilComplete(db, pfs("offset", { max_duration: "1h" }), routed, now);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.summary?.stale).toBeGreaterThan(100);
    const newest = await dataset(current.fetch);
    expect(diff(db, newest)).toEqual(NO_DIFF);
  });
});

describe("priority-first with other APIs", () => {
  const DATA_END = "2025-03-01T00:10:00Z"; // items(600): one row per second from 2025-03-01T00:00:00Z
  const windowed = (data: Item[]) => {
    const requests: URL[] = [];
    const fetch: FetchLike = async (request) => {
      const url = new URL(request.url);
      requests.push(url);
      const since = url.searchParams.get("updated_since") ?? "";
      const before = url.searchParams.get("updated_before");
      const list = data.filter((d) => d.modified >= since && (before === null || d.modified < before));
      const offset = Number(url.searchParams.get("offset"));
      return Response.json({ data: list.slice(offset, offset + Number(url.searchParams.get("limit"))), total: list.length });
    };
    return { fetch, requests };
  };
  const config = (extra: Record<string, unknown>) => ({
    base_url: "http://api.test/items",
    strategy: "offset",
    cursor_field: "modified",
    params: {},
    page_size: 25,
    priority_first: true,
    window: "49s",
    max_duration: "1h",
    ...extra,
  });
  const ids = (db: string) => [...tableRows(db).keys()].map(Number).sort((a, b) => a - b);
  const all = Array.from({ length: 600 }, (_, i) => i + 1);

  test("an upper-bound parameter, when configured, saves each window's extra page", async () => {
    const now = () => Date.parse(DATA_END);
    const plain = windowed(items(600));
    const plainDb = tempDb();
    // Windows of 48 s, read from a second before each: 49 rows, two re-anchored pages of 25 (the second full).
    expect((await syncOnce(plainDb, config({ window: "48s" }), plain.fetch, { now })).error).toBeUndefined();
    const bounded = windowed(items(600));
    const boundedDb = tempDb();
    const run = await syncOnce(boundedDb, config({ window: "48s", request: { until_param: "updated_before" } }), bounded.fetch, { now });
    expect(run.error).toBeUndefined();
    expect(ids(plainDb)).toEqual(all);
    expect(ids(boundedDb)).toEqual(all);
    // Every history request carries its window's upper bound (the forward run asks from 00:09:11, the anchor's second before).
    const history = bounded.requests.filter(
      (u) => (u.searchParams.get("updated_since") ?? "") < "2025-03-01T00:09:11Z" && !u.searchParams.get("updated_since")?.startsWith("0001"),
    );
    expect(history.length).toBeGreaterThan(10);
    for (const url of history) expect(url.searchParams.get("updated_before")).not.toBeNull();
    expect(bounded.requests.length).toBeLessThan(plain.requests.length - 8);
  });

  test("link_header: the budget stops history between pages, and later runs converge", async () => {
    const data = items(600);
    const api = linkHeaderApi(data);
    const clock = { ms: Date.parse(DATA_END) };
    const slow: FetchLike = async (request) => ((clock.ms += 1000), api.fetch(request));
    const db = tempDb();
    const cfg = config({
      strategy: "link_header",
      page_size: 10,
      max_duration: "20s",
      window: "2m",
      request: { since_param: "since" },
      response: { records: "" },
    });
    const runs = await untilComplete(db, cfg, slow, () => clock.ms);
    expect(runs.length).toBeGreaterThan(2);
    expect(runs[0]?.summary?.history?.budgetSpent).toBe(true);
    expect(ids(db)).toEqual(all);
    expect(runs.reduce((n, r) => n + (r.summary?.inserted ?? 0), 0)).toBe(600);
  });

  test("an API that cannot filter by the cursor is refused before anything is written", async () => {
    const db = tempDb();
    const error = await syncOnce(db, config({ request: { since_param: null } }), windowed(items(10)).fetch).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error & { exitCode: number }).exitCode).toBe(2);
    expect((error as Error).message).toContain("priority_first needs an API that filters by the cursor, but request.since_param is null");
  });
});
