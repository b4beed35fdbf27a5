import { describe, expect, test } from "bun:test";
import { createMockApp } from "../../src/mock/index";
import { ANCHOR, ANCHOR_SECONDS, dataset, get, mockApp, type User } from "./helpers";

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const seconds = (t: string) => Date.parse(t) / 1000;

describe("users", () => {
  test("have id, name, email, address, company, job, createdAt, updatedAt in that order", async () => {
    const { text } = await get(mockApp(), "/pagination/offset?limit=1");
    const user = JSON.parse(text).data[0];
    expect(Object.keys(user)).toEqual(["id", "name", "email", "address", "company", "job", "createdAt", "updatedAt"]);
    for (const key of ["name", "email", "address", "company", "job"]) expect(user[key]).toBeString();
  });

  test("ids are unique uuid v4; emails are on reserved example domains", async () => {
    const rows = await dataset(mockApp({ records: 2000 }));
    expect(rows.every((r) => UUID_V4.test(r.id))).toBe(true);
    expect(new Set(rows.map((r) => r.id)).size).toBe(2000);
    expect(rows.every((r) => /^[a-z.0-9]+@example\.(com|net|org)$/.test(r.email))).toBe(true);
  });

  test("timestamps are YYYY-MM-DDTHH:MM:SSZ real UTC, updatedAt >= createdAt, within the span before the anchor", async () => {
    const rows = await dataset(mockApp({ records: 1000, spanDays: 7 }));
    for (const r of rows) {
      expect(r.createdAt).toMatch(TIMESTAMP);
      expect(r.updatedAt).toMatch(TIMESTAMP);
      expect(new Date(r.updatedAt).toISOString().replace(".000", "")).toBe(r.updatedAt);
      expect(r.updatedAt >= r.createdAt).toBe(true);
      expect(seconds(r.createdAt)).toBeGreaterThanOrEqual(ANCHOR_SECONDS - 7 * 86400);
      expect(seconds(r.updatedAt)).toBeLessThanOrEqual(ANCHOR_SECONDS);
    }
    // Spread, not bunched: both ends of the week are used.
    expect(Math.min(...rows.map((r) => seconds(r.createdAt)))).toBeLessThan(ANCHOR_SECONDS - 6 * 86400);
    expect(Math.max(...rows.map((r) => seconds(r.updatedAt)))).toBeGreaterThan(ANCHOR_SECONDS - 86400);
  });

  test("same seed and options give byte-identical responses; another seed does not", async () => {
    const paths = ["/pagination/offset?limit=50&offset=20", "/pagination/keyset?order_by=createdAt", "/export/csv", "/_mock/dataset"];
    const a = mockApp({ seed: 7 });
    const b = mockApp({ seed: 7 });
    const c = mockApp({ seed: 8 });
    for (const path of paths) {
      const [ta, tb, tc] = await Promise.all([a, b, c].map(async (m) => (await get(m, path)).text));
      expect(ta).toBe(tb!);
      expect(ta).not.toBe(tc!);
    }
  });

  test("without --now the anchor is the start time floored to the UTC hour", async () => {
    const at = (iso: string) => () => Date.parse(iso);
    const make = (clock: () => number) => createMockApp({ seed: 3, clock });
    const early = make(at("2024-03-03T10:00:05Z"));
    const late = make(at("2024-03-03T10:59:59Z"));
    const next = make(at("2024-03-03T11:00:00Z"));
    try {
      const [e, l, n] = await Promise.all([early, late, next].map(async (m) => (await get(m, "/_mock/dataset")).text));
      expect(e).toBe(l!);
      expect(e).not.toBe(n!);
      const newest = (await dataset(early))
        .map((r) => r.updatedAt)
        .sort()
        .at(-1)!;
      expect(newest <= "2024-03-03T10:00:00Z").toBe(true);
    } finally {
      for (const m of [early, late, next]) m.close();
    }
  });

  test("--same-second K: every K consecutive rows share one updatedAt", async () => {
    const rows = await dataset(mockApp({ records: 300, sameSecond: 25 }));
    const groups = new Map<string, number>();
    for (const r of rows) groups.set(r.updatedAt, (groups.get(r.updatedAt) ?? 0) + 1);
    expect(groups.size).toBe(12);
    expect([...groups.values()].every((n) => n === 25)).toBe(true);
    expect(rows.every((r) => r.updatedAt >= r.createdAt)).toBe(true);
  });

  test("--records sets the size; --span-days 0 puts every timestamp on the anchor", async () => {
    const mock = mockApp({ records: 17, spanDays: 0 });
    expect(mock.size()).toBe(17);
    const rows: User[] = await dataset(mock);
    expect(rows).toHaveLength(17);
    expect(rows.every((r) => r.createdAt === ANCHOR && r.updatedAt === ANCHOR)).toBe(true);
    expect(await dataset(mockApp({ records: 0 }))).toEqual([]);
  });
});
