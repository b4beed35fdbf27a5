// A child stream with per-parent cursors (per_parent_cursor: true): each parent's children are read from the newest
// child stored for that parent (request.since_param), against the real mock in process into real SQLite files.
import { afterEach, describe, expect, test } from "bun:test";
import type { SyncDeps } from "../../src/connector/driver";
import type { FetchLike } from "../../src/connector/http/client";
import { createMockApp, type MockApp } from "../../src/mock";
import { savedState, tempDb } from "../helpers/sync";
import { differences, fourStreams, oracleRows, storedRows, syncStreams } from "../helpers/streams";

let mocks: MockApp[] = [];
afterEach(() => {
  for (const m of mocks) m.close();
  mocks = [];
});

function mockOf(records: number, seed: number): { mock: MockApp; fetch: FetchLike; requests: URL[] } {
  const mock = createMockApp({ now: "2026-01-15T12:00:00Z", records, seed, maxPageSize: 100 });
  mocks.push(mock);
  const requests: URL[] = [];
  return { mock, requests, fetch: (request) => (requests.push(new URL(request.url)), mock.fetch(request)) };
}

/** The four streams, the child with per-parent cursors (and the given extras on the child). */
function config(child: Record<string, unknown> = {}): Record<string, unknown> {
  const file = fourStreams();
  const streams = file.streams as Record<string, unknown>[];
  streams[3] = { ...streams[3], per_parent_cursor: true, ...child };
  return file;
}

const childRequests = (requests: URL[]) => requests.filter((u) => u.pathname.startsWith("/api/users/"));
const userOf = (url: URL) => decodeURIComponent(url.pathname.split("/")[3] as string);

/**
 * Where each user's orders are read from: the newest updatedAt among the user's stored orders older than the
 * newest one (a filter `> since` then still returns orders written later at the newest value), or a second before
 * the newest.
 */
function newestChild(db: string): Map<string, string> {
  const values = new Map<string, Set<string>>();
  for (const order of storedRows(db, "user_orders").values()) {
    const user = String(order._parent_id);
    values.set(user, (values.get(user) ?? new Set()).add(String(order.updatedAt)));
  }
  return new Map(
    [...values].map(([user, set]) => {
      const sorted = [...set].sort();
      const newest = sorted.at(-1) as string;
      return [user, sorted.at(-2) ?? new Date(Date.parse(newest) - 1000).toISOString().replace(".000Z", "Z")];
    }),
  );
}

/** The stored children of `users` against the oracle's orders of those users. */
async function childrenOf(db: string, fetch: FetchLike, users: Set<string>): Promise<string[]> {
  const orders = await oracleRows(fetch, "orders");
  const want = new Map([...orders].filter(([, o]) => users.has(String(o.userId))).map(([id, o]) => [id, { ...o, _parent_id: o.userId }]));
  const got = new Map([...storedRows(db, "user_orders")].filter(([, o]) => users.has(String(o._parent_id))));
  return differences(got, want);
}

describe("per-parent cursors", () => {
  test("after live change, each changed user's orders are asked for from the value below that user's newest stored order, and are exact", async () => {
    const { mock, fetch, requests } = mockOf(120, 21);
    const db = tempDb();
    expect((await syncStreams(db, config(), fetch)).results.every((r) => r.status === "ok")).toBe(true);
    expect(childRequests(requests).every((u) => !u.searchParams.has("updated_since"))).toBe(true); // a first sync reads every child
    const before = newestChild(db);
    mock.mutate(40);
    requests.length = 0;
    expect((await syncStreams(db, config(), fetch)).results.every((r) => r.status === "ok")).toBe(true);
    const asked = childRequests(requests);
    const read = new Set(asked.map(userOf));
    const withCursor = asked.filter((u) => before.has(userOf(u)));
    expect(withCursor.length).toBeGreaterThan(0);
    for (const u of withCursor) expect(u.searchParams.get("updated_since")).toBe(before.get(userOf(u)) as string);
    for (const u of asked.filter((u) => !before.has(userOf(u)))) expect(u.searchParams.has("updated_since")).toBe(false);
    expect(await childrenOf(db, fetch, read)).toEqual([]);
    // A full refresh reads every child from the start: the child table is exact against the whole oracle.
    requests.length = 0;
    expect((await syncStreams(db, config(), fetch, { fullRefresh: true })).results.every((r) => r.status === "ok")).toBe(true);
    expect(childRequests(requests).some((u) => u.searchParams.has("updated_since"))).toBe(false);
    const users = new Set((await oracleRows(fetch, "users")).keys());
    expect(await childrenOf(db, fetch, users)).toEqual([]);
  });

  test("stopped part way through an incremental pass: the resume reads the parent it was reading from the start, the rest from their cursors; exact", async () => {
    const { mock, fetch, requests } = mockOf(150, 22);
    const db = tempDb();
    expect((await syncStreams(db, config({ checkpoint_rows: 1 }), fetch)).results.every((r) => r.status === "ok")).toBe(true);
    const before = newestChild(db);
    mock.mutate(120);
    let fetched = 0;
    const depsOf = (name: string, deps: SyncDeps): SyncDeps =>
      name !== "user_orders"
        ? deps
        : {
            ...deps,
            onStep: (step) => {
              if (step === "after-fetch" && ++fetched === 6) throw new Error("killed");
            },
          };
    requests.length = 0;
    const cut = await syncStreams(db, config({ checkpoint_rows: 1 }), fetch, { depsOf });
    expect(cut.results.map((r) => r.status)).toEqual(["ok", "ok", "ok", "failed"]);
    const state = savedState(db, "user_orders") as { children: { pass: { done: number; total: number } } };
    const { pass } = state.children;
    expect(pass.done).toBe(5);
    const readBefore = new Set(childRequests(requests).map(userOf));
    requests.length = 0;
    expect((await syncStreams(db, config({ checkpoint_rows: 1 }), fetch, { only: ["user_orders"] })).results[0]?.status).toBe("ok");
    const asked = childRequests(requests);
    expect(asked[0]?.searchParams.has("updated_since")).toBe(false); // the parent it was reading, again in full
    for (const u of asked.slice(1).filter((u) => before.has(userOf(u)))) expect(u.searchParams.get("updated_since")).toBe(before.get(userOf(u)) as string);
    const read = new Set([...readBefore, ...asked.map(userOf)]);
    expect(read.size).toBe(pass.total);
    expect(await childrenOf(db, fetch, read)).toEqual([]);
  });

  test("per_parent_cursor is refused on a top-level stream and without a since parameter", async () => {
    const { fetch } = mockOf(10, 23);
    const db = tempDb();
    const top = fourStreams();
    (top.streams as Record<string, unknown>[])[1] = { name: "companies", path: "/api/companies", strategy: "offset", per_parent_cursor: true };
    await expect(syncStreams(db, top, fetch)).rejects.toThrow("streams[1] ('companies').per_parent_cursor is for a child stream");
    await expect(syncStreams(db, config({ request: { since_param: null } }), fetch)).rejects.toThrow("per_parent_cursor needs request.since_param");
  });
});
