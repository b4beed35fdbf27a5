// Tie groups of sizes around the page size, on page boundaries: no loss, no endless loop, for every strategy.
import { describe, expect, test } from "bun:test";
import { STRATEGY_NAMES } from "../../src/connector/paginators/registry";
import { inProcessMock } from "../helpers/mock";
import { NO_DIFF, dataset, diff } from "../../testkit/oracle";
import { naiveStrictCursorSync } from "../../testkit/naive";
import { syncOnce, tempDb } from "../helpers/sync";

const PAGE = 20;
const SIZES = [2, PAGE - 1, PAGE, PAGE + 1, 3 * PAGE];

describe("ties on page boundaries", () => {
  for (const style of STRATEGY_NAMES) {
    for (const size of SIZES) {
      test(`${style}: groups of ${size} equal updatedAt`, async () => {
        const { fetch } = inProcessMock({ records: 7 * size + 13, seed: size, sameSecond: size, maxPageSize: 100 });
        const db = tempDb();
        const run = await syncOnce(db, { base_url: `http://mock.test/pagination/${style}`, strategy: style, page_size: PAGE, max_pages: 500 }, fetch);
        expect(run.error).toBeUndefined();
        expect(diff(db, await dataset(fetch))).toEqual(NO_DIFF);
        // The next sync starts inside the newest group: it re-reads that group only.
        const again = await syncOnce(db, { base_url: `http://mock.test/pagination/${style}`, strategy: style, page_size: PAGE, max_pages: 50 }, fetch);
        expect(again.summary).toMatchObject({ inserted: 0, updated: 0 });
      });
    }
  }

  test("negative control: a strict `>` cursor loses rows on the same data", async () => {
    const { mock, fetch } = inProcessMock({ records: 7 * PAGE + 13, seed: 3, sameSecond: PAGE + 1, maxPageSize: 100 });
    const naive = await naiveStrictCursorSync(fetch);
    expect(naive.size).toBeLessThan(mock.size());
  });
});
