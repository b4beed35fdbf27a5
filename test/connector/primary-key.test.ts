// A primary key that does not identify one record (a user's mistake) must not collapse rows with exit 0.
import { describe, expect, test } from "bun:test";
import type { FetchLike } from "../../src/connector/http/client";
import { items } from "../helpers/dialects";
import { lenientApi } from "../helpers/lenient-server";
import { syncOnce, tableRows, tempDb } from "../helpers/sync";

const base = {
  base_url: "http://lenient.test/api/items",
  cursor_field: "modified",
  params: {},
  strategy: "offset",
  page_size: 50,
  request: { since_param: "since" },
};

describe("primary keys", () => {
  test("a key shared by several records (four items a group): exit 2 naming the key and how they differ", async () => {
    const data = items(300, 3).map((d) => ({ ...d, group: Math.ceil(d.id / 4) }));
    const api = lenientApi(data, { style: "offset", sizeParam: "limit" });
    const db = tempDb();
    const run = await syncOnce(db, { ...base, primary_key: ["group"] }, api.fetch);
    expect(run.error?.code).toBe("key_not_unique");
    expect(run.error?.exitCode).toBe(2);
    expect(run.error?.message).toContain("records 0 and 1 share the primary key (group=1) but differ in 'id', 'title'");
    expect(run.error?.message).toContain("Set primary_key");
    expect(tableRows(db).size).toBe(0);
  });

  test("64-bit ids sent as JSON numbers (past 2^53, digits lost in parsing): exit 2 naming the key and the fix; the string form keys it exactly", async () => {
    // Snowflake-style ids a few apart: as numbers, neighbours parse to one value and would overwrite each other.
    const big = 1234567890123456789n;
    const body = (ids: bigint[]) =>
      `{"data":[${ids.map((id, i) => `{"id":${id},"id_str":"${id}","modified":"2025-03-01T00:00:0${i}Z"}`).join(",")}],"total":${ids.length}}`;
    const ids = [big, big + 1n, big + 2n];
    const fetch: FetchLike = async () => new Response(body(ids), { headers: { "content-type": "application/json" } });
    const db = tempDb();
    const run = await syncOnce(db, { ...base, primary_key: ["id"] }, fetch);
    expect(run.error?.code).toBe("key_precision");
    expect(run.error?.exitCode).toBe(2);
    expect(run.error?.message).toContain("primary key 'id' = 1234567890123456768, a number beyond 2^53");
    expect(run.error?.message).toContain("'id_str'");
    expect(tableRows(db).size).toBe(0);
    const exact = await syncOnce(tempDb(), { ...base, primary_key: ["id_str"] }, fetch);
    expect(exact.error).toBeUndefined();
    expect(exact.summary?.inserted).toBe(3);
  });

  test("a composite key that does identify records: exact", async () => {
    const data = items(300, 3).map((d) => ({ ...d, group: Math.ceil(d.id / 4), n: d.id % 4 }));
    const api = lenientApi(data, { style: "offset", sizeParam: "limit" });
    const db = tempDb();
    const run = await syncOnce(db, { ...base, primary_key: ["group", "n"] }, api.fetch);
    expect(run.error).toBeUndefined();
    expect(run.summary?.inserted).toBe(300);
  });

  test("an API that lists the same record twice, unchanged, in one page: kept once, the sync exact", async () => {
    const api = lenientApi(items(120), { style: "offset", sizeParam: "limit" });
    const fetch: FetchLike = async (request) => {
      const body = (await (await api.fetch(request)).json()) as { data: unknown[] };
      return Response.json({ ...body, data: body.data.length > 3 ? [...body.data.slice(0, 3), body.data[2], ...body.data.slice(3)] : body.data });
    };
    const db = tempDb();
    const run = await syncOnce(db, base, fetch);
    expect(run.error).toBeUndefined();
    expect(tableRows(db).size).toBe(120);
  });
});
