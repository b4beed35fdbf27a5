import { describe, expect, test } from "bun:test";
import { ConfigError } from "../../src/errors";
import { resolveOptions } from "../../src/mock/options";
import { get, mockApp } from "./helpers";

const CREDS = { user: "alice", password: "s3cret", token: "tok-123" };
const basic = (pair: string) => `Basic ${Buffer.from(pair).toString("base64")}`;

describe("credential answers (hono's bearerAuth/basicAuth behind the mock's messages)", () => {
  const cases: [path: string, header: string | undefined, error: string, challenge: string | null][] = [
    ["/auth/http_bearer", undefined, "Missing credentials: send 'Authorization: Bearer <token>'.", "Bearer"],
    ["/auth/http_bearer", "apiKey tok-123", "Missing credentials: send 'Authorization: Bearer <token>'.", "Bearer"],
    ["/auth/http_bearer", "Bearer a b", "Missing credentials: send 'Authorization: Bearer <token>'.", "Bearer"],
    ["/auth/http_bearer", "Bearer tok-124", "Invalid credentials: wrong bearer token.", "Bearer"],
    ["/auth/http_bearer", "Bearer tok!", "Invalid credentials: wrong bearer token.", "Bearer"],
    ["/auth/api_key", undefined, "Missing credentials: send 'Authorization: apiKey <key>'.", null],
    ["/auth/api_key", "apiKey nope", "Invalid credentials: wrong API key.", null],
    ["/auth/http_basic", undefined, "Missing credentials: send 'Authorization: Basic <base64 of user:password>'.", 'Basic realm="connector mock"'],
    ["/auth/http_basic", basic("alice:nope"), "Invalid credentials: wrong user or password.", 'Basic realm="connector mock"'],
    ["/auth/http_basic", basic("alice-without-colon"), "Invalid credentials: wrong user or password.", 'Basic realm="connector mock"'],
    ["/auth/session_token/data", "Token forged.token.value", "Invalid credentials: not a session token this server issued.", null],
    ["/auth/session_token/data", "Bearer tok-123", "Missing credentials: send 'Authorization: Token <token from POST /auth/session_token/login>'.", null],
  ];
  for (const [path, header, error, challenge] of cases) {
    test(`${path} with ${header ?? "no header"}: 401 ${error}`, async () => {
      const res = await get(mockApp({ auth: CREDS }), path, header === undefined ? undefined : { headers: { authorization: header } });
      expect(res.status).toBe(401);
      expect(res.text).toBe(JSON.stringify({ error }));
      expect(res.headers.get("content-type")).toBe("application/json");
      expect(res.headers.get("www-authenticate")).toBe(challenge);
    });
  }

  test("a configured token must be one an Authorization header can carry (RFC 6750 token characters)", () => {
    expect(() => resolveOptions({ auth: { token: "tok!" } })).toThrow(ConfigError);
    expect(() => resolveOptions({ auth: { token: "tok!" } })).toThrow("token must be letters, digits and . _ ~ + / - (= only at the end)");
    expect(resolveOptions({ auth: { token: "a.b~c+d/e-f==" } }).credentials.token).toBe("a.b~c+d/e-f==");
  });
});
