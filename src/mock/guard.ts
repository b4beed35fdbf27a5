// Who may use the mock: default-deny, so a route added later is covered without anyone remembering to.
// With --require-auth every path needs a credential but the login endpoint (and the /auth/* demo endpoints,
// which check their own kind) and the web page and /openapi.json, which hold no secret without one; off loopback, requests that change the mock (any method but GET/HEAD, the login
// excepted) are refused unless --allow-control is given.
import type { Context, MiddlewareHandler } from "hono";
import type { MockContext } from "./context";
import { refusal } from "./credentials";
import { AUTH_KINDS } from "./options";
import { jsonError } from "./respond";
import { WEB_PATHS } from "./routes/web";

/** The only paths open without the --require-auth credential (the page shows the credentials only to one that has it). */
const PUBLIC = (path: string) => path.startsWith("/auth/") || WEB_PATHS.has(path);
const LOGIN = "/auth/session_token/login";
const API_PAGE = (path: string) => path.startsWith("/pagination/") || path.startsWith("/api/");

async function anyCredential(ctx: MockContext, c: Context): Promise<boolean> {
  for (const kind of AUTH_KINDS) if (!(await refusal(ctx.auth[kind], c))) return true;
  return false;
}

export function accessGuard(ctx: MockContext): MiddlewareHandler {
  const { settings } = ctx;
  return async (c, next) => {
    const path = c.req.path;
    const reads = c.req.method === "GET" || c.req.method === "HEAD";
    const kind = settings.requireAuth;
    if (kind && !PUBLIC(path)) {
      // The API's pages take the configured kind; everything else (oracle, export, control) any of the mock's credentials.
      const failure = await refusal(ctx.auth[kind], c);
      if (failure && (API_PAGE(path) || !(await anyCredential(ctx, c)))) return failure;
    }
    if (!reads && path !== LOGIN && !settings.allowControl) {
      return jsonError(
        403,
        `${c.req.method} ${path} is off: the mock listens beyond loopback; restart serve-mock with --allow-control to allow control requests.`,
      );
    }
    await next();
  };
}
