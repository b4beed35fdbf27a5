import type { Hono } from "hono";
import type { MockContext } from "../context";
import { ORDER_PARAMS, orderOf, PAGE_PARAM, pageSize, parseQuery } from "../query";
import { jsonError } from "../respond";
import { formatTimestamp } from "../time";
import { offsetPageResponse } from "./paged";

const PATH = "/pagination/next_page_url";

/**
 * Page-based paging where the client only follows `next_page_url`: an absolute URL that carries every parameter
 * (on the --public-url origin when the mock sits behind a proxy), null on the last page.
 */
export function nextPageUrlRoutes(app: Hono, ctx: MockContext): void {
  const specs = { page: PAGE_PARAM, per_page: pageSize(ctx.settings.maxPageSize), ...ORDER_PARAMS };
  app.get(PATH, (c) => {
    const url = new URL(c.req.url);
    const parsed = parseQuery(url.searchParams, specs);
    if (!parsed.ok) return jsonError(400, parsed.error);
    const { page, per_page: perPage, order_by, order_type, updated_since: since } = parsed.value;
    const total = ctx.dataset.count(since);
    const offset = (page - 1) * perPage;
    let next: string | null = null;
    if (offset + perPage < total) {
      const query = new URLSearchParams({ page: String(page + 1), per_page: String(perPage), order_by, order_type });
      if (since !== undefined) query.set("updated_since", formatTimestamp(since));
      next = `${ctx.settings.publicUrl ?? url.origin}${PATH}?${query}`;
    }
    const rest = { total_items: total, page, per_page: perPage, next_page_url: next };
    return offsetPageResponse(ctx, { order: orderOf(parsed.value), since, limit: perPage, offset, total }, rest);
  });
}
