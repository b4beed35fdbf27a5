import { describe, expect, test } from "bun:test";
import { dataset, get, inOrder, mockApp, type User } from "./helpers";

// Hono-style: one shared file run against every pagination endpoint.
const ENDPOINTS = [
  { path: "/pagination/offset", size: "limit" },
  { path: "/pagination/page_number", size: "per_page" },
  { path: "/pagination/keyset", size: undefined },
  { path: "/pagination/next_page_url", size: "per_page" },
  { path: "/pagination/link_header", size: "per_page" },
] as const;

async function firstPage(path: string, size: string | undefined, query: string, sameSecond = 1): Promise<User[]> {
  const mock = mockApp({ records: 40, sameSecond });
  const sep = query ? "&" : "";
  const { status, body } = await get(mock, `${path}?${size ? `${size}=50${sep}` : ""}${query}`);
  if (status !== 200) throw new Error(`${path} answered ${status}: ${JSON.stringify(body)}`);
  return rowsOf(body);
}

/** The rows of a page: `data`, or the body itself for the top-level array of /pagination/link_header. */
const rowsOf = (body: any): User[] => (Array.isArray(body) ? body : body.data);

for (const { path, size } of ENDPOINTS) {
  describe(`${path}: shared parameters`, () => {
    test("an unknown parameter is 400 naming it and the allowed ones", async () => {
      const { status, body } = await get(mockApp(), `${path}?foo=1`);
      expect(status).toBe(400);
      expect(body.error).toStartWith("Unknown query parameter 'foo'. Allowed parameters: ");
      expect(body.error).toContain("order_by");
    });

    test("a repeated parameter is 400", async () => {
      expect((await get(mockApp(), `${path}?order_type=asc&order_type=asc`)).status).toBe(400);
    });

    test("order_by is createdAt|updatedAt and order_type asc|desc, else 400 listing the choices", async () => {
      const mock = mockApp();
      const by = await get(mock, `${path}?order_by=name`);
      expect(by.status).toBe(400);
      expect(by.body.error).toBe("Invalid value for 'order_by': 'name'. Use 'createdAt' or 'updatedAt'.");
      const type = await get(mock, `${path}?order_type=up`);
      expect(type.body.error).toBe("Invalid value for 'order_type': 'up'. Use 'asc' or 'desc'.");
    });

    test("default order is updatedAt asc; ties (every 4 rows share a second) broken by id", async () => {
      const rows = await firstPage(path, size, "", 4);
      expect(rows).toHaveLength(40);
      expect(new Set(rows.map((r) => r.updatedAt)).size).toBe(10);
      expect(inOrder(rows, "updatedAt", "asc")).toBe(true);
    });

    test("desc order", async () => {
      expect(inOrder(await firstPage(path, size, "order_type=desc"), "updatedAt", "desc")).toBe(true);
    });

    test("createdAt order", async () => {
      const rows = await firstPage(path, size, "order_by=createdAt");
      expect(inOrder(rows, "createdAt", "asc")).toBe(true);
      expect(inOrder(rows, "updatedAt", "asc")).toBe(false);
    });

    test("updated_since is inclusive and always filters updatedAt, whatever the order", async () => {
      const mock = mockApp({ records: 40 });
      const all = await dataset(mock);
      const since = all.map((r) => r.updatedAt).sort()[25]!;
      const { body } = await get(mock, `${path}?${size ? `${size}=50&` : ""}order_by=createdAt&updated_since=${since}`);
      expect(
        rowsOf(body)
          .map((r: User) => r.id)
          .sort(),
      ).toEqual(
        all
          .filter((r) => r.updatedAt >= since)
          .map((r) => r.id)
          .sort(),
      );
      expect(rowsOf(body).some((r: User) => r.updatedAt === since)).toBe(true);
    });

    test("updated_since must be YYYY-MM-DDTHH:MM:SSZ and a real date; 0001-01-01T00:00:00Z works", async () => {
      const mock = mockApp();
      for (const bad of ["2024-01-01", "2024-01-01T00:00:00", "2024-01-01T00:00:00.000Z", "2024-02-30T00:00:00Z", "2024-01-01T24:00:00Z"]) {
        const { status, body } = await get(mock, `${path}?updated_since=${bad}`);
        expect(status).toBe(400);
        expect(body.error).toContain("YYYY-MM-DDTHH:MM:SSZ");
      }
      const { status, body } = await get(mock, `${path}?updated_since=0001-01-01T00:00:00Z`);
      expect(status).toBe(200);
      expect(rowsOf(body).length).toBeGreaterThan(0);
    });
  });
}
