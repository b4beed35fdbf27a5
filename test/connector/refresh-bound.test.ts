// Issue 14 §4: a full refresh from --initial-cursor T can prove absent only rows whose cursor is at or after T.
import { describe, expect, test } from "bun:test";
import { inProcessMock } from "../helpers/mock";
import { deletedIds, syncOnce, tableRows, tempDb } from "../helpers/sync";

describe("full refresh with an initial cursor", () => {
  for (const style of ["offset", "keyset"]) {
    test(`${style}: rows older than the refresh's start are never marked deleted; newer ones missing are`, async () => {
      const { mock, fetch } = inProcessMock({ records: 200, seed: 5, deleteShare: 1, maxPageSize: 1000 });
      const db = tempDb();
      const config = { base_url: `http://mock.test/pagination/${style}`, strategy: style, page_size: 20 };
      expect((await syncOnce(db, config, fetch)).error).toBeUndefined();
      const rows = [...tableRows(db).values()].map((r) => String(r.updatedAt)).sort();
      const from = rows[Math.floor(rows.length / 2)] as string;
      const newer = [...tableRows(db).values()].filter((r) => String(r.updatedAt) >= from).length;
      mock.mutate(10);

      const before = tableRows(db);
      const refresh = await syncOnce(db, { ...config, initial_cursor: from }, fetch, { fullRefresh: true });
      expect(refresh.error).toBeUndefined();
      const marked = [...deletedIds(db)].map((id) => String(before.get(id)?.updatedAt));
      // Only rows at or after the start can be proven absent; today every older row was marked deleted too.
      expect(marked.filter((at) => at < from)).toEqual([]);
      expect(marked.length).toBeGreaterThan(0);
      expect(refresh.summary?.deleted).toBe(marked.length);
      expect(marked.length).toBeLessThanOrEqual(Math.min(newer, 10));
    });
  }
});
