// SIGKILL the compiled binary in the middle of a priority-first history window, then run it again: the window
// resumes where its last committed page left it, not from its start, and the table ends exact.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { formatTimestamp } from "../../src/connector/cursor";
import { NO_DIFF, dataset, diff, type User } from "../../testkit/oracle";
import { runBinary, startMockBinary, type RunningMock } from "../../testkit/processes";
import { integrityOk, savedState, tableRows, tempDb } from "../helpers/sync";

const RECORDS = 3000;
const PAGE = 20;
let mock: RunningMock;
const oracle = () => dataset((request) => fetch(request), mock.url);
const byCursor = (a: User, b: User) => (a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : a.id < b.id ? -1 : 1);

beforeAll(async () => {
  // 300 users a day over 10 days before the current hour; every request 1 ms late.
  mock = await startMockBinary(["--records", String(RECORDS), "--seed", "17", "--span-days", "10", "--latency-ms", "1"]);
});
afterAll(async () => {
  await mock.stop();
});

const sync = (db: string, env: Record<string, string> = {}) =>
  runBinary(
    [
      "sync",
      "--base-url",
      `${mock.url}/pagination/offset`,
      "--strategy",
      "offset",
      "--page-size",
      String(PAGE),
      "--db",
      db,
      "--log",
      "json",
      "--priority-first",
      "--window",
      "24h",
      "--max-duration",
      "10m",
      "--checkpoint-rows",
      "1",
    ],
    { env },
  );

interface State {
  lastRun: { pages: number };
  backfill: {
    anchor: string;
    limit: string;
    done: unknown[];
    current: { window: [string, string]; run: { pages: number; position: { lastKey: string } } } | null;
  };
}

describe("priority-first: SIGKILL mid-window, then resume", () => {
  test("the next run resumes inside the window; at most one page is read again", async () => {
    const before = await oracle();
    // The forward run reads the newest 24 hours in pages of 20 (19 new rows after the first: one re-read anchor row).
    const newest = [...before.values()].filter((u) => u.updatedAt >= formatTimestamp(Date.now() - 86_400_000)).length;
    const forwardPages = 1 + Math.ceil(Math.max(0, newest - PAGE) / (PAGE - 1));
    const killAt = forwardPages + 6; // page 6 of the first history window, give or take the clock's second
    const db = tempDb();
    const killed = await sync(db, { CONNECTOR_TEST_KILL_AT: `after-commit:${killAt}` });
    expect(killed.signal).toBe("SIGKILL");

    const state = savedState(db) as unknown as State;
    const { anchor, current } = state.backfill;
    expect(state.backfill.done).toEqual([]);
    expect(current?.window).toEqual([formatTimestamp(Date.parse(anchor) - 86_400_000), anchor]);
    expect(current?.run.pages).toBe(killAt - state.lastRun.pages);
    // The table: every row of the newest window, then a gap-free prefix of the first history window.
    const table = tableRows(db);
    const fresh = [...before.values()].filter((u) => u.updatedAt >= anchor);
    const windowRows = [...before.values()].filter((u) => u.updatedAt >= (current?.window[0] as string) && u.updatedAt < anchor).sort(byCursor);
    expect(windowRows.length).toBeGreaterThan(10 * PAGE);
    const prefix = windowRows.slice(0, table.size - fresh.length);
    expect(prefix.length).toBeGreaterThan(PAGE);
    expect([...table.keys()].sort()).toEqual([...fresh, ...prefix].map((u) => u.id).sort());
    expect(current?.run.position.lastKey).toBe(JSON.stringify([prefix.at(-1)?.id]));

    // `connector state` shows the window in progress and the history that remains.
    const shown = await runBinary(["state", "--db", db]);
    expect(shown.code).toBe(0);
    const printed = JSON.parse(shown.stdout).user.backfill;
    expect(printed.current.run.pages).toBe(current?.run.pages);
    expect(printed.remaining).toEqual([[state.backfill.limit, anchor]]);

    const kept = table.size;
    const resumed = await sync(db);
    expect(resumed.code).toBe(0);
    const summary = JSON.parse(resumed.stdout);
    expect(resumed.stderr).toContain(`resuming the interrupted history window ${current?.window[0]} to ${anchor} after page ${current?.run.pages}`);
    expect(summary.resumed).toBe(true);
    expect(summary.history).toMatchObject({ remainingSeconds: 0, budgetSpent: false });
    expect(summary.inserted).toBe(RECORDS - kept);
    expect(summary.rows - summary.inserted).toBeLessThanOrEqual(PAGE);
    expect(diff(db, await oracle())).toEqual(NO_DIFF);
    expect(integrityOk(db)).toBe(true);
  });
});
