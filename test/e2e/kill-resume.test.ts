// SIGKILL the compiled binary at each step of a page, for every strategy, then resume: exact, nothing lost.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { STRATEGY_NAMES } from "../../src/connector/paginators/registry";
import { NO_DIFF, dataset, diff } from "../../testkit/oracle";
import { runBinary, startMockBinary, type RunningMock } from "../../testkit/processes";
import { integrityOk, savedState, tableRows, tempDb } from "../helpers/sync";

const STEPS = ["before-fetch", "after-fetch", "mid-transaction", "after-write", "after-commit"] as const;
let mock: RunningMock;
const oracle = () => dataset((request) => fetch(request), mock.url);

beforeAll(async () => {
  mock = await startMockBinary(["--records", "420", "--seed", "42", "--same-second", "7", "--max-page-size", "100"]);
});
afterAll(async () => {
  await mock.stop();
});

const TOTAL = 420;
const sync = (style: string, db: string, args: string[], env: Record<string, string> = {}) =>
  runBinary(["sync", "--base-url", `${mock.url}/pagination/${style}`, "--strategy", style, "--page-size", "20", "--db", db, "--log", "json", ...args], { env });

/**
 * The pages committed when a sync with checkpoints of `group` pages is killed at `step` of page `page`. Page k's
 * request goes out before page k-1 is written (pipelining); a checkpoint commits right after its last page is
 * written, and "after-commit" fires for each of its pages then.
 */
function committedAt(step: (typeof STEPS)[number], page: number, group: number): number {
  if (step === "before-fetch") return Math.floor((page - 2) / group) * group;
  if (step === "after-commit") return Math.ceil(page / group) * group;
  return Math.floor((page - 1) / group) * group;
}

// Every page its own checkpoint, and checkpoints of three pages (by row count; no time-based commit).
const POLICIES = [
  { name: "every page", group: 1, page: 3, args: () => ["--checkpoint-rows", "1"] },
  { name: "3-page checkpoints", group: 3, page: 5, args: (rows: number) => ["--checkpoint-rows", String(rows * 2 + 1), "--checkpoint-seconds", "3600"] },
];

describe("kill at each step of a page, then resume", () => {
  for (const [policy, style] of POLICIES.flatMap((p) => STRATEGY_NAMES.map((s) => [p, s] as const))) {
    for (const step of STEPS) {
      test(`${style}, ${policy.name}: SIGKILL ${step} of page ${policy.page}`, async () => {
        const db = tempDb();
        const pageRows = 20; // keyset too: it sends page_size as limit (the mock takes it above --max-page-size 50)
        const args = policy.args(pageRows);
        const killed = await sync(style, db, args, { CONNECTOR_TEST_KILL_AT: `${step}:${policy.page}` });
        expect(killed.signal).toBe("SIGKILL");
        const committedPages = committedAt(step, policy.page, policy.group);
        expect(committedPages).toBeGreaterThan(0);
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

        const resumed = await sync(style, db, args);
        expect(resumed.code).toBe(0);
        const summary = JSON.parse(resumed.stdout);
        expect(summary.resumed).toBe(true);
        expect(summary.inserted).toBe(TOTAL - committedRows);
        expect(summary.rows - summary.inserted).toBeLessThanOrEqual(1);
        expect(diff(db, await oracle())).toEqual(NO_DIFF);
        expect(integrityOk(db)).toBe(true);
      });
    }
  }
});
