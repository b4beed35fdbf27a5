import { describe, expect, test } from "bun:test";
import { nextLink } from "../../src/connector/link-header";
import { detectStyle } from "../../src/connector/paginators/detect";
import { get, mockApp, type User } from "./helpers";

/** rel -> URL from a Link header. */
function rels(link: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (link ?? "").split(",")) {
    const m = /<([^>]+)>;\s*rel="(\w+)"/.exec(part);
    if (m) out[m[2]!] = m[1]!;
  }
  return out;
}

describe("GET /pagination/link_header", () => {
  test("answers a top-level array with Link (next, first, last) and X-Total-Count", async () => {
    const mock = mockApp();
    const { status, body, headers } = await get(mock, "http://mock.test:8123/pagination/link_header?per_page=5");
    expect(status).toBe(200);
    expect(Array.isArray(body)).toBe(true);
    expect(body).toHaveLength(5);
    expect(headers.get("x-total-count")).toBe("200");
    const links = rels(headers.get("link"));
    expect(Object.keys(links).sort()).toEqual(["first", "last", "next"]);
    expect(links.next).toBe("http://mock.test:8123/pagination/link_header?page=2&per_page=5&order_by=updatedAt&order_type=asc");
    expect(new URL(links.last!).searchParams.get("page")).toBe("40");
  });

  test("following rel=next visits every row once, carries updated_since, and the last page has no next", async () => {
    const mock = mockApp({ records: 83, sameSecond: 4 });
    const since = "2024-01-01T00:00:00Z";
    const total = Number((await get(mock, `/pagination/link_header?updated_since=${since}`)).headers.get("x-total-count"));
    const rows: User[] = [];
    let url: string | undefined = `http://localhost/pagination/link_header?per_page=10&updated_since=${since}`;
    let pages = 0;
    for (; url !== undefined && pages < 50; pages++) {
      const { body, headers } = await get(mock, url);
      rows.push(...body);
      const links = rels(headers.get("link"));
      if (links.next) expect(new URL(links.next).searchParams.get("updated_since")).toBe(since);
      url = links.next;
    }
    expect(url).toBeUndefined();
    expect(pages).toBe(Math.ceil(total / 10));
    expect(rows).toHaveLength(total);
    expect(new Set(rows.map((r) => r.id)).size).toBe(total);
    expect(rows.every((r) => r.updatedAt >= since)).toBe(true);
  });

  test("a page past the end is an empty array with prev and last", async () => {
    const { status, body, headers } = await get(mockApp({ records: 20 }), "/pagination/link_header?page=9&per_page=10");
    expect(status).toBe(200);
    expect(body).toEqual([]);
    expect(Object.keys(rels(headers.get("link"))).sort()).toEqual(["first", "last", "prev"]);
  });

  test("a bad per_page is 400 naming it and the range", async () => {
    const { status, body } = await get(mockApp(), "/pagination/link_header?per_page=0");
    expect(status).toBe(400);
    expect(body.error).toBe("Invalid value for 'per_page': '0'. Use a whole number from 1 to 50.");
  });

  test("sync's detection calls it link_header and follows its Link", async () => {
    const url = "http://localhost/pagination/link_header?per_page=10";
    const res = await get(mockApp(), url);
    const shape = { records: "data", total: "total", next_token: "next_token", next_url: "next_page_url", total_pages: "total_pages", total_header: null };
    const result = detectStyle(res.body, res.headers, url, shape);
    expect(result.ok && result.detection.strategy).toBe("link_header");
    expect(nextLink(res.headers.get("link")!, url)).toContain("page=2");
  });
});
