import { describe, expect, test } from "bun:test";
import { get, mockApp, type User } from "./helpers";

describe("GET /pagination/next_page_url", () => {
  test("answers data, total_items, page, per_page, next_page_url", async () => {
    const mock = mockApp();
    const { status, body } = await get(mock, "/pagination/next_page_url?per_page=5");
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(["data", "total_items", "page", "per_page", "next_page_url"]);
    expect(body).toMatchObject({ total_items: 200, page: 1, per_page: 5 });
  });

  test("next_page_url is absolute, on the request's origin, and carries every parameter", async () => {
    const mock = mockApp();
    const since = "2024-05-10T00:00:00Z";
    const { body } = await get(mock, `http://mock.test:8123/pagination/next_page_url?per_page=7&order_by=createdAt&order_type=desc&updated_since=${since}`);
    const next = new URL(body.next_page_url);
    expect(next.origin).toBe("http://mock.test:8123");
    expect(next.pathname).toBe("/pagination/next_page_url");
    expect(Object.fromEntries(next.searchParams)).toEqual({ page: "2", per_page: "7", order_by: "createdAt", order_type: "desc", updated_since: since });
  });

  test("following next_page_url visits every row once and ends with null", async () => {
    const mock = mockApp({ records: 83 });
    const rows: User[] = [];
    let url: string | null = "http://localhost/pagination/next_page_url?per_page=10";
    for (let i = 0; url !== null && i < 50; i++) {
      const { body } = await get(mock, url);
      rows.push(...body.data);
      url = body.next_page_url;
    }
    expect(url).toBeNull();
    expect(rows).toHaveLength(83);
    expect(new Set(rows.map((r) => r.id)).size).toBe(83);
  });

  test("--public-url replaces the origin (with a path prefix) for a mock behind a proxy", async () => {
    const mock = mockApp({ publicUrl: "https://proxy.example.com/mock/" });
    const { body } = await get(mock, "/pagination/next_page_url?per_page=10");
    expect(body.next_page_url).toBe("https://proxy.example.com/mock/pagination/next_page_url?page=2&per_page=10&order_by=updatedAt&order_type=asc");
  });

  test("per_page is 1-50 and page >= 1", async () => {
    const mock = mockApp();
    for (const query of ["per_page=0", "per_page=51", "page=0"]) expect((await get(mock, `/pagination/next_page_url?${query}`)).status).toBe(400);
  });
});
