import { describe, expect, test } from "bun:test";
import { get, inOrder, mockApp, walkOffset } from "./helpers";

describe("GET /pagination/offset", () => {
  test("defaults to limit 10, offset 0 and answers data, offset, limit, total in that order", async () => {
    const mock = mockApp();
    const { status, body, headers } = await get(mock, "/pagination/offset");
    expect(status).toBe(200);
    expect(headers.get("content-type")).toStartWith("application/json");
    expect(Object.keys(body)).toEqual(["data", "offset", "limit", "total"]);
    expect(body).toMatchObject({ offset: 0, limit: 10, total: 200 });
    expect(body.data).toHaveLength(10);
  });

  test("limit is 1-50: 0, 51, -1, 1.5 and text are 400 naming the bounds", async () => {
    const mock = mockApp();
    for (const bad of ["0", "51", "-1", "1.5", "ten", ""]) {
      const { status, body } = await get(mock, `/pagination/offset?limit=${bad}`);
      expect(status).toBe(400);
      expect(body.error).toBe(`Invalid value for 'limit': '${bad}'. Use a whole number from 1 to 50.`);
    }
    expect((await get(mock, "/pagination/offset?limit=1")).body.data).toHaveLength(1);
    expect((await get(mock, "/pagination/offset?limit=50")).body.data).toHaveLength(50);
  });

  test("offset must be >= 0; an offset past the end is an empty page with the total", async () => {
    const mock = mockApp();
    expect((await get(mock, "/pagination/offset?offset=-1")).status).toBe(400);
    const past = await get(mock, "/pagination/offset?offset=5000");
    expect(past.status).toBe(200);
    expect(past.body).toEqual({ data: [], offset: 5000, limit: 10, total: 200 });
  });

  test("pages tile the whole ordered set: no gap, no repeat", async () => {
    const mock = mockApp({ records: 137 });
    const rows = await walkOffset(mock, "", 10);
    expect(rows).toHaveLength(137);
    expect(new Set(rows.map((r) => r.id)).size).toBe(137);
    expect(inOrder(rows, "updatedAt", "asc")).toBe(true);
  });

  test("--max-page-size lifts the limit bound (and only up to it)", async () => {
    const mock = mockApp({ maxPageSize: 500, records: 600 });
    expect((await get(mock, "/pagination/offset?limit=500")).body.data).toHaveLength(500);
    const over = await get(mock, "/pagination/offset?limit=501");
    expect(over.status).toBe(400);
    expect(over.body.error).toContain("from 1 to 500");
  });
});
