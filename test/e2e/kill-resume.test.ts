// SIGKILL the compiled binary at each step of a page, for every strategy, then resume: exact, nothing lost.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { NO_DIFF, dataset, diff } from "../helpers/oracle";
import { runBinary, startMockBinary, type RunningMock } from "../helpers/processes";
import { integrityOk, savedState, tableRows, tempDb } from "../helpers/sync";

const STEPS = ["before-fetch", "after-fetch", "mid-transaction", "after-commit"] as const;
const STYLES = ["offset", "page_number", "keyset", "next_page_url"] as const;
let mock: RunningMock;
const oracle = () => dataset((request) => fetch(request), mock.url);

beforeAll(async () => {
  mock = await startMockBinary(["--records", "260", "--seed", "42", "--same-second", "7"]);
});
afterAll(async () => {
  await mock.stop();
});

const sync = (style: string, db: string, env: Record<string, string> = {}) =>
  runBinary(["sync", "--base-url", `${mock.url}/pagination/${style}`, "--strategy", style, "--page-size", "20", "--db", db, "--log", "json"], { env });

describe("kill at each step of a page, then resume", () => {
  for (const style of STYLES) {
    for (const step of STEPS) {
      test(`${style}: SIGKILL ${step} of page 3`, async () => {
        const db = tempDb();
        const killed = await sync(style, db, { CONNECTOR_TEST_KILL_AT: `${step}:3` });
        expect(killed.signal).toBe("SIGKILL");
        const pageRows = style === "keyset" ? 50 : 20;
        // Page 3's request goes out while page 2 commits (pipelining), so a kill before it keeps only page 1.
        const committedPages = { "before-fetch": 1, "after-fetch": 2, "mid-transaction": 2, "after-commit": 3 }[step];
        // State never runs ahead of the data: the state covers exactly the committed pages, and the table holds a
        // gap-free prefix of the source in (updatedAt, id) order that ends at the saved anchor.
        const state = savedState(db) as { run: { pages: number; position: { lastKey: string | null } } };
        expect(state.run.pages).toBe(committedPages);
        const table = tableRows(db);
        expect(table.size).toBeGreaterThan(0);
        expect(table.size).toBeLessThanOrEqual(committedPages * pageRows);
        const ordered = [...(await oracle()).values()].sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : a.id < b.id ? -1 : 1));
        const prefix = ordered.slice(0, table.size).map((u) => u.id);
        expect([...table.keys()].sort()).toEqual([...prefix].sort());
        if (style !== "keyset") expect(state.run.position.lastKey).toBe(JSON.stringify([prefix.at(-1)]));
        const committedRows = table.size;

        const resumed = await sync(style, db);
        expect(resumed.code).toBe(0);
        const summary = JSON.parse(resumed.stdout);
        expect(summary.resumed).toBe(true);
        expect(summary.inserted).toBe(260 - committedRows);
        expect(summary.rows - summary.inserted).toBeLessThanOrEqual(1);
        expect(diff(db, await oracle())).toEqual(NO_DIFF);
        expect(integrityOk(db)).toBe(true);
      });
    }
  }
});
