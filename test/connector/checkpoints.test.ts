// Checkpoints: pages are committed in groups (rows and the state after the last of them in one transaction), by
// row count, by age (also while the next response is awaited), and at every way a run ends. A second connection
// reads the file as a user or a crash would: only what is committed.
import { Database } from "bun:sqlite";
import { describe, expect, test } from "bun:test";
import { tmpdir } from "node:os";
import { loadConfig } from "../../src/config/load";
import { Checkpoints, grownPolicy, settlesWithin } from "../../src/connector/writer/checkpoints";
import { runSync, type SyncSummary } from "../../src/connector/driver";
import type { FetchLike } from "../../src/connector/http/client";
import { silentLogger } from "../../src/connector/log";
import { openStore } from "../../src/store/open";
import type { Store } from "../../src/store/types";
import { tempDb, wrapStore } from "../helpers/sync";

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const user = (i: number) => ({
  id: `u${String(i).padStart(3, "0")}`,
  name: `n${i}`,
  updatedAt: `2024-01-01T00:${String(Math.floor(i / 60)).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}Z`,
});

/** Keyset pages of `per` rows over `total` users; `gate(page)` may hold a page's response back. */
function pagedApi(total: number, per: number, gate: (page: number) => Promise<void> | Response | void = () => {}) {
  let requests = 0;
  const fetch: FetchLike = async (request) => {
    requests++;
    const page = Number(new URL(request.url).searchParams.get("scroll_param") ?? "1");
    const held = await gate(page);
    if (held instanceof Response) return held;
    const from = (page - 1) * per;
    const rows = Array.from({ length: Math.max(0, Math.min(per, total - from)) }, (_, i) => user(from + i));
    return json({ data: rows, scroll_param: from + per < total ? String(page + 1) : null });
  };
  return { fetch, requests: () => requests };
}

/** What another process sees in the file: the committed run state's page count and the committed rows. */
function committed(db: string): { pages: number | null; finished: boolean; rows: number } {
  const sqlite = new Database(db, { readonly: true });
  try {
    const state = sqlite.query("SELECT state FROM _connector_state WHERE stream = 'user'").get() as { state: string } | null;
    const parsed = state ? (JSON.parse(state.state) as { run: { pages: number } | null; lastRun?: unknown }) : null;
    const table = sqlite.query("SELECT 1 FROM sqlite_master WHERE name = 'user'").get();
    const rows = table ? (sqlite.query('SELECT count(*) AS n FROM "user"').get() as { n: number }).n : 0;
    return { pages: parsed?.run?.pages ?? null, finished: parsed !== null && parsed.run === null && parsed.lastRun !== undefined, rows };
  } finally {
    sqlite.close();
  }
}

async function sync(
  db: string,
  fetch: FetchLike,
  overrides: Record<string, unknown>,
  wrap: (store: Store) => Store = (s) => s,
): Promise<{ summary?: SyncSummary; error?: Error }> {
  const { config } = loadConfig({ overrides: { base_url: "http://api.test/items", strategy: "keyset", ...overrides }, env: {}, cwd: tmpdir() });
  // The test's second connection reads while the sync runs (the write lock never blocks a reader).
  const store = await openStore(db, { mode: "writer" });
  try {
    return {
      summary: await runSync(config, { store: wrap(store), logger: silentLogger, fetch, sleep: async () => {}, now: () => Date.now(), random: () => 0.5 }),
    };
  } catch (error) {
    return { error: error as Error };
  } finally {
    await store.close();
  }
}

describe("checkpoint policy", () => {
  test("due by rows, by age, and never while nothing is open", async () => {
    let clock = 0;
    let commits = 0;
    const store = { checkpoint: async () => (commits++, true) } as unknown as Store;
    const checkpoints = new Checkpoints(store, { rows: 100, ms: 1000 }, () => clock);
    expect(checkpoints.due()).toBe(false);
    expect(await checkpoints.commit()).toEqual([]);
    expect(commits).toBe(0);
    checkpoints.wrote(1, 60);
    clock = 999;
    expect(checkpoints.due()).toBe(false);
    checkpoints.wrote(2, 39);
    expect(checkpoints.due()).toBe(false);
    clock = 1000;
    expect(checkpoints.due()).toBe(true);
    expect(await checkpoints.commit()).toEqual([1, 2]);
    expect(commits).toBe(1);
    // The age counts from the first page of the new checkpoint.
    checkpoints.wrote(3, 100);
    expect(checkpoints.due()).toBe(true);
    expect(checkpoints.msLeft()).toBe(1000);
    expect(await checkpoints.commit()).toEqual([3]);
  });

  test("a store that asks for larger checkpoints grows rows and age alike, from each checkpoint's first page", async () => {
    let clock = 0;
    let wanted = 0;
    const store = { checkpoint: async () => true, checkpointRows: (table: string) => (table === "users" ? wanted : 0) } as unknown as Store;
    const checkpoints = new Checkpoints(store, { rows: 100, ms: 1000 }, () => clock, "users");
    wanted = 400; // four times the configured checkpoint: 400 rows or 4 s
    checkpoints.wrote(1, 100);
    wanted = 0; // asked when a checkpoint opens, kept until it commits
    checkpoints.wrote(2, 299);
    clock = 3999;
    expect(checkpoints.due()).toBe(false);
    expect(checkpoints.msLeft()).toBe(1);
    checkpoints.wrote(3, 1);
    expect(checkpoints.due()).toBe(true);
    expect(await checkpoints.commit()).toEqual([1, 2, 3]);
    checkpoints.wrote(4, 100);
    expect(checkpoints.due()).toBe(true);
    expect(grownPolicy({ rows: 100, ms: 1000 }, 50)).toEqual({ rows: 100, ms: 1000 });
    // Every page its own checkpoint stays so, whatever the store asks.
    expect(grownPolicy({ rows: 1, ms: 1000 }, 5000)).toEqual({ rows: 1, ms: 1000 });
    expect(grownPolicy({ rows: 100, ms: 0 }, 5000)).toEqual({ rows: 100, ms: 0 });
  });

  test("pages a failed write discarded are not reported committed", async () => {
    const store = { checkpoint: async () => false } as unknown as Store;
    const checkpoints = new Checkpoints(store, { rows: 1, ms: 0 }, () => 0);
    checkpoints.wrote(1, 5);
    expect(await checkpoints.commit()).toEqual([]);
    expect(checkpoints.open).toBe(false);
  });

  test("settlesWithin: a promise that settles in time, one that does not, a rejection, and no time at all", async () => {
    expect(await settlesWithin(Promise.resolve(1), 50)).toBe(true);
    expect(await settlesWithin(Promise.reject(new Error("x")), 50)).toBe(true);
    expect(await settlesWithin(Bun.sleep(200), 20)).toBe(false);
    expect(await settlesWithin(Promise.resolve(1), 0)).toBe(false);
  });
});

