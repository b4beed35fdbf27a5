import { describe, expect, test } from "bun:test";
import { byId, dataset, get, inOrder, mockApp, walkKeyset } from "./helpers";

describe("GET /pagination/keyset", () => {
  test("a fixed page of 50 with data and scroll_param; null scroll_param on the last page", async () => {
    const mock = mockApp({ records: 100 });
    const first = await get(mock, "/pagination/keyset");
    expect(first.status).toBe(200);
    expect(Object.keys(first.body)).toEqual(["data", "scroll_param"]);
    expect(first.body.data).toHaveLength(50);
    expect(first.body.scroll_param).toBeString();
    const second = await get(mock, `/pagination/keyset?scroll_param=${first.body.scroll_param}`);
    expect(second.body.data).toHaveLength(50);
    // 100 rows are exactly two pages: the second is the last, not followed by an empty one.
    expect(second.body.scroll_param).toBeNull();
  });

  test("walking the tokens returns every row once in (updatedAt, id) order", async () => {
    const mock = mockApp({ records: 233 });
    const rows = await walkKeyset(mock, "/pagination/keyset");
    expect(rows).toHaveLength(233);
    expect(inOrder(rows, "updatedAt", "asc")).toBe(true);
    expect(rows.toSorted(byId)).toEqual(await dataset(mock));
  });

  test("tie groups larger than a page are never skipped (every 120 rows share one updatedAt)", async () => {
    const mock = mockApp({ records: 360, sameSecond: 120 });
    const all = await dataset(mock);
    expect(new Set(all.map((r) => r.updatedAt)).size).toBe(3);
    const rows = await walkKeyset(mock, "/pagination/keyset");
    expect(rows).toHaveLength(360);
    expect(new Set(rows.map((r) => r.id)).size).toBe(360);
    expect(inOrder(rows, "updatedAt", "asc")).toBe(true);
  });

  test("the first request may carry updated_since (inclusive); the tokens keep filtering", async () => {
    const mock = mockApp({ records: 300 });
    const all = await dataset(mock);
    const since = all.map((r) => r.updatedAt).sort()[120]!;
    const rows = await walkKeyset(mock, `/pagination/keyset?updated_since=${since}`);
    const expected = all.filter((r) => r.updatedAt >= since);
    expect(rows).toHaveLength(expected.length);
    expect(rows.some((r) => r.updatedAt === since)).toBe(true);
    expect(rows.every((r) => r.updatedAt >= since)).toBe(true);
  });

  test("scroll_param together with updated_since is 400", async () => {
    const mock = mockApp();
    const token = (await get(mock, "/pagination/keyset")).body.scroll_param;
    const { status, body } = await get(mock, `/pagination/keyset?scroll_param=${token}&updated_since=2024-05-05T00:00:00Z`);
    expect(status).toBe(400);
    expect(body.error).toContain("not both");
  });

  test("malformed tokens are 400, never 500", async () => {
    const mock = mockApp();
    const b64 = (text: string) => Buffer.from(text).toString("base64url");
    const bad = [
      "",
      "abc",
      "%%%",
      "MjAyNC0wOS0yNFQxNDozMTozN1o=",
      b64("not json"),
      b64("[]"),
      b64('{"v":1}'),
      b64('{"v":1,"b":"name","t":"asc","s":null,"k":1,"i":"00000000000000000000000000000000"}'),
      b64('{"v":1,"b":"updatedAt","t":"asc","s":null,"k":1.5,"i":"00000000000000000000000000000000"}'),
      b64('{"v":1,"b":"updatedAt","t":"asc","s":null,"k":1,"i":"zz"}'),
      "x".repeat(3000),
    ];
    for (const token of bad) {
      const { status, body } = await get(mock, `/pagination/keyset?scroll_param=${encodeURIComponent(token)}`);
      expect(status).toBe(400);
      expect(body.error).toContain("scroll_param");
    }
  });

  test("limit is unknown (400) at the playground's page size, as on the playground", async () => {
    const { status, body } = await get(mockApp({ records: 100 }), "/pagination/keyset?limit=10");
    expect(status).toBe(400);
    expect(body.error).toContain("Unknown query parameter 'limit'");
  });

  test("with --max-page-size above 50, limit sizes every page (default 50) and the walk stays complete", async () => {
    const mock = mockApp({ records: 450, maxPageSize: 200 });
    expect((await get(mock, "/pagination/keyset")).body.data).toHaveLength(50);
    const first = await get(mock, "/pagination/keyset?limit=200");
    expect(first.body.data).toHaveLength(200);
    const second = await get(mock, `/pagination/keyset?scroll_param=${first.body.scroll_param}&limit=200`);
    expect(second.body.data).toHaveLength(200);
    expect(second.body.data[0].id).not.toBe(first.body.data[199].id);
    const third = await get(mock, `/pagination/keyset?scroll_param=${second.body.scroll_param}&limit=200`);
    expect(third.body.data).toHaveLength(50);
    expect(third.body.scroll_param).toBeNull();
    const rows = [...first.body.data, ...second.body.data, ...third.body.data];
    expect(new Set(rows.map((r: { id: string }) => r.id)).size).toBe(450);
    expect(inOrder(rows, "updatedAt", "asc")).toBe(true);
    expect((await get(mock, "/pagination/keyset?limit=201")).status).toBe(400);
  });

  test("desc and createdAt orders walk completely and in order", async () => {
    const mock = mockApp({ records: 170 });
    for (const [by, type] of [
      ["updatedAt", "desc"],
      ["createdAt", "asc"],
      ["createdAt", "desc"],
    ] as const) {
      const rows = await walkKeyset(mock, `/pagination/keyset?order_by=${by}&order_type=${type}`);
      expect(rows).toHaveLength(170);
      expect(inOrder(rows, by, type)).toBe(true);
    }
  });

  test("order parameters next to a token must agree with it", async () => {
    const mock = mockApp();
    const token = (await get(mock, "/pagination/keyset?order_type=desc")).body.scroll_param;
    expect((await get(mock, `/pagination/keyset?scroll_param=${token}&order_type=desc&order_by=updatedAt`)).status).toBe(200);
    const clash = await get(mock, `/pagination/keyset?scroll_param=${token}&order_type=asc`);
    expect(clash.status).toBe(400);
    expect(clash.body.error).toContain("order_type");
  });
});
