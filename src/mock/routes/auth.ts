import type { Context, Hono } from "hono";
import * as v from "valibot";
import type { MockContext } from "../context";
import { jsonError, jsonText } from "../respond";
import { sameText } from "../sessions";
import { offsetHandler } from "./offset";

export const LoginSchema = v.object({ username: v.optional(v.string()), password: v.optional(v.string()) });

/**
 * The playground's auth endpoints. Each answers a page of users like /pagination/offset (same parameters), once
 * the credential is right; missing or wrong credentials are 401.
 */
export function authRoutes(app: Hono, ctx: MockContext): void {
  const page = offsetHandler(ctx);
  app.get("/auth/http_basic", ctx.auth.basic, ...page);
  app.get("/auth/http_bearer", ctx.auth.bearer, ...page);
  app.get("/auth/api_key", ctx.auth.api_key, ...page);
  app.get("/auth/session_token/data", ctx.auth.session_token, ...page);
  app.post("/auth/session_token/login", (c) => login(c, ctx));
}

async function login(c: Context, ctx: MockContext): Promise<Response> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    return jsonError(400, 'The login body must be JSON: {"username": "...", "password": "..."}.');
  }
  const parsed = v.safeParse(LoginSchema, body);
  if (!parsed.success) return jsonError(400, 'The login body must be {"username": "<string>", "password": "<string>"}.');
  const { username, password } = parsed.output;
  if (username === undefined || password === undefined) return jsonError(401, "Missing credentials: give both username and password.");
  const { user, password: expected } = ctx.settings.credentials;
  if (!sameText(username, user) || !sameText(password, expected)) return jsonError(401, "Invalid credentials: wrong username or password.");
  const session = ctx.sessions.issue();
  return jsonText(JSON.stringify({ token: session.token, expires_in: session.expiresIn }));
}
