import { describe, expect, test } from "bun:test";
import { INSERT_SHARE } from "../../src/mock/mutations";
import { dataset, get, inOrder, mockApp, walkKeyset, type User } from "./helpers";

const NOW = Date.parse("2024-06-01T12:34:56Z");

function diff(before: User[], after: User[]) {
  const old = new Map(before.map((r) => [r.id, r]));
  const now = new Map(after.map((r) => [r.id, r]));
  return {
    inserted: after.filter((r) => !old.has(r.id)),
    deleted: before.filter((r) => !now.has(r.id)),
    updated: after.filter((r) => old.has(r.id) && JSON.stringify(old.get(r.id)) !== JSON.stringify(r)),
    old,
  };
}

describe("live changes", () => {
  test("mutate(n) updates rows (updatedAt = now, fields changed, createdAt kept) and inserts new ones", async () => {
    const mock = mockApp({ records: 500, clock: () => NOW });
    const before = await dataset(mock);
    mock.mutate(100);
    const after = await dataset(mock);
    const { inserted, deleted, updated, old } = diff(before, after);
    expect(deleted).toEqual([]);
    expect(inserted.length).toBeGreaterThan(100 * INSERT_SHARE * 0.4);
    expect(inserted.length).toBeLessThan(100 * INSERT_SHARE * 2);
    expect(mock.size()).toBe(500 + inserted.length);
    expect(updated.length).toBeGreaterThan(40);
    for (const row of updated) {
      const was = old.get(row.id)!;
      expect(row.updatedAt).toBe("2024-06-01T12:34:56Z");
      expect(row.createdAt).toBe(was.createdAt);
      expect(row.company !== was.company || row.job !== was.job).toBe(true);
    }
    for (const row of inserted) expect([row.createdAt, row.updatedAt]).toEqual(["2024-06-01T12:34:56Z", "2024-06-01T12:34:56Z"]);
  });

  test("changed rows move to the end of updatedAt order and are found by updated_since", async () => {
    const mock = mockApp({ records: 200, clock: () => NOW });
    mock.mutate(30);
    const rows = await walkKeyset(mock, "/pagination/keyset");
    expect(rows).toHaveLength(mock.size());
    expect(inOrder(rows, "updatedAt", "asc")).toBe(true);
    const recent = (await get(mock, "/pagination/offset?limit=50&updated_since=2024-06-01T12:34:56Z")).body;
    expect(recent.total).toBe((await dataset(mock)).filter((r) => r.updatedAt === "2024-06-01T12:34:56Z").length);
    expect(recent.total).toBeGreaterThan(0);
  });

  test("deletes happen only with deleteShare, as hard deletes", async () => {
    const keep = mockApp({ records: 300, clock: () => NOW });
    const kept = await dataset(keep);
    keep.mutate(200);
    expect(diff(kept, await dataset(keep)).deleted).toEqual([]);
    expect(keep.size()).toBeGreaterThan(300);
    const drop = mockApp({ records: 300, deleteShare: 0.5, clock: () => NOW });
    const before = await dataset(drop);
    drop.mutate(200);
    const after = await dataset(drop);
    const { deleted } = diff(before, after);
    expect(deleted.length).toBeGreaterThan(50);
    expect(after).toHaveLength(drop.size());
    const total = (await get(drop, "/pagination/offset")).body.total;
    expect(total).toBe(after.length);
  });

  test("the same seed gives the same changes (same clock)", async () => {
    const a = mockApp({ records: 100, clock: () => NOW, deleteShare: 0.2 });
    const b = mockApp({ records: 100, clock: () => NOW, deleteShare: 0.2 });
    a.mutate(40);
    b.mutate(40);
    expect((await get(a, "/_mock/dataset")).text).toBe((await get(b, "/_mock/dataset")).text);
  });

  test("an empty dataset grows by inserts; bad counts and rates are refused", async () => {
    const mock = mockApp({ records: 0, clock: () => NOW });
    mock.mutate(3);
    expect(mock.size()).toBeGreaterThan(0);
    expect(() => mock.mutate(-1)).toThrow(RangeError);
    expect(() => mock.setMutationRate(Number.NaN)).toThrow(RangeError);
  });

  test("createMockApp starts the timer only for mutatePerSec > 0, and close() stops it", async () => {
    const still = mockApp({ records: 20 });
    const moving = mockApp({ records: 20, mutatePerSec: 500 });
    const [s0, m0] = [(await get(still, "/_mock/dataset")).text, (await get(moving, "/_mock/dataset")).text];
    await Bun.sleep(300);
    expect((await get(still, "/_mock/dataset")).text).toBe(s0);
    expect((await get(moving, "/_mock/dataset")).text).not.toBe(m0);
    // A timer still running after close() would write to the closed database and fail this test with an error.
    moving.close();
    await Bun.sleep(300);
  });
});
