// A busy table read by a fast API: rows updated this very second join the group the sync is anchored on, and each
// re-read finds it changed again. The sync used to restart until its cap (50 at one value) and stop "unstable" when
// the second had room for 50 requests; it now re-reads that group once the clock has left its second.
import { expect, test } from "bun:test";
import type { FetchLike } from "../../src/connector/http/client";
import { settleMs } from "../../src/connector/guards";
import { items } from "../helpers/dialects";
import { lenientApi } from "../helpers/lenient-server";
import { syncOnce, tableRows, tempDb } from "../helpers/sync";

const text = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

test("a group written during the second it is read in: re-read after that second, exact, with a few restarts", async () => {
  // Start just after a second begins, so the whole second is left for the source to keep changing.
  await Bun.sleep(1000 - (Date.now() % 1000) + 5);
  const second = Math.floor(Date.now() / 1000) * 1000;
  const data = [...items(60), ...Array.from({ length: 8 }, (_, i) => ({ id: 100 + i, title: "hot", modified: text(second) }))];
  const api = lenientApi(data, { style: "offset", sizeParam: "limit", sinceParam: "updated_since" });
  let next = 0;
  // Every request made during that second writes one more row into its group, ahead of the rows already there.
  const busy: FetchLike = async (request) => {
    if (Date.now() < second + 1000) data.splice(60, 0, { id: next--, title: "hot", modified: text(second) });
    return api.fetch(request);
  };
  const db = tempDb();
  const config = {
    base_url: "http://busy.test/items",
    strategy: "offset",
    cursor_field: "modified",
    params: {},
    page_size: 4,
    request: { since_param: "updated_since" },
  };
  const run = await syncOnce(db, config, busy);
  expect(run.error).toBeUndefined();
  expect(tableRows(db).size).toBe(data.length);
  expect(run.summary?.restarts).toBeLessThan(10);
  expect(run.logs.some((line) => line.includes("rows are being written at that value this second"))).toBe(true);
});

test("settleMs: to just past the anchor's second when the clock is in it; 300 ms for one a little behind or ahead; none further away", () => {
  const now = Date.parse("2026-12-04T10:00:00.300Z");
  expect(settleMs("2026-12-04T10:00:00Z", now)).toBe(800);
  expect(settleMs("2026-12-04T10:00:00.250Z", now)).toBe(800);
  expect(settleMs("2026-12-04T09:59:58Z", now)).toBe(300);
  expect(settleMs("2026-12-04T10:00:01Z", now)).toBe(1100);
  expect(settleMs("2026-12-04T09:59:50Z", now)).toBe(0);
  expect(settleMs("2026-12-04T10:00:05Z", now)).toBe(0);
  expect(settleMs(1733306400, now)).toBe(0);
  expect(settleMs(null, now)).toBe(0);
});
