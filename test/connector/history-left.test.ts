// Issue 14 §4: a plain sync after an unfinished priority-first sync says how much history is left and how to continue.
import { afterEach, describe, expect, test } from "bun:test";
import { formatSummary } from "../../src/cli/sync-output";
import { parseState, unfinishedHistory, withRemaining } from "../../src/connector/state";
import { createMockApp, type MockApp } from "../../src/mock";
import { savedState, syncOnce, tempDb } from "../helpers/sync";

const NOW = "2026-01-15T12:00:00Z";
let mocks: MockApp[] = [];
afterEach(() => {
  for (const m of mocks) m.close();
  mocks = [];
});

describe("unfinished history after a plain sync", () => {
  test("the summary warns how much is left and names --priority-first; state says the same", async () => {
    const clock = { ms: Date.parse(NOW) };
    // Its own createMockApp: latency runs on this test's simulated clock, not the shared helper's real one.
    const mock = createMockApp({
      records: 2000,
      seed: 3,
      now: NOW,
      spanDays: 10,
      latencyMs: 1000,
      clock: () => clock.ms,
      sleep: async (ms) => void (clock.ms += ms),
    });
    mocks.push(mock);
    const fetch = (request: Request) => mock.fetch(request);
    const db = tempDb();
    const base = { base_url: "http://mock.test/pagination/offset", strategy: "offset", page_size: 20 };
    const first = await syncOnce(db, { ...base, priority_first: true, window: "24h", max_duration: "40s" }, fetch, { now: () => clock.ms });
    expect(first.error).toBeUndefined();
    expect(first.summary?.history?.remainingSeconds).toBeGreaterThan(0);

    const plain = await syncOnce(db, base, fetch, { now: () => clock.ms });
    expect(plain.error).toBeUndefined();
    const raw = savedState(db);
    const unfinished = unfinishedHistory(parseState(raw, "user"));
    expect(unfinished?.history.remainingSeconds).toBe(first.summary?.history?.remainingSeconds as number);
    expect(unfinished?.warning).toMatch(
      /^the history is incomplete: \d+d( \d+h)?.* of it \(from .* to .*\) is not synced; .*run 'connector sync --priority-first' to continue it$/,
    );
    const summary = formatSummary({
      ...(plain.summary as NonNullable<typeof plain.summary>),
      history: unfinished?.history,
      warnings: [unfinished?.warning as string],
    });
    expect(summary).toContain("connector sync --priority-first");
    expect((withRemaining(raw as Record<string, unknown>).backfill as { next: string }).next).toContain(
      "of history left: 'connector sync --priority-first' continues it",
    );
  });
});
