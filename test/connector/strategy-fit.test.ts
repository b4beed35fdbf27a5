import { describe, expect, test } from "bun:test";
import { NO_DIFF, dataset, diff } from "../../testkit/oracle";
import { inProcessMock } from "../helpers/mock";
import { syncOnce, tempDb } from "../helpers/sync";

describe("keyset's page size on an API that refuses it", () => {
  for (const strategy of ["auto", "keyset"] as const) {
    test(`the playground's keyset rejects 'limit': asked again without it, warned once, exact (${strategy})`, async () => {
      const { mock } = inProcessMock({ records: 230, seed: 4 });
      const limits: (string | null)[] = [];
      const fetch = (request: Request) => {
        limits.push(new URL(request.url).searchParams.get("limit"));
        return mock.fetch(request);
      };
      const db = tempDb();
      const run = await syncOnce(db, { base_url: "http://mock.test/pagination/keyset", strategy, page_size: 100 }, fetch);
      expect(run.error).toBeUndefined();
      expect(run.summary?.rows).toBe(230);
      expect(diff(db, await dataset((r) => mock.fetch(r)))).toEqual(NO_DIFF);
      expect(run.logs.filter((line) => line.includes("refused 'limit' (request.limit_param)"))).toHaveLength(1);
      // Refused once, then never sent again.
      expect(limits.filter((l) => l === "100")).toHaveLength(1);
      expect(limits.at(-1)).toBeNull();
    });
  }

  test("an API that takes 'limit' gets it on every request after the first", async () => {
    const { mock } = inProcessMock({ records: 230, seed: 4, maxPageSize: 1000 });
    const limits: (string | null)[] = [];
    const fetch = (request: Request) => {
      limits.push(new URL(request.url).searchParams.get("limit"));
      return mock.fetch(request);
    };
    const db = tempDb();
    const run = await syncOnce(db, { base_url: "http://mock.test/pagination/keyset", strategy: "keyset", page_size: 100 }, fetch);
    expect(run.summary?.rows).toBe(230);
    expect(run.summary?.requests).toBe(3);
    expect(limits).toEqual(["100", "100", "100"]);
    expect(run.logs.some((line) => line.includes("refused"))).toBe(false);
    expect(diff(db, await dataset((r) => mock.fetch(r)))).toEqual(NO_DIFF);
  });
});

describe("a forced strategy on a top-level array", () => {
  test("--strategy link_header with the default response.records reads the array itself, exact", async () => {
    const { mock, fetch } = inProcessMock({ records: 130, seed: 6 });
    const db = tempDb();
    const run = await syncOnce(db, { base_url: "http://mock.test/pagination/link_header", strategy: "link_header", page_size: 20 }, fetch);
    expect(run.error).toBeUndefined();
    expect(run.summary?.rows).toBe(130);
    expect(diff(db, await dataset((r) => mock.fetch(r)))).toEqual(NO_DIFF);
  });
});