describe("a sync commits pages in checkpoints", () => {
  test("by row count: 3 pages a checkpoint, the last one at the end, and the table exact", async () => {
    const db = tempDb();
    const api = pagedApi(100, 10);
    const commits: number[] = [];
    const run = await sync(db, api.fetch, { checkpoint_rows: 30, checkpoint_seconds: 3600 }, (store) =>
      wrapStore(store, { checkpoint: () => (commits.push(committed(db).pages ?? 0), store.checkpoint()) }),
    );
    expect(run.error).toBeUndefined();
    expect(run.summary?.pages).toBe(10);
    expect(run.summary?.checkpoints).toBe(4);
    // Before each commit another connection still sees the previous checkpoint: 0, 3, 6, then 9 pages.
    expect(commits).toEqual([0, 3, 6, 9]);
    expect(committed(db)).toEqual({ pages: null, finished: true, rows: 100 });
  });

  test("checkpoint_rows 1 commits every page", async () => {
    const db = tempDb();
    const run = await sync(db, pagedApi(45, 10).fetch, { checkpoint_rows: 1 });
    expect(run.summary?.checkpoints).toBe(5);
    expect(committed(db).rows).toBe(45);
  });

  test("by age, while the next response is late: the pages read so far are committed before it arrives", async () => {
    const db = tempDb();
    let release = () => {};
    const late = new Promise<void>((resolve) => (release = resolve));
    const seen: ReturnType<typeof committed>[] = [];
    const api = pagedApi(50, 10, (page) => {
      if (page !== 3) return;
      // Page 3 answers only after its waiting sync had the time to commit pages 1-2 (checkpoint_seconds 0.05).
      return (async () => {
        for (let i = 0; i < 100 && committed(db).pages === null; i++) await Bun.sleep(10);
        seen.push(committed(db));
        release();
      })();
    });
    const run = await sync(db, api.fetch, { checkpoint_rows: 10_000, checkpoint_seconds: 0.05 });
    await late;
    expect(run.error).toBeUndefined();
    expect(seen).toEqual([{ pages: 2, finished: false, rows: 20 }]);
    expect(committed(db)).toEqual({ pages: null, finished: true, rows: 50 });
  });

  test("a failing request keeps every page read before it, and the next sync resumes after them", async () => {
    const db = tempDb();
    const failing = pagedApi(80, 10, (page) => (page === 5 ? json({ error: "no such page" }, 404) : undefined));
    const run = await sync(db, failing.fetch, { checkpoint_rows: 10_000, checkpoint_seconds: 3600 });
    expect(run.error?.message).toContain("404");
    expect(committed(db)).toEqual({ pages: 4, finished: false, rows: 40 });
    const again = pagedApi(80, 10);
    const resumed = await sync(db, again.fetch, { checkpoint_rows: 10_000, checkpoint_seconds: 3600 });
    expect(resumed.summary?.resumed).toBe(true);
    expect(resumed.summary?.inserted).toBe(40);
    expect(again.requests()).toBe(4);
    expect(committed(db)).toEqual({ pages: null, finished: true, rows: 80 });
  });

  test("a page that fails to write discards its checkpoint whole; the state on disk stays the last commit's", async () => {
    const db = tempDb();
    // Page 4's write fails after its rows are upserted (the store's mid-transaction hook throws, as a full disk would).
    let writes = 0;
    const api = pagedApi(60, 10);
    const run = await sync(db, api.fetch, { checkpoint_rows: 20, checkpoint_seconds: 3600 }, (store) =>
      wrapStore(store, {
        writePage: (page) =>
          store.writePage({
            ...page,
            midTransaction: () => {
              if (++writes === 4) throw new Error("disk full");
            },
          }),
      }),
    );
    expect(run.error?.message).toBe("disk full");
    expect(run.summary).toBeUndefined();
    // Pages 1-2 were one checkpoint; page 3 was written into the next one, which page 4's failure discarded.
    expect(committed(db)).toEqual({ pages: 2, finished: false, rows: 20 });
    const resumed = await sync(db, pagedApi(60, 10).fetch, { checkpoint_rows: 20, checkpoint_seconds: 3600 });
    expect(resumed.summary?.inserted).toBe(40);
    expect(committed(db)).toEqual({ pages: null, finished: true, rows: 60 });
  });
});
