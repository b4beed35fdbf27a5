import type { Hono } from "hono";
import type { MockContext } from "../context";
import { ORDER_PARAMS, orderOf, PAGE_PARAM, pageSize, queryValidator } from "../query";
import { offsetPageResponse } from "./paged";

/** `page` (from 1) and `per_page`; the response repeats the page size as `page_size`, as the playground does. */
export function pageNumberRoutes(app: Hono, ctx: MockContext): void {
  const specs = { page: PAGE_PARAM, per_page: pageSize(ctx.settings.maxPageSize), ...ORDER_PARAMS };
  app.get("/pagination/page_number", queryValidator(specs), (c) => {
    const query = c.req.valid("query");
    const { page, per_page: perPage, updated_since: since } = query;
    const total = ctx.dataset.count(since);
    const rest = { page, page_size: perPage, total_pages: Math.ceil(total / perPage), total_items: total };
    return offsetPageResponse(ctx, { order: orderOf(query), since, limit: perPage, offset: (page - 1) * perPage, total }, rest);
  });
}
