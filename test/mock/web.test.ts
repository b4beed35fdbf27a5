import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import { catalog } from "../../src/mock/web/catalog";
import { resolveOptions } from "../../src/mock/options";
import { BODY_SCHEMAS, UserSchema } from "../../src/mock/web/schemas";
import type { MockApp } from "../../src/mock/index";
import type { AuthKind } from "../../src/mock/options";
import { get, mockApp } from "./helpers";

/** The Authorization header value each auth endpoint accepts. */
async function credential(mock: MockApp, kind: AuthKind): Promise<string> {
  const { user, password, token } = mock.credentials;
  if (kind === "basic") return `Basic ${btoa(`${user}:${password}`)}`;
  if (kind === "bearer") return `Bearer ${token}`;
  if (kind === "api_key") return `apiKey ${token}`;
  const login = await get(mock, "/auth/session_token/login", { method: "POST", body: JSON.stringify({ username: user, password }) });
  return `Token ${login.body.token}`;
}

type Doc = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, any>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
};

/** Every "$ref" string anywhere in a JSON value. */
function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const item of value) refs(item, out);
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key === "$ref" && typeof item === "string") out.push(item);
      else refs(item, out);
    }
  }
  return out;
}

describe("GET /openapi.json", () => {
  test("is OpenAPI 3.1 whose operations have responses, resolvable $refs and declared security schemes", async () => {
    const { status, body: doc } = (await get(mockApp(), "/openapi.json")) as { status: number; body: Doc };
    expect(status).toBe(200);
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.title.length * doc.info.version.length).toBeGreaterThan(0);
    for (const [path, ops] of Object.entries(doc.paths)) {
      expect(path).toStartWith("/");
      for (const [method, op] of Object.entries(ops)) {
        expect(["get", "post"]).toContain(method);
        expect(Object.keys(op.responses)).toContain("200");
        // Query parameters are optional; a path parameter is required and named in the path.
        for (const param of op.parameters) {
          if (param.in === "path") expect(path).toContain(`{${param.name}}`);
          expect(param).toMatchObject(
            param.in === "path" ? { required: true, schema: expect.any(Object) } : { in: "query", required: false, schema: expect.any(Object) },
          );
        }
        for (const requirement of op.security ?? []) for (const name of Object.keys(requirement)) expect(doc.components.securitySchemes).toHaveProperty(name);
      }
    }
    const all = refs(doc);
    expect(all.length).toBeGreaterThan(10);
    for (const ref of all) expect(doc.components.schemas).toHaveProperty(ref.replace("#/components/schemas/", ""));
    expect(doc.components.schemas.User).toMatchObject({
      properties: { id: { format: "uuid" }, email: { format: "email" }, updatedAt: { format: "date-time" } },
    });
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(["apiKeyAuth", "basicAuth", "bearerAuth", "sessionToken"]);
  });

  test("describes every route the app serves, and nothing else", async () => {
    const mock = mockApp({ maxPageSize: 100 });
    // hono writes a path parameter as :id, OpenAPI as {id}.
    const served = mock.app.routes.filter((r) => r.method === "GET" || r.method === "POST").map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`);
    const { body: doc } = (await get(mock, "/openapi.json")) as { body: Doc };
    const described = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect([...new Set(served)].sort()).toEqual(described.sort());
  });

  test("each endpoint's parameters are exactly the ones its route accepts (from the route's own 400)", async () => {
    for (const maxPageSize of [50, 100]) {
      const mock = mockApp({ maxPageSize });
      for (const endpoint of catalog(resolveOptions({ maxPageSize })).filter((e) => e.method === "GET")) {
        const { status, body } = await get(
          mock,
          `${endpoint.path}?zz_unknown=1`,
          endpoint.auth ? { headers: { authorization: await credential(mock, endpoint.auth) } } : undefined,
        );
        const names = Object.keys(endpoint.params);
        expect(`${endpoint.path} ${status} ${body.error}`).toBe(
          `${endpoint.path} 400 Unknown query parameter 'zz_unknown'. ${names.length ? `Allowed parameters: ${names.join(", ")}.` : "This endpoint takes no parameters."}`,
        );
      }
    }
  });

  test("real responses match the response schemas the document is generated from", async () => {
    const mock = mockApp({ records: 30 });
    for (const style of ["offset", "page_number", "keyset", "next_page_url", "link_header"] as const) {
      const { status, body } = await get(mock, `/pagination/${style}`);
      expect(status).toBe(200);
      const result = v.safeParse(BODY_SCHEMAS[style], body);
      expect(`${style}: ${result.success ? "ok" : JSON.stringify(result.issues[0]?.path?.map((p) => p.key))} ${result.issues?.[0]?.message ?? ""}`).toBe(
        `${style}: ok `,
      );
    }
    expect(v.safeParse(BODY_SCHEMAS.error, (await get(mock, "/pagination/offset?limit=0")).body).success).toBe(true);
    const login = await get(mock, "/auth/session_token/login", {
      method: "POST",
      body: JSON.stringify({ username: mock.credentials.user, password: mock.credentials.password }),
    });
    expect(v.safeParse(BODY_SCHEMAS.login, login.body).success).toBe(true);
    expect(v.safeParse(UserSchema, { ...login.body, id: "x" }).success).toBe(false);
  });
});

describe("GET /", () => {
  test("an offline HTML page: every endpoint, try-it links, masked credentials, no external resource", async () => {
    const mock = mockApp();
    const res = await mock.app.request("/");
    expect(res.headers.get("content-type")).toStartWith("text/html");
    const html = await res.text();
    for (const endpoint of catalog(resolveOptions({}))) expect(html).toContain(`>${endpoint.path}<`);
    expect(html.match(/class="try /g)?.length).toBeGreaterThanOrEqual(12);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).toContain(`data-value="${mock.credentials.token}"`);
    expect(html).toContain("(click to reveal)");
  });

  test("under --require-auth the credentials appear only to a request carrying the required one", async () => {
    const mock = mockApp({ requireAuth: "bearer", auth: { token: "s3cret-token", password: "s3cret-pw" } });
    const res = await mock.app.request("/");
    const anonymous = await res.text();
    expect(anonymous).not.toContain("s3cret");
    expect(res.status).toBe(200);
    expect(anonymous).toContain("--require-auth bearer");
    expect((await mock.app.request("/_mock/requests")).status).toBe(401);
    const openapi = await mock.app.request("/openapi.json");
    expect(openapi.status).toBe(200);
    expect(await openapi.text()).not.toContain("s3cret");
    const authed = await (await mock.app.request("/", { headers: { authorization: "Bearer s3cret-token" } })).text();
    expect(authed).toContain("s3cret-pw");
  });
});

describe("GET /_mock/requests", () => {
  test("lists recent requests with query string, status, latency and the fault injected, after a sequence number", async () => {
    const mock = mockApp({ failRate: 1 });
    await get(mock, "/pagination/offset?limit=2");
    await get(mock, "/");
    const { body } = await get(mock, "/_mock/requests");
    expect(body).toHaveLength(2);
    const { status, fault, ms } = body[0];
    expect(body[0]).toMatchObject({ seq: 1, method: "GET", target: "/pagination/offset?limit=2" });
    expect([500, 502, 503]).toContain(status);
    expect(fault).toBe(`fail_${status}`);
    expect(ms).toBeGreaterThanOrEqual(0);
    expect(body[1]).toMatchObject({ seq: 2, target: "/", status: 200, fault: null });
    expect((await get(mock, "/_mock/requests?after=1")).body.map((e: { seq: number }) => e.seq)).toEqual([2]);
  });
});
