import { describe, expect, test } from "bun:test";
import { byUpdated, rowsOf, walkCompanies, walkOrders, walkUserOrders, type Company, type Order } from "./api-helpers";
import { dataset, get, mockApp } from "./helpers";

const NOW = Date.parse("2024-06-01T12:34:56Z");
const NOW_TEXT = "2024-06-01T12:34:56Z";

function diff<T extends { id: number | string }>(before: T[], after: T[]) {
  const old = new Map(before.map((r) => [r.id, JSON.stringify(r)]));
  const ids = new Set(after.map((r) => r.id));
  return {
    inserted: after.filter((r) => !old.has(r.id)),
    deleted: before.filter((r) => !ids.has(r.id)),
    updated: after.filter((r) => old.has(r.id) && old.get(r.id) !== JSON.stringify(r)),
  };
}

describe("live changes of companies and orders", () => {
  test("reach a resource only once a request has made its table, so a users-only mock changes as before", async () => {
    const pristine = await rowsOf<Order>(mockApp({ records: 200 }), "orders");
    const mock = mockApp({ records: 200, clock: () => NOW });
    const users = await dataset(mock);
    mock.mutate(100);
    expect(await rowsOf<Order>(mock, "orders")).toEqual(pristine);
    expect(diff(users, await dataset(mock)).updated.length).toBeGreaterThan(40);
    mock.mutate(100);
    expect(diff(pristine, await rowsOf<Order>(mock, "orders")).updated.length).toBeGreaterThan(0);
  });

  test("updates, inserts and hard deletes show in the oracle, and every listing still equals it page by page", async () => {
    const mock = mockApp({ records: 300, deleteShare: 0.2, clock: () => NOW });
    const companies = await rowsOf<Company>(mock, "companies");
    const orders = await rowsOf<Order>(mock, "orders");
    for (let round = 0; round < 3; round++) {
      mock.mutate(150);
      const nowCompanies = await rowsOf<Company>(mock, "companies");
      const nowOrders = await rowsOf<Order>(mock, "orders");
      expect(nowOrders.map((o) => o.id)).toEqual([...nowOrders.map((o) => o.id)].sort((a, b) => a - b));
      expect(await walkCompanies(mock, 3)).toEqual(byUpdated(nowCompanies));
      expect(await walkOrders(mock, 11)).toEqual(byUpdated(nowOrders));
      expect(await walkOrders(mock, 5, NOW_TEXT)).toEqual(byUpdated(nowOrders.filter((o) => o.updatedAt >= NOW_TEXT)));
      expect((await get(mock, "/api/orders")).body.total_items).toBe(nowOrders.length);
    }
    const c = diff(companies, await rowsOf<Company>(mock, "companies"));
    const o = diff(orders, await rowsOf<Order>(mock, "orders"));
    for (const kind of [c, o]) for (const list of [kind.inserted, kind.deleted, kind.updated]) expect(list.length).toBeGreaterThan(0);
    for (const row of [...c.updated, ...o.updated]) expect(row.updatedAt).toBe(NOW_TEXT);
    for (const row of [...c.inserted, ...o.inserted]) expect([row.createdAt, row.updatedAt]).toEqual([NOW_TEXT, NOW_TEXT]);
    expect(Math.min(...o.inserted.map((r) => r.id))).toBeGreaterThan(300 * 5);
    const before = new Map(orders.map((r) => [r.id, r]));
    for (const row of o.updated) expect({ ...row, status: "", updatedAt: "" }).toEqual({ ...before.get(row.id)!, status: "", updatedAt: "" });
  });

  test("rows changed at a time inside the generated span interleave with the generated ones, and every page and filter still matches", async () => {
    // The clock is ten days before --now: inserts land among the generated rows instead of after them all.
    const mock = mockApp({ records: 200, deleteShare: 0.25, clock: () => Date.parse("2024-05-22T00:00:00Z") });
    await rowsOf<Company>(mock, "companies");
    await get(mock, "/api/orders?per_page=1");
    mock.mutate(400);
    const orders = byUpdated(await rowsOf<Order>(mock, "orders"));
    const companies = byUpdated(await rowsOf<Company>(mock, "companies"));
    for (const since of ["2024-05-01T00:00:00Z", "2024-05-21T23:00:00Z", "2024-05-22T00:00:00Z", "2024-05-22T00:00:01Z", "2024-05-31T00:00:00Z"]) {
      for (const size of [1, 6, 50]) {
        expect(await walkOrders(mock, size, since)).toEqual(orders.filter((o) => o.updatedAt >= since));
        expect(await walkCompanies(mock, size, since)).toEqual(companies.filter((c) => c.updatedAt >= since));
      }
    }
    expect(orders.filter((o) => o.updatedAt === "2024-05-22T00:00:00Z").length).toBeGreaterThan(3);
  });

  test("a user's orders follow the changes: new orders of new and old users, deleted users are 404", async () => {
    const mock = mockApp({ records: 60, deleteShare: 0.15, clock: () => NOW });
    const users = await dataset(mock);
    await get(mock, "/api/orders");
    mock.mutate(400);
    const orders = await rowsOf<Order>(mock, "orders");
    const now = await dataset(mock);
    expect(now.some((u) => u.createdAt === NOW_TEXT && orders.some((o) => o.userId === u.id))).toBe(true);
    for (const user of now) expect(await walkUserOrders(mock, user.id, 3)).toEqual(byUpdated(orders.filter((o) => o.userId === user.id)));
    const gone = users.filter((u) => !now.some((n) => n.id === u.id));
    expect(gone.length).toBeGreaterThan(0);
    for (const user of gone) expect((await get(mock, `/api/users/${user.id}/orders`)).status).toBe(404);
  });

  test("the live-change timer changes them too", async () => {
    const pristine = await rowsOf<Order>(mockApp({ records: 100 }), "orders");
    const mock = mockApp({ records: 100, mutatePerSec: 400 });
    expect(await rowsOf<Order>(mock, "orders")).toEqual(pristine);
    let changed = 0;
    for (let i = 0; i < 50 && changed === 0; i++) {
      await Bun.sleep(100);
      changed = diff(pristine, await rowsOf<Order>(mock, "orders")).updated.length;
    }
    expect(changed).toBeGreaterThan(0);
  });

  test("the same seed and calls give the same changes", async () => {
    const run = async () => {
      const mock = mockApp({ records: 100, deleteShare: 0.1, clock: () => NOW });
      await get(mock, "/api/companies");
      await get(mock, "/api/orders");
      mock.mutate(80);
      return [await get(mock, "/_mock/dataset?resource=companies"), await get(mock, "/_mock/dataset?resource=orders"), await get(mock, "/_mock/dataset")].map(
        (r) => r.text,
      );
    };
    expect(await run()).toEqual(await run());
  });
});
