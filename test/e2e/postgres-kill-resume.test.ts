// SIGKILL the compiled binary at each step of a page while it syncs into PostgreSQL, then resume: exact, nothing
// lost (the same matrix as kill-resume.test.ts for SQLite; the server, not the file, keeps the transaction).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { dataset } from "../../testkit/oracle";
import { testPostgres, type TestPostgres } from "../helpers/postgres";
import { pgDiff, pgSavedState, pgTableRows } from "../helpers/postgres-rows";
import { runBinary, startMockBinary, type RunningMock } from "../../testkit/processes";

const STEPS = ["before-fetch", "after-fetch", "mid-transaction", "after-write", "after-commit"] as const;
const STYLES = ["offset", "page_number", "keyset", "next_page_url"] as const;
const TOTAL = 420;
let mock: RunningMock;
let pg: TestPostgres;
const oracle = () => dataset((request) => fetch(request), mock.url);

beforeAll(async () => {
  pg = await testPostgres();
  mock = await startMockBinary(["--records", String(TOTAL), "--seed", "42", "--same-second", "7", "--max-page-size", "100"]);
});
afterAll(async () => {
  await mock?.stop();
});

const sync = (style: string, db: string, args: string[], env: Record<string, string> = {}) =>
  runBinary(["sync", "--base-url", `${mock.url}/pagination/${style}`, "--strategy", style, "--page-size", "20", "--db", db, "--log", "json", ...args], { env });

/** The pages committed when a sync with checkpoints of `group` pages is killed at `step` of page `page` (as for SQLite). */
function committedAt(step: (typeof STEPS)[number], page: number, group: number): number {
  if (step === "before-fetch") return Math.floor((page - 2) / group) * group;
  if (step === "after-commit") return Math.ceil(page / group) * group;
  return Math.floor((page - 1) / group) * group;
}

const POLICIES = [
  { name: "every page", group: 1, page: 3, args: () => ["--checkpoint-rows", "1"] },
  { name: "3-page checkpoints", group: 3, page: 5, args: (rows: number) => ["--checkpoint-rows", String(rows * 2 + 1), "--checkpoint-seconds", "3600"] },
];

describe("PostgreSQL: kill at each step of a page, then resume", () => {
  for (const [policy, style] of POLICIES.flatMap((p) => STYLES.map((s) => [p, s] as const))) {
    for (const step of STEPS) {
      test(`${style}, ${policy.name}: SIGKILL ${step} of page ${policy.page}`, async () => {
        const db = await pg.createDatabase("kill");
        const pageRows = 20;
        const args = policy.args(pageRows);
        const killed = await sync(style, db, args, { CONNECTOR_TEST_KILL_AT: `${step}:${policy.page}` });
        expect(killed.signal).toBe("SIGKILL");
        const committedPages = committedAt(step, policy.page, policy.group);
        // The state covers exactly the committed pages, and the table holds a gap-free prefix of the source.
        const state = (await pgSavedState(db)) as { run: { pages: number; position: { lastKey: string | null } } };
        expect(state.run.pages).toBe(committedPages);
        const table = await pgTableRows(db);
        expect(table.size).toBeGreaterThan(0);
        expect(table.size).toBeLessThanOrEqual(committedPages * pageRows);
        const ordered = [...(await oracle()).values()].sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : a.id < b.id ? -1 : 1));
        const prefix = ordered.slice(0, table.size).map((u) => u.id);
        expect([...table.keys()].sort()).toEqual([...prefix].sort());
        if (style !== "keyset") expect(state.run.position.lastKey).toBe(JSON.stringify([prefix.at(-1)]));

        const resumed = await sync(style, db, args);
        expect(resumed.code).toBe(0);
        const summary = JSON.parse(resumed.stdout);
        expect(summary.resumed).toBe(true);
        expect(summary.inserted).toBe(TOTAL - table.size);
        expect(summary.rows - summary.inserted).toBeLessThanOrEqual(1);
        expect(await pgDiff(db, await oracle())).toEqual({ missing: [], extra: [], wrong: [] });
      });
    }
  }
});
