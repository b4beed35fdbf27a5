// Several streams in one sync, against the real mock in process into real SQLite files: every stream exact against
// its oracle, sequential or concurrent, after live changes, a failing stream, and a stream killed mid-way.
import { afterEach, describe, expect, test } from "bun:test";
import type { SyncDeps } from "../../src/connector/driver";
import type { FetchLike } from "../../src/connector/http/client";
import { createMockApp, type MockApp } from "../../src/mock";
import { savedState as storedState, tempDb } from "../helpers/sync";
import { differences, fourStreams, oracleRows, storedRows, syncStreams } from "../helpers/streams";

let mocks: MockApp[] = [];
afterEach(() => {
  for (const m of mocks) m.close();
  mocks = [];
});

function mockOf(records: number, seed: number, extra: Parameters<typeof createMockApp>[0] = {}): { mock: MockApp; fetch: FetchLike; requests: string[] } {
  const mock = createMockApp({ now: "2026-01-15T12:00:00Z", records, seed, maxPageSize: 100, ...extra });
  mocks.push(mock);
  const requests: string[] = [];
  return { mock, requests, fetch: (request) => (requests.push(new URL(request.url).pathname), mock.fetch(request)) };
}

/** Every stream of fourStreams() exact against the oracle: the child's rows are all orders, each with its user's id. */
async function expectExact(db: string, fetch: FetchLike): Promise<void> {
  const [users, companies, orders] = [await oracleRows(fetch, "users"), await oracleRows(fetch, "companies"), await oracleRows(fetch, "orders")];
  expect(orders.size).toBeGreaterThan(0);
  expect(differences(storedRows(db, "users"), users)).toEqual([]);
  expect(differences(storedRows(db, "companies"), companies)).toEqual([]);
  expect(differences(storedRows(db, "orders"), orders)).toEqual([]);
  const withParent = new Map([...orders].map(([id, order]) => [id, { ...order, _parent_id: order.userId }]));
  expect(differences(storedRows(db, "user_orders"), withParent)).toEqual([]);
}

