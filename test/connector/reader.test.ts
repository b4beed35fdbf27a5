// The page reader on its own (issue 17): an async generator over the real mock in process, with no store at all.
// What it hands on, when it sends the next request, and how a stop takes effect after the page before it.
import { describe, expect, test } from "bun:test";
import { tmpdir } from "node:os";
import { loadConfig } from "../../src/config/load";
import type { FetchLike } from "../../src/connector/http/client";
import { openSession } from "../../src/connector/http/session";
import { silentLogger } from "../../src/connector/log";
import { startPosition } from "../../src/connector/paginators/types";
import { readPages, type ReadPage } from "../../src/connector/reader/read-pages";
import { Redactor } from "../../src/secrets";
import { sourceOf } from "../../src/connector/run-context";
import { inProcessMock } from "../helpers/mock";

/** A reader over 45 mock records in pages of 20, counting the requests that reach the mock. */
function reader(extra: Record<string, unknown> = {}, options: { stopBetweenPages?: () => boolean } = {}) {
  const { mock } = inProcessMock({ records: 45, seed: 3 });
  let calls = 0;
  const fetch: FetchLike = (request) => (calls++, mock.fetch(request));
  const { config } = loadConfig({
    overrides: { base_url: "http://mock.test/pagination/offset", strategy: "offset", page_size: 20, ...extra },
    env: {},
    cwd: tmpdir(),
  });
  const deps = { fetch, sleep: async () => {}, now: () => Date.now(), random: () => 0.5, logger: silentLogger };
  const redactor = new Redactor();
  const session = openSession(config, deps, redactor);
  const since = config.initial_cursor;
  const run = { since, position: startPosition(since), maxCursor: null, startedAt: new Date().toISOString(), pages: 0, rows: 0, source: sourceOf(config) };
  const source = { ...deps, config, session, redactor, timer: () => performance.now(), ...options };
  // Without the first page's extra checks (their request is filtered-out.test.ts's to count): pipelining alone.
  const start = { run, strategy: "offset" as const, detected: null, until: null, resumed: false, startChecks: false };
  return { pages: readPages(source, start), calls: () => calls };
}

describe("readPages", () => {
  test("hands on every page once, numbered, with the run after it; the last is marked; the next request leaves first", async () => {
    const { pages, calls } = reader();
    const seen: ReadPage[] = [];
    const callsAtPage: number[] = [];
    for await (const page of pages) {
      seen.push(page);
      callsAtPage.push(calls());
    }
    expect(seen.map((p) => [p.number, p.run.pages, p.last, p.stopping])).toEqual([
      [1, 1, false, false],
      [2, 2, false, false],
      [3, 3, true, false],
    ]);
    // Rows as written: the overlap row offset paging re-reads is not handed on twice.
    expect(seen.map((p) => p.rows.length).reduce((a, b) => a + b)).toBe(45);
    // Page n is handed on with the request for page n + 1 already sent; the last page sends none.
    expect(callsAtPage).toEqual([2, 3, 3]);
    expect(seen.map((p) => p.progress.requests)).toEqual([2, 3, 3]);
    expect(new Set(seen.flatMap((p) => p.rows.map((row) => row.id))).size).toBe(45);
    // The run's newest cursor only moves forward, and the last page's is the newest of all rows.
    const newest = seen
      .flatMap((p) => p.rows.map((row) => String(row.updatedAt)))
      .sort()
      .at(-1);
    expect(seen.at(-1)?.run.maxCursor).toBe(newest as string);
  });

  test("max_pages: the page it allows comes with stopping set, then the next step throws; no request after it", async () => {
    const { pages, calls } = reader({ max_pages: 2 });
    const seen: ReadPage[] = [];
    let error: (Error & { code?: string }) | undefined;
    try {
      for await (const page of pages) seen.push(page);
    } catch (thrown) {
      error = thrown as Error & { code?: string };
    }
    expect(seen.map((p) => [p.number, p.stopping, p.last])).toEqual([
      [1, false, false],
      [2, true, false],
    ]);
    expect(error?.code).toBe("max_pages");
    expect(calls()).toBe(2);
  });

  test("stopBetweenPages: the run ends after the page where it says so, stopped early, with no request after it", async () => {
    let asked = 0;
    const { pages, calls } = reader({}, { stopBetweenPages: () => ++asked === 1 });
    const seen: ReadPage[] = [];
    for await (const page of pages) seen.push(page);
    expect(seen.map((p) => [p.number, p.stopping, p.last, p.progress.stoppedEarly])).toEqual([[1, true, false, true]]);
    expect(calls()).toBe(1);
  });
});
