import type { Hono } from "hono";
import type { MockContext } from "../context";
import { ORDER_PARAMS, orderOf, PAGE_PARAM, pageSize, parseQuery } from "../query";
import { jsonError } from "../respond";
import { offsetPageResponse } from "./paged";

/** `page` (from 1) and `per_page`; the response repeats the page size as `page_size`, as the playground does. */
export function pageNumberRoutes(app: Hono, ctx: MockContext): void {
  const specs = { page: PAGE_PARAM, per_page: pageSize(ctx.settings.maxPageSize), ...ORDER_PARAMS };
  app.get("/pagination/page_number", (c) => {
    const parsed = parseQuery(new URL(c.req.url).searchParams, specs);
    if (!parsed.ok) return jsonError(400, parsed.error);
    const { page, per_page: perPage, updated_since: since } = parsed.value;
    const total = ctx.dataset.count(since);
    const rest = { page, page_size: perPage, total_pages: Math.ceil(total / perPage), total_items: total };
    return offsetPageResponse(ctx, { order: orderOf(parsed.value), since, limit: perPage, offset: (page - 1) * perPage, total }, rest);
  });
}