describe("several streams", () => {
  for (const concurrency of [1, 3]) {
    test(`concurrency ${concurrency}: every stream exact after a first sync (nested items as JSON), then after live changes`, async () => {
      const { mock, fetch, requests } = mockOf(120, 5);
      const db = tempDb();
      const first = await syncStreams(db, fourStreams(), fetch, { concurrency });
      expect(first.results.map((r) => [r.name, r.status])).toEqual([
        ["users", "ok"],
        ["companies", "ok"],
        ["orders", "ok"],
        ["user_orders", "ok"],
      ]);
      await expectExact(db, fetch);
      const firstChildren = requests.filter((p) => p.startsWith("/api/users/")).length;
      expect(firstChildren).toBeGreaterThanOrEqual(120); // one run per user on a first sync
      const before = await oracleRows(fetch, "users");
      mock.mutate(30);
      requests.length = 0;
      const second = await syncStreams(db, fourStreams(), fetch, { concurrency });
      expect(second.results.every((r) => r.status === "ok")).toBe(true);
      const [users, orders] = [await oracleRows(fetch, "users"), await oracleRows(fetch, "orders")];
      expect(differences(storedRows(db, "users"), users)).toEqual([]);
      expect(differences(storedRows(db, "companies"), await oracleRows(fetch, "companies"))).toEqual([]);
      expect(differences(storedRows(db, "orders"), orders)).toEqual([]);
      // The child read the children of exactly the users this run inserted or changed, and has them as the source does.
      const changed = [...users.values()].filter((u) => before.get(String(u.id))?.updatedAt !== u.updatedAt).map((u) => String(u.id));
      const read = new Set(requests.filter((p) => p.startsWith("/api/users/")).map((p) => decodeURIComponent(p.split("/")[3] as string)));
      expect(changed.length).toBeGreaterThan(0);
      expect([...read].sort()).toEqual(changed.sort());
      const ofChanged = new Map([...orders].filter(([, o]) => read.has(String(o.userId))).map(([id, o]) => [id, { ...o, _parent_id: o.userId }]));
      const stored = new Map([...storedRows(db, "user_orders")].filter(([, o]) => read.has(String(o._parent_id))));
      expect(differences(stored, ofChanged)).toEqual([]);
      // A full refresh reads the children of every user: the child is exact again.
      expect((await syncStreams(db, fourStreams(), fetch, { concurrency, fullRefresh: true })).results.every((r) => r.status === "ok")).toBe(true);
      await expectExact(db, fetch);
    });
  }

  test("--stream picks streams (a child alone reads its parent's stored rows); an unknown name suggests the nearest", async () => {
    const { fetch } = mockOf(40, 6);
    const db = tempDb();
    const only = await syncStreams(db, fourStreams(), fetch, { only: ["users"] });
    expect(only.results.map((r) => r.name)).toEqual(["users"]);
    const child = await syncStreams(db, fourStreams(), fetch, { only: ["user_orders"] });
    expect(child.results.map((r) => [r.name, r.status])).toEqual([["user_orders", "ok"]]);
    expect(storedRows(db, "user_orders").size).toBe((await oracleRows(fetch, "orders")).size);
    await expect(syncStreams(db, fourStreams(), fetch, { only: ["user_order"] })).rejects.toThrow(
      "--stream 'user_order' is not a stream of this configuration (did you mean 'user_orders'?)",
    );
  });

  test("one stream failing keeps the others' rows and its own committed pages; the next sync completes it", async () => {
    const { fetch } = mockOf(150, 7);
    const db = tempDb();
    let calls = 0;
    // The orders stream's sixth request fails for good (no retries: a 400 is not retried).
    const failing: FetchLike = (request) =>
      new URL(request.url).pathname === "/api/orders" && ++calls === 6 ? Promise.resolve(new Response('{"error":"broken"}', { status: 400 })) : fetch(request);
    const run = await syncStreams(db, fourStreams({ checkpoint_rows: 1 }), failing, { concurrency: 2 });
    expect(run.results.map((r) => [r.name, r.status])).toEqual([
      ["users", "ok"],
      ["companies", "ok"],
      ["orders", "failed"],
      ["user_orders", "ok"],
    ]);
    const committed = run.results[2]?.summary.rows ?? 0;
    expect(committed).toBeGreaterThan(0);
    expect(storedRows(db, "orders").size).toBe(committed); // its pages before the failure are committed
    expect(run.logs.join("")).toContain("stream 'orders' failed");
    const again = await syncStreams(db, fourStreams(), fetch);
    expect(again.results.every((r) => r.status === "ok")).toBe(true);
    await expectExact(db, fetch);
  });

  test("concurrent streams never share a checkpoint: a page failing inside one stream's transaction loses no other stream's pages", async () => {
    const { fetch } = mockOf(200, 8);
    const db = tempDb();
    // Checkpoints only at each run's end: without the gate, both streams' pages would sit in one open transaction.
    const file = fourStreams({
      checkpoint_rows: 1_000_000,
      checkpoint_seconds: 3600,
      streams: [
        { name: "users", path: "/pagination/keyset" },
        { name: "orders", path: "/api/orders" },
      ],
    });
    let usersPages = 0;
    // Users are paged slowly, so the orders stream writes while the users' checkpoint is open.
    const slow: FetchLike = async (request) => {
      if (new URL(request.url).pathname === "/pagination/keyset") {
        usersPages++;
        await Bun.sleep(2);
      }
      return fetch(request);
    };
    // The orders stream's fourth page fails inside the store's transaction (after its rows, before its state).
    const depsOf = (name: string, deps: SyncDeps): SyncDeps =>
      name !== "orders"
        ? deps
        : {
            ...deps,
            onStep: (step, page) => {
              if (step === "mid-transaction" && page === 4) throw new Error("the disk is full");
            },
          };
    const run = await syncStreams(db, file, slow, { concurrency: 2, depsOf });
    expect(run.results.map((r) => [r.name, r.status])).toEqual([
      ["users", "ok"],
      ["orders", "failed"],
    ]);
    expect(usersPages).toBeGreaterThan(4);
    expect(differences(storedRows(db, "users"), await oracleRows(fetch, "users"))).toEqual([]);
    expect(storedRows(db, "orders").size).toBe(0); // its three pages sat in its own open checkpoint: rolled back alone
    const again = await syncStreams(db, file, fetch, { concurrency: 2 });
    expect(again.results.every((r) => r.status === "ok")).toBe(true);
    expect(differences(storedRows(db, "orders"), await oracleRows(fetch, "orders"))).toEqual([]);
  });

  test("a child stream stopped part way through its parents resumes at the parent it was reading: nothing lost", async () => {
    const { fetch, requests } = mockOf(60, 9);
    const db = tempDb();
    // The child fails at its 25th page (each user's orders are one page here): 24 users' children are committed.
    const depsOf = (name: string, deps: SyncDeps): SyncDeps =>
      name !== "user_orders"
        ? deps
        : {
            ...deps,
            onStep: (step, page) => {
              if (step === "after-fetch" && page === 25) throw new Error("killed");
            },
          };
    const first = await syncStreams(db, fourStreams(), fetch, { depsOf });
    expect(first.results.map((r) => r.status)).toEqual(["ok", "ok", "ok", "failed"]);
    const pass = (storedState(db, "user_orders")?.children as { pass: { done: number; total: number; after: { id: string } } } | undefined)?.pass;
    expect([pass?.done, pass?.total]).toEqual([24, 60]);
    // The state names the last parent done, not a list of parents: the 24th user in key order.
    const users = [...(await oracleRows(fetch, "users")).keys()].sort();
    expect(pass?.after).toEqual({ id: users[23] as string });
    requests.length = 0;
    const again = await syncStreams(db, fourStreams(), fetch, { only: ["user_orders"] });
    expect(again.results[0]?.status).toBe("ok");
    expect(again.logs.join("")).toContain("resuming the children's pass after 24 of 60 users rows");
    expect(requests.filter((p) => p.startsWith("/api/users/")).length).toBe(36); // the rest, each once
    await expectExact(db, fetch);
  });

  test("--full-refresh after hard deletes: every stream's live rows exact, the child's rows of deleted orders and users marked", async () => {
    const { mock, fetch } = mockOf(150, 10, { deleteShare: 1 });
    const db = tempDb();
    expect((await syncStreams(db, fourStreams(), fetch)).results.every((r) => r.status === "ok")).toBe(true);
    const before = await oracleRows(fetch, "orders");
    mock.mutate(60); // deletes only: users, companies and orders leave the source
    const [users, orders] = [await oracleRows(fetch, "users"), await oracleRows(fetch, "orders")];
    expect(users.size).toBeLessThan(150);
    expect(orders.size).toBeLessThan(before.size);
    const refresh = await syncStreams(db, fourStreams(), fetch, { fullRefresh: true });
    expect(refresh.results.every((r) => r.status === "ok")).toBe(true);
    expect(differences(storedRows(db, "users"), users)).toEqual([]);
    expect(differences(storedRows(db, "companies"), await oracleRows(fetch, "companies"))).toEqual([]);
    expect(differences(storedRows(db, "orders"), orders)).toEqual([]);
    // The child reaches orders through their users: those of users still in the source, each with its user's id.
    const reachable = new Map([...orders].filter(([, o]) => users.has(String(o.userId))).map(([id, o]) => [id, { ...o, _parent_id: o.userId }]));
    expect(differences(storedRows(db, "user_orders"), reachable)).toEqual([]);
    const child = refresh.results[3]?.summary;
    expect(child?.deleted).toBe(before.size - reachable.size);
  });
});
