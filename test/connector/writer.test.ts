// The page writer on its own (issue 17): pages handed to it as the reader hands them, into a store that records
// what it is asked. When it commits, what state goes with which rows, the full refresh's steps, the counts.
import { describe, expect, test } from "bun:test";
import { tmpdir } from "node:os";
import { loadConfig } from "../../src/config/load";
import { silentLogger } from "../../src/connector/log";
import { startPosition } from "../../src/connector/paginators/types";
import type { PageStep, ReadPage } from "../../src/connector/reader/types";
import { slotState } from "../../src/connector/run-slot";
import { emptyState, type RunState } from "../../src/connector/state";
import { specOf } from "../../src/connector/sync";
import { PageWriter } from "../../src/connector/writer/page-writer";
import type { Store } from "../../src/store/types";

const { config } = loadConfig({ overrides: { base_url: "http://api.test/items", strategy: "offset" }, env: {}, cwd: tmpdir() });
const since = "2024-01-01T00:00:00Z";
const progress = {
  strategy: "offset" as const,
  detected: null,
  resumed: false,
  fullRefresh: false,
  expected: null,
  requests: 1,
  retries: 0,
  restarts: 0,
  warnings: [],
  stoppedEarly: false,
  httpWaitMs: 0,
  parseMs: 0,
};

/** Page n of a run of `of` pages, 20 rows each, the cursor moving a day a page. */
function page(n: number, of: number, extra: Partial<RunState> = {}, stopping = false): ReadPage {
  const rows = Array.from({ length: 20 }, (_, i) => ({ id: `r${n}-${i}`, updatedAt: `2024-01-${String(n + 1).padStart(2, "0")}T00:00:00Z` }));
  const run: RunState = {
    since,
    position: startPosition(since),
    maxCursor: rows[0]?.updatedAt ?? null,
    startedAt: since,
    pages: n,
    rows: n * 20,
    source: "http://api.test/items",
    ...extra,
  };
  return { number: n, rows, run, strategy: "offset", detected: null, last: n === of, stopping, progress: { ...progress, requests: n + (n === of ? 0 : 1) } };
}

/** A store that records every call; commits succeed unless told otherwise. */
function recordingStore(failCommit = false) {
  const calls: string[] = [];
  const states: Record<string, unknown>[] = [];
  const store: Pick<Store, "writePage" | "checkpoint"> = {
    async writePage({ rows, state, midTransaction, refresh }) {
      midTransaction?.();
      const steps = refresh ? [refresh.start && "start", refresh.finish && "finish"].filter(Boolean).join("+") || "middle" : null;
      calls.push(`write ${rows.length}${steps ? ` refresh ${steps}` : ""}`);
      states.push(state);
      return { inserted: rows.length - 1, updated: 0, unchanged: 0, stale: 1 };
    },
    async checkpoint() {
      if (failCommit) throw new Error("disk full");
      calls.push("commit");
      return true;
    },
  };
  return { store, calls, states };
}

function writer(store: Pick<Store, "writePage" | "checkpoint">, policy = { rows: 30, ms: 60_000 }, extra: { logs?: string[]; fullRefresh?: boolean } = {}) {
  const steps: string[] = [];
  const summaries: number[] = [];
  const state = emptyState();
  const slot = slotState({ kind: "forward", fullRefresh: extra.fullRefresh }, state, config);
  const logger = extra.logs ? { log: (_level: string, message: string) => void extra.logs?.push(message) } : silentLogger;
  const hooks = {
    logger,
    now: () => Date.parse("2024-02-01T00:00:00Z"),
    timer: () => 0,
    onStep: (step: PageStep, n: number) => void steps.push(`${step} ${n}`),
    onPage: (s: { pages: number }) => void summaries.push(s.pages),
  };
  return { writer: new PageWriter(store, { spec: specOf(config), state, slot }, policy, hooks, 0), steps, summaries };
}

describe("PageWriter", () => {
  test("commits every N rows and at the last page; each page's state goes with its rows, the last one's ends the run", async () => {
    const { store, calls, states } = recordingStore();
    const { writer: w, steps, summaries } = writer(store);
    for (let n = 1; n <= 4; n++) await w.write(page(n, 4));
    expect(calls).toEqual(["write 20", "write 20", "commit", "write 20", "write 20", "commit"]);
    expect(steps).toEqual([
      "mid-transaction 1",
      "after-write 1",
      "mid-transaction 2",
      "after-write 2",
      "after-commit 1",
      "after-commit 2",
      "mid-transaction 3",
      "after-write 3",
      "mid-transaction 4",
      "after-write 4",
      "after-commit 3",
      "after-commit 4",
    ]);
    expect(summaries).toEqual([1, 2, 3, 4]);
    expect((states[2]?.run as RunState | undefined)?.pages).toBe(3);
    expect(states[3]).toMatchObject({ strategy: "offset", run: null, cursor: "2024-01-05T00:00:00Z", lastRun: { pages: 4, rows: 80 } });
    expect(w.finish()).toMatchObject({
      pages: 4,
      rows: 80,
      inserted: 76,
      stale: 4,
      checkpoints: 2,
      requests: 4,
      cursor: "2024-01-05T00:00:00Z",
      strategy: "offset",
    });
  });

  test("a page the reader stops after is committed at once, before the stop takes effect", async () => {
    const { store, calls } = recordingStore();
    const { writer: w } = writer(store);
    await w.write(page(1, 9, {}, true));
    expect(calls).toEqual(["write 20", "commit"]);
  });

  test("a full refresh starts on its run's first page and finishes on its last", async () => {
    const { store, calls } = recordingStore();
    const { writer: w } = writer(store, { rows: 1000, ms: 60_000 }, { fullRefresh: true });
    for (let n = 1; n <= 3; n++) await w.write(page(n, 3, { refresh: true }));
    expect(calls).toEqual(["write 20 refresh start", "write 20 refresh middle", "write 20 refresh finish", "commit"]);
  });

  test("salvage commits what was written before a failure; a commit that fails is logged, not thrown over the failure", async () => {
    const { store, calls } = recordingStore();
    const { writer: w, steps } = writer(store, { rows: 1000, ms: 60_000 });
    await w.write(page(1, 5));
    await w.salvage((s) => s);
    expect(calls).toEqual(["write 20", "commit"]);
    expect(steps.at(-1)).toBe("after-commit 1");
    const logs: string[] = [];
    const failing = writer(recordingStore(true).store, { rows: 1000, ms: 60_000 }, { logs });
    await failing.writer.write(page(1, 5));
    await failing.writer.salvage((s) => s);
    expect(logs.some((line) => line.includes("could not commit the pages read before the failure: Error: disk full"))).toBe(true);
  });
});
