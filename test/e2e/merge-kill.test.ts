// SIGKILL the compiled binary inside a grown checkpoint of a table large enough to be merged in key order (the
// threshold lowered to 200 rows by CONNECTOR_SQLITE_MERGE_FROM_ROWS), then resume: exact, nothing lost.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { NO_DIFF, dataset, diff } from "../../testkit/oracle";
import { runBinary, startMockBinary, type RunningMock } from "../../testkit/processes";
import { integrityOk, savedState, tableRows, tempDb } from "../helpers/sync";

const TOTAL = 2000;
const PAGE_ROWS = 20;
/** Killed here: 1,440 rows in, where a checkpoint grows to a tenth of the table (about 140 rows: seven pages). */
const KILL_PAGE = 73;
let mock: RunningMock;
const oracle = () => dataset((request) => fetch(request), mock.url);

beforeAll(async () => {
  mock = await startMockBinary(["--records", String(TOTAL), "--seed", "7", "--same-second", "5", "--max-page-size", "100"]);
});
afterAll(async () => {
  await mock.stop();
});

// Configured to commit every page: only the store's request grows a checkpoint past one page.
const sync = (style: string, db: string, env: Record<string, string> = {}) =>
  runBinary(
    [
      "sync",
      "--base-url",
      `${mock.url}/pagination/${style}`,
      "--strategy",
      style,
      "--page-size",
      String(PAGE_ROWS),
      "--db",
      db,
      "--log",
      "json",
      "--checkpoint-rows",
      "2",
      "--checkpoint-seconds",
      "3600",
    ],
    { env: { CONNECTOR_SQLITE_MERGE_FROM_ROWS: "200", ...env } },
  );

describe("kill inside a grown, merged checkpoint, then resume", () => {
  for (const style of ["keyset", "offset"]) {
    for (const step of ["mid-transaction", "after-write"]) {
      test(`${style}: SIGKILL ${step} of page ${KILL_PAGE}`, async () => {
        const db = tempDb();
        const killed = await sync(style, db, { CONNECTOR_TEST_KILL_AT: `${step}:${KILL_PAGE}` });
        expect(killed.signal).toBe("SIGKILL");
        const state = savedState(db) as { run: { pages: number } };
        // More than the page being written was lost: the open checkpoint held several pages, not one.
        expect(state.run.pages).toBeLessThan(KILL_PAGE - 1);
        expect(state.run.pages).toBeGreaterThan(KILL_PAGE - 10);
        const table = tableRows(db);
        expect(table.size).toBeLessThanOrEqual(state.run.pages * PAGE_ROWS);
        expect(table.size).toBeGreaterThan(1000);
        // A gap-free prefix of the source in (updatedAt, id) order: what the state covers, nothing more.
        const ordered = [...(await oracle()).values()].sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : a.id < b.id ? -1 : 1));
        expect([...table.keys()].sort()).toEqual(
          ordered
            .slice(0, table.size)
            .map((u) => u.id)
            .sort(),
        );
        expect(integrityOk(db)).toBe(true);

        const resumed = await sync(style, db);
        expect(resumed.code).toBe(0);
        const summary = JSON.parse(resumed.stdout);
        expect(summary.resumed).toBe(true);
        expect(summary.inserted).toBe(TOTAL - table.size);
        expect(summary.checkpoints).toBeLessThan(summary.pages);
        expect(diff(db, await oracle())).toEqual(NO_DIFF);
        expect(integrityOk(db)).toBe(true);
      });
    }
  }
});
