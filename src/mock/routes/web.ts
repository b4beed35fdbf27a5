import type { Hono } from "hono";
import type { MockContext } from "../context";
import { checkCredential } from "../credentials";
import { COUNT_PARAM, parseQuery } from "../query";
import { REQUESTS_PATH, type RecentRequests } from "../recent";
import { jsonError, jsonText } from "../respond";
import { openApi } from "../web/openapi";
import { renderPage } from "../web/page";

/** Paths that are never faulted, rate limited or logged as API traffic: the page and what it loads. */
export const WEB_PATHS = new Set(["/", "/openapi.json"]);

/**
 * GET / (the page), GET /openapi.json and GET /_mock/requests (the page's live log). Under --require-auth the page
 * shows the credentials only to a request that carries the required one.
 */
export function webRoutes(app: Hono, ctx: MockContext, recent: RecentRequests): void {
  app.get("/", (c) => {
    const parsed = parseQuery(new URL(c.req.url).searchParams, {});
    if (!parsed.ok) return jsonError(400, parsed.error);
    const kind = ctx.settings.requireAuth;
    const show = kind === undefined || checkCredential(kind, c.req.header("authorization") ?? null, ctx.settings, ctx.sessions) === undefined;
    return new Response(renderPage(ctx.settings, show), { headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
  });
  app.get("/openapi.json", (c) => {
    const parsed = parseQuery(new URL(c.req.url).searchParams, {});
    if (!parsed.ok) return jsonError(400, parsed.error);
    return jsonText(JSON.stringify(openApi(ctx.settings, new URL(c.req.url).origin), null, 2));
  });
  app.get(REQUESTS_PATH, (c) => {
    const parsed = parseQuery(new URL(c.req.url).searchParams, { after: COUNT_PARAM });
    if (!parsed.ok) return jsonError(400, parsed.error);
    return jsonText(JSON.stringify(recent.after(parsed.value.after)));
  });
}
