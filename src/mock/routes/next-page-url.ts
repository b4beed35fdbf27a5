import type { Hono } from "hono";
import type { MockContext } from "../context";
import { queryValidator } from "../query";
import { offsetPageResponse } from "./paged";
import { pageRequest, pageSpecs } from "./page-request";

const PATH = "/pagination/next_page_url";

/**
 * Page-based paging where the client only follows `next_page_url`: an absolute URL that carries every parameter
 * (on the --public-url origin when the mock sits behind a proxy), null on the last page.
 */
export function nextPageUrlRoutes(app: Hono, ctx: MockContext): void {
  app.get(PATH, queryValidator(pageSpecs(ctx)), (c) => {
    const request = pageRequest(ctx, c.req.valid("query"), c.req.url, PATH);
    const { page, perPage, order, since, total, offset } = request;
    const next = offset + perPage < total ? request.pageUrl(page + 1) : null;
    const rest = { total_items: total, page, per_page: perPage, next_page_url: next };
    return offsetPageResponse(ctx, { order, since, limit: perPage, offset, total }, rest);
  });
}
