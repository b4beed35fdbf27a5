import { describe, expect, test } from "bun:test";
import { get, mockApp } from "./helpers";

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
const auth = (value: string) => ({ headers: { authorization: value } });
const CREDS = { user: "alice", password: "s3cret", token: "tok-123" };

async function login(mock: ReturnType<typeof mockApp>, body: unknown): Promise<{ status: number; body: any }> {
  return get(mock, "/auth/session_token/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}

describe("auth endpoints", () => {
  test("/auth/http_basic: missing 401 (with WWW-Authenticate), wrong 401, right 200 with a page of users", async () => {
    const mock = mockApp({ auth: CREDS });
    const missing = await get(mock, "/auth/http_basic");
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toStartWith("Basic");
    expect((await get(mock, "/auth/http_basic", auth(basic("alice", "nope")))).status).toBe(401);
    expect((await get(mock, "/auth/http_basic", auth(basic("bob", "s3cret")))).status).toBe(401);
    const ok = await get(mock, "/auth/http_basic", auth(basic("alice", "s3cret")));
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ offset: 0, limit: 10, total: 200 });
    expect(ok.body.data).toHaveLength(10);
  });

  test("/auth/http_bearer: missing 401, wrong 401, right 200", async () => {
    const mock = mockApp({ auth: CREDS });
    expect((await get(mock, "/auth/http_bearer")).status).toBe(401);
    expect((await get(mock, "/auth/http_bearer", auth("Bearer tok-124"))).status).toBe(401);
    expect((await get(mock, "/auth/http_bearer", auth("apiKey tok-123"))).status).toBe(401);
    expect((await get(mock, "/auth/http_bearer", auth("Bearer tok-123"))).status).toBe(200);
  });

  test("/auth/api_key takes 'Authorization: apiKey <key>': missing 401, wrong 401, right 200", async () => {
    const mock = mockApp({ auth: CREDS });
    expect((await get(mock, "/auth/api_key")).status).toBe(401);
    expect((await get(mock, "/auth/api_key", auth("apiKey wrong"))).status).toBe(401);
    expect((await get(mock, "/auth/api_key", auth("apiKey tok-123"))).status).toBe(200);
  });

  test("session token: login with JSON {username, password} gives {token} for 'Authorization: Token <t>'", async () => {
    const mock = mockApp({ auth: CREDS });
    expect((await login(mock, { username: "alice", password: "bad" })).status).toBe(401);
    expect((await login(mock, { username: "alice" })).status).toBe(401);
    expect((await get(mock, "/auth/session_token/login", { method: "POST", body: "not json" })).status).toBe(400);
    const { status, body } = await login(mock, { username: "alice", password: "s3cret" });
    expect(status).toBe(200);
    expect(body.token).toBeString();
    expect((await get(mock, "/auth/session_token/data")).status).toBe(401);
    expect((await get(mock, "/auth/session_token/data", auth("Token forged.token.value"))).status).toBe(401);
    expect((await get(mock, "/auth/session_token/data", auth(`Token ${body.token}`))).status).toBe(200);
    // A token from another server (another secret) is refused.
    const other = mockApp({ auth: { ...CREDS, token: "other-secret" } });
    expect((await get(other, "/auth/session_token/data", auth(`Token ${body.token}`))).status).toBe(401);
  });

  test("session tokens expire after the TTL (injected clock)", async () => {
    let now = Date.parse("2024-06-01T12:00:00Z");
    const mock = mockApp({ auth: CREDS, sessionTtlSeconds: 60, clock: () => now });
    const { token } = (await login(mock, { username: "alice", password: "s3cret" })).body;
    now += 59_000;
    expect((await get(mock, "/auth/session_token/data", auth(`Token ${token}`))).status).toBe(200);
    now += 1_000;
    const expired = await get(mock, "/auth/session_token/data", auth(`Token ${token}`));
    expect(expired.status).toBe(401);
    expect(expired.body.error).toContain("expired");
  });

  test("credentials are random per start unless given", () => {
    const a = mockApp().credentials;
    const b = mockApp().credentials;
    expect(a.user).not.toBe(b.user);
    expect(a.password).not.toBe(b.password);
    expect(a.token).not.toBe(b.token);
    expect(mockApp({ auth: CREDS }).credentials).toEqual(CREDS);
  });
});

describe("--require-auth", () => {
  const cases = [
    ["bearer", "Bearer tok-123"],
    ["basic", basic("alice", "s3cret")],
    ["api_key", "apiKey tok-123"],
  ] as const;
  for (const [kind, header] of cases) {
    test(`${kind}: the five pagination endpoints demand it; export, oracle and control endpoints any of the mock's credentials`, async () => {
      const mock = mockApp({ auth: CREDS, requireAuth: kind });
      for (const path of ["/pagination/offset", "/pagination/page_number", "/pagination/keyset", "/pagination/next_page_url", "/pagination/link_header"]) {
        expect((await get(mock, path)).status).toBe(401);
        expect((await get(mock, path, auth(header.replace(/.$/, "X")))).status).toBe(401);
        expect((await get(mock, path, auth(header))).status).toBe(200);
      }
      for (const path of ["/export/csv", "/_mock/dataset", "/_mock/stats", "/_mock/mutations", "/_mock/requests", "/no-such-route"]) {
        expect((await get(mock, path)).status).toBe(401);
        expect((await get(mock, path, auth(header.replace(/.$/, "X")))).status).toBe(401);
        expect((await get(mock, path, auth(header))).status).not.toBe(401);
        expect((await get(mock, path, auth(`Bearer ${CREDS.token}`))).status).not.toBe(401);
      }
      expect((await get(mock, "/_mock/mutations", { method: "POST", body: '{"per_sec": 5}' })).status).toBe(401);
      expect((await get(mock, "/_mock/mutations", { method: "POST", body: '{"per_sec": 5}', ...auth(header) })).status).toBe(200);
    });
  }

  test("session_token: log in, then page with the token", async () => {
    const mock = mockApp({ auth: CREDS, requireAuth: "session_token" });
    expect((await get(mock, "/pagination/offset")).status).toBe(401);
    const { token } = (await login(mock, { username: "alice", password: "s3cret" })).body;
    expect((await get(mock, "/pagination/offset", auth(`Token ${token}`))).status).toBe(200);
  });
});
