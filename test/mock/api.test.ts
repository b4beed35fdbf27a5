import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import { banner } from "../../src/mock/banner";
import { BODY_SCHEMAS } from "../../src/mock/web/schemas";
import { byUpdated, rowsOf, walkCompanies, walkOrders, walkUserOrders, type Company, type Order } from "./api-helpers";
import { dataset, get, mockApp } from "./helpers";

describe("GET /api/companies, /api/orders, /api/users/{id}/orders", () => {
  test("answer the documented shapes, with typed fields and nested items", async () => {
    const mock = mockApp({ records: 60 });
    const user = (await dataset(mock))[0]!;
    for (const [path, schema] of [
      ["/api/companies", BODY_SCHEMAS.companies],
      ["/api/orders", BODY_SCHEMAS.orders],
      [`/api/users/${user.id}/orders`, BODY_SCHEMAS.user_orders],
    ] as const) {
      const { status, body } = await get(mock, path);
      expect(status).toBe(200);
      const result = v.safeParse(schema, body);
      expect(`${path} ${result.success ? "ok" : JSON.stringify(result.issues[0]?.path?.map((p) => p.key))}`).toBe(`${path} ok`);
    }
    expect(Object.keys((await get(mock, "/api/companies")).body)).toEqual(["data", "total"]);
    expect(Object.keys((await get(mock, "/api/orders")).body)).toEqual(["data", "page", "per_page", "total_pages", "total_items"]);
    const order = (await get(mock, "/api/orders?per_page=1")).body.data[0] as Order;
    const cents = order.items.reduce((sum, item) => sum + Math.round(item.price * 100) * item.quantity, 0);
    expect(Math.round(order.amount * 100)).toBe(cents);
  });

  test("scale with --records: one company per ten users (at least one), 0-5 orders per user, each for a real user", async () => {
    for (const records of [0, 7, 250]) {
      const mock = mockApp({ records });
      const users = await dataset(mock);
      const companies = await rowsOf<Company>(mock, "companies");
      const orders = await rowsOf<Order>(mock, "orders");
      expect(companies.map((c) => c.id)).toEqual(Array.from({ length: Math.max(1, Math.floor(records / 10)) }, (_, i) => i + 1));
      const perUser = new Map(users.map((u) => [u.id, 0]));
      for (const order of orders) perUser.set(order.userId, perUser.get(order.userId)! + 1);
      expect(perUser.size).toBe(users.length);
      expect(Math.max(0, ...perUser.values())).toBeLessThanOrEqual(5);
      if (records === 250) expect(orders.length).toBeWithin(400, 850);
      for (const order of orders) {
        expect(order.createdAt <= order.updatedAt).toBe(true);
        expect(order.createdAt >= users.find((u) => u.id === order.userId)!.createdAt).toBe(true);
      }
    }
  });

  test("walking every page (with and without updated_since) gives the oracle's rows in (updatedAt, id) order, ties included", async () => {
    const mock = mockApp({ records: 300 });
    const companies = byUpdated(await rowsOf<Company>(mock, "companies"));
    const orders = byUpdated(await rowsOf<Order>(mock, "orders"));
    // Ties on updatedAt occur, so the id tiebreak is exercised.
    for (const rows of [companies, orders]) expect(new Set(rows.map((r) => r.updatedAt)).size).toBeLessThan(rows.length);
    for (const size of [1, 7, 50]) {
      expect(await walkCompanies(mock, size)).toEqual(companies);
      expect(await walkOrders(mock, size)).toEqual(orders);
    }
    const since = orders[Math.floor(orders.length / 2)]!.updatedAt;
    expect(await walkOrders(mock, 9, since)).toEqual(orders.filter((o) => o.updatedAt >= since));
    const companySince = companies[10]!.updatedAt;
    expect(await walkCompanies(mock, 4, companySince)).toEqual(companies.filter((c) => c.updatedAt >= companySince));
  });

  test("a user's orders: every user, walked by next_page_url, are the oracle's orders of that user", async () => {
    const mock = mockApp({ records: 40 });
    const orders = await rowsOf<Order>(mock, "orders");
    for (const user of await dataset(mock)) {
      const mine = byUpdated(orders.filter((o) => o.userId === user.id));
      expect(await walkUserOrders(mock, user.id, 2)).toEqual(mine);
    }
    const { body } = await get(mock, `/api/users/${orders[0]!.userId}/orders?per_page=1`);
    expect(body.next_page_url === null || body.next_page_url.startsWith("http://localhost/api/users/")).toBe(true);
    const since = (await get(mock, `/api/users/${orders[0]!.userId}/orders?updated_since=2099-01-01T00:00:00Z`)).body;
    expect(since).toEqual({ data: [], total_items: 0, page: 1, per_page: 10, next_page_url: null });
  });

  test("an unknown user is 404 {error}; bad parameters are 400 naming them", async () => {
    const mock = mockApp({ records: 20 });
    for (const id of ["00000000-0000-4000-8000-000000000000", "not-a-uuid"]) {
      const { status, body } = await get(mock, `/api/users/${id}/orders`);
      expect(status).toBe(404);
      expect(body.error).toStartWith(`No user '${id}'`);
    }
    const cases: [string, string][] = [
      ["/api/companies?page=2", "Unknown query parameter 'page'. Allowed parameters: limit, offset, updated_since."],
      ["/api/companies?limit=51", "Invalid value for 'limit': '51'. Use a whole number from 1 to 50."],
      ["/api/companies?order_by=createdAt", "Unknown query parameter 'order_by'. Allowed parameters: limit, offset, updated_since."],
      ["/api/orders?per_page=0", "Invalid value for 'per_page': '0'. Use a whole number from 1 to 50."],
      ["/api/orders?page=0", "Invalid value for 'page': '0'. Use a whole number of at least 1."],
      [
        "/api/orders?updated_since=2024-01-01",
        "Invalid value for 'updated_since': '2024-01-01'. Use a UTC time as YYYY-MM-DDTHH:MM:SSZ, e.g. 2024-01-31T23:59:59Z.",
      ],
      ["/api/orders?page=1&page=2", "Query parameter 'page' was given more than once; give it once."],
      ["/api/users/x/orders?limit=5", "Unknown query parameter 'limit'. Allowed parameters: page, per_page, updated_since."],
      ["/_mock/dataset?resource=products", "Invalid value for 'resource': 'products'. Use 'users' or 'companies' or 'orders'."],
    ];
    for (const [path, error] of cases) expect(`${path} ${JSON.stringify((await get(mock, path)).body)}`).toBe(`${path} ${JSON.stringify({ error })}`);
    expect((await get(mockApp({ records: 20, maxPageSize: 200 }), "/api/orders?per_page=200")).status).toBe(200);
  });

  test("deterministic from the seed: two apps with the same seed serve the same bytes; another seed differs", async () => {
    const texts = async (seed: number) => {
      const mock = mockApp({ records: 120, seed });
      const paths = [
        "/_mock/dataset?resource=companies",
        "/_mock/dataset?resource=orders",
        "/api/orders?page=2&per_page=7",
        "/api/companies?offset=3&limit=4",
        "/_mock/dataset",
      ];
      return Promise.all(paths.map(async (path) => (await get(mock, path)).text));
    };
    const [a, b, c] = [await texts(9), await texts(9), await texts(10)];
    expect(a).toEqual(b);
    for (let i = 0; i < a.length; i++) expect(a[i]).not.toBe(c[i]);
  });

  test("faults, rate limits and --require-auth cover them; the oracle stays clean", async () => {
    const failing = mockApp({ records: 20, failRate: 1 });
    for (const path of ["/api/companies", "/api/orders"]) expect([500, 502, 503]).toContain((await get(failing, path)).status);
    expect((await get(failing, "/_mock/dataset?resource=orders")).status).toBe(200);
    const guarded = mockApp({ records: 20, requireAuth: "bearer", auth: { token: "tok-1" } });
    expect((await get(guarded, "/api/orders")).status).toBe(401);
    expect((await get(guarded, "/api/orders", { headers: { authorization: "apiKey tok-1" } })).status).toBe(401);
    expect((await get(guarded, "/api/orders", { headers: { authorization: "Bearer tok-1" } })).status).toBe(200);
  });

  test("the banner, the page and /openapi.json list them", async () => {
    const text = banner({
      url: "http://127.0.0.1:5001",
      seed: 1,
      records: 10,
      anchor: "2024-06-01T00:00:00Z",
      credentials: { user: "u", password: "p", token: "t" },
      sessionTtlSeconds: 300,
      notes: [],
    });
    const mock = mockApp({ records: 10 });
    const page = (await get(mock, "/")).text;
    const doc = (await get(mock, "/openapi.json")).body;
    for (const path of ["/api/companies", "/api/orders", "/api/users/{id}/orders"]) {
      expect(text).toContain(`| http://127.0.0.1:5001${path}\n`);
      expect(page).toContain(`>${path}<`);
      expect(doc.paths[path].get.responses["200"]).toBeDefined();
    }
    expect(text).toContain("/_mock/dataset?resource=orders");
    expect(doc.paths["/api/users/{id}/orders"].get.responses["404"]).toBeDefined();
  });
});
