// A child's path that answers 404 for a parent: that parent is taken for one deleted in the source and skipped. When
// every parent answers so, the path is wrong (found from outside: `/api/user/{users.id}/orders`, a typo, ended "ok"
// with no rows and exit 0). And a table that never held a row of the source its state names starts afresh from a
// new one, so fixing such a typo needs no reset.
import { describe, expect, test } from "bun:test";
import type { FetchLike } from "../../src/connector/http/client";
import { inProcessMock } from "../helpers/mock";
import { differences, oracleRows, storedRows, syncStreams } from "../helpers/streams";
import { items, linkHeaderApi } from "../helpers/dialects";
import { savedState, syncOnce, tableRows, tempDb } from "../helpers/sync";

const streams = (path: string) => ({
  base_url: "http://mock.test",
  page_size: 20,
  params: {},
  streams: [
    { name: "users", path: "/pagination/keyset" },
    { name: "user_orders", path, parent: "users" },
  ],
});

/** The mock in process, counting requests for each user's orders (right path or not). */
function counted(records: number) {
  const { fetch } = inProcessMock({ records, seed: 3 });
  const children: string[] = [];
  const counting: FetchLike = (request) => {
    if (/\/api\/users?\/[^/]+\/orders/.test(new URL(request.url).pathname)) children.push(request.url);
    return fetch(request);
  };
  return { fetch: counting, children };
}

describe("a child path that answers 404", () => {
  test("for every parent: the pass stops after three (exit 2, naming the path); the fixed path then syncs exact", async () => {
    const { fetch, children } = counted(30);
    const db = tempDb();
    const wrong = await syncStreams(db, streams("/api/user/{users.id}/orders"), fetch);
    const failed = wrong.results.find((r) => r.name === "user_orders");
    expect(failed?.status).toBe("failed");
    expect((failed?.error as { code?: string })?.code).toBe("child_path");
    expect((failed?.error as { exitCode?: number })?.exitCode).toBe(2);
    expect(String((failed?.error as Error)?.message)).toContain("The path '/api/user/{users.id}/orders' names no endpoint of the API");
    expect(children).toHaveLength(3);
    const right = await syncStreams(db, streams("/api/users/{users.id}/orders"), fetch);
    expect(right.results.map((r) => r.status)).toEqual(["ok", "ok"]);
    expect(right.logs.join("\n")).toContain("table 'user_orders' has no rows from http://mock.test/api/user/{users.id}/orders");
    expect(differences(storedRows(db, "user_orders"), await oracleRows(fetch, "orders"))).toEqual([]);
  });

  test("for a few parents among others that answer: those are skipped with a warning, the rest read exact", async () => {
    const { fetch } = inProcessMock({ records: 30, seed: 3 });
    const gone = new Set<string>();
    const deleting: FetchLike = (request) => {
      const match = new URL(request.url).pathname.match(/^\/api\/users\/([^/]+)\/orders$/);
      // The first two parents read, and one further on, were deleted in the source after they were synced.
      if (match && (gone.size < 2 || gone.has(match[1] as string) || match[1]?.startsWith("f"))) {
        gone.add(match[1] as string);
        return Promise.resolve(new Response(JSON.stringify({ detail: "Not found." }), { status: 404 }));
      }
      return fetch(request);
    };
    const db = tempDb();
    const run = await syncStreams(db, streams("/api/users/{users.id}/orders"), deleting);
    expect(run.results.map((r) => r.status)).toEqual(["ok", "ok"]);
    expect(gone.size).toBeGreaterThan(2);
    expect(run.logs.filter((l) => l.includes("answers 404: taken for a row deleted in the source"))).toHaveLength(gone.size);
    const expected = new Map([...(await oracleRows(fetch, "orders"))].filter(([, order]) => !gone.has(String(order.userId))));
    expect(differences(storedRows(db, "user_orders"), expected)).toEqual([]);
  });
});

test("a table that never held a row of its saved source starts afresh from another one; one with rows is still refused", async () => {
  const db = tempDb();
  const empty = linkHeaderApi([]);
  const config = { strategy: "link_header", response: { records: "" }, cursor_field: "modified", params: {}, request: { since_param: null } };
  expect((await syncOnce(db, { ...config, base_url: "http://typo.test/itemz" }, empty.fetch)).error).toBeUndefined();
  expect(savedState(db)?.source).toContain("http://typo.test/itemz");
  const api = linkHeaderApi(items(30));
  const fixed = await syncOnce(db, { ...config, base_url: "http://typo.test/items" }, api.fetch);
  expect(fixed.error).toBeUndefined();
  expect(tableRows(db).size).toBe(30);
  const other = await syncOnce(db, { ...config, base_url: "http://typo.test/other" }, linkHeaderApi(items(5)).fetch);
  expect(other.error?.exitCode).toBe(2);
  expect(other.error?.message).toContain("holds rows and state of another source");
});
