// Issue 14 §6: transient errors get time (retry.max_elapsed_seconds per request), not a small count of attempts.
// The real mock in process with 20% 5xx and a rate limit, plus a burst outage on one page; a shared fake clock
// that the connector's sleeps advance, so minutes of backoff run in milliseconds.
import { afterEach, describe, expect, test } from "bun:test";
import { tmpdir } from "node:os";
import { loadConfig } from "../../src/config/load";
import { runSync } from "../../src/connector/driver";
import type { FetchLike } from "../../src/connector/http/client";
import { createLogger } from "../../src/connector/log";
import { createMockApp, type MockApp } from "../../src/mock";
import { openStore } from "../../src/store/open";
import { NO_DIFF, dataset, diff } from "../../testkit/oracle";
import { tempDb } from "../helpers/sync";

let mocks: MockApp[] = [];
afterEach(() => {
  for (const m of mocks) m.close();
  mocks = [];
});

/** A sync on a fake clock; returns the error (if any), the total time slept and the requests the outage page got. */
async function syncOnFakeClock(config: Record<string, unknown>, outage: number) {
  let clock = Date.parse("2026-01-15T12:00:00Z");
  // Its own createMockApp: the rate limit refills on the fake clock this test advances.
  const mock = createMockApp({
    now: "2026-01-15T12:00:00Z",
    records: 3000,
    seed: 9,
    failRate: 0.2,
    rateLimit: { capacity: 20, refillPerSec: 10 },
    clock: () => clock,
    sleep: async () => {},
  });
  mocks.push(mock);
  let outageHits = 0;
  const urls: string[] = [];
  // The tenth page asked for answers 503 `outage` times in a row before the mock gets it (an API restarting).
  const fetch: FetchLike = async (request) => {
    if (!urls.includes(request.url)) urls.push(request.url);
    if (request.url === urls[9] && outageHits++ < outage) return new Response("down", { status: 503 });
    return mock.fetch(request);
  };
  const db = tempDb();
  const { config: loaded } = loadConfig({
    overrides: { base_url: "http://mock.test/pagination/offset", strategy: "offset", page_size: 50, ...config },
    env: {},
    cwd: tmpdir(),
  });
  const store = await openStore(db, { mode: "writer" });
  let slept = 0;
  let seed = 1;
  try {
    await runSync(loaded, {
      store,
      logger: createLogger("text", () => {}),
      fetch,
      sleep: async (ms) => void ((slept += ms), (clock += ms)),
      now: () => clock,
      random: () => (seed = (seed * 48271) % 2147483647) / 2147483647,
    });
    return { error: undefined, slept, outageHits, db, mock };
  } catch (error) {
    return { error: error as Error, slept, outageHits, db, mock };
  } finally {
    await store.close();
  }
}

describe("retry by time", () => {
  test("20% 5xx, a rate limit and 12 failures in a row on one page: the old 6-attempt policy gives up, the default completes exact", async () => {
    const old = await syncOnFakeClock({ retry: { max_attempts: 6 } }, 12);
    expect(old.error?.message).toContain("gave up after 6 attempts");

    const run = await syncOnFakeClock({}, 12);
    expect(run.error).toBeUndefined();
    expect(run.outageHits).toBeGreaterThan(12);
    const source = await dataset((request) => run.mock.fetch(request));
    expect(source.size).toBe(3000);
    expect(diff(run.db, source)).toEqual(NO_DIFF);
  });

  test("an outage longer than retry.max_elapsed_seconds still ends the run, inside that budget", async () => {
    const run = await syncOnFakeClock({ retry: { max_elapsed_seconds: 60 } }, 1_000_000);
    expect(run.error?.message).toContain("past the retry budget of 60 s");
    expect(run.outageHits).toBeLessThan(100);
    expect(run.slept).toBeLessThan(60_000 + 20 * 60_000); // the budget for the outage page, plus the other pages' backoff
  });
});
