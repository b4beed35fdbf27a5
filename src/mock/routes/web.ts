import type { Hono } from "hono";
import type { MockContext } from "../context";
import { refusal } from "../credentials";
import { COUNT_PARAM, noQuery, queryValidator } from "../query";
import { REQUESTS_PATH, type RecentRequests } from "../recent";
import { jsonText } from "../respond";
import { openApi } from "../web/openapi";
import { renderPage } from "../web/page";

/** Paths that are never faulted, rate limited or logged as API traffic: the page and what it loads. */
export const WEB_PATHS = new Set(["/", "/openapi.json"]);

/**
 * GET / (the page), GET /openapi.json and GET /_mock/requests (the page's live log). Under --require-auth the page
 * shows the credentials only to a request that carries the required one.
 */
export function webRoutes(app: Hono, ctx: MockContext, recent: RecentRequests): void {
  app.get("/", noQuery(), async (c) => {
    const kind = ctx.settings.requireAuth;
    const show = kind === undefined || (await refusal(ctx.auth[kind], c)) === undefined;
    return new Response(renderPage(ctx.settings, show), { headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
  });
  app.get("/openapi.json", noQuery(), (c) => {
    return jsonText(JSON.stringify(openApi(ctx.settings, new URL(c.req.url).origin), null, 2));
  });
  app.get(REQUESTS_PATH, queryValidator({ after: COUNT_PARAM }), (c) => {
    return jsonText(JSON.stringify(recent.after(c.req.valid("query").after)));
  });
}
