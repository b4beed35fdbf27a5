import type { Hono } from "hono";
import type { MockContext } from "../context";
import { COUNT_PARAM, ORDER_PARAMS, PAGE_PARAM, pageSize, queryValidator } from "../query";
import { jsonError, pageResponse } from "../respond";
import { formatTimestamp } from "../time";

export const API_PATHS = { companies: "/api/companies", orders: "/api/orders", userOrders: "/api/users/:id/orders" } as const;

/** The related resources' parameters (the catalog and /openapi.json read them too). */
export function apiSpecs(maxPageSize: number) {
  const since = { updated_since: ORDER_PARAMS.updated_since };
  const paged = { page: PAGE_PARAM, per_page: pageSize(maxPageSize), ...since };
  return { companies: { limit: pageSize(maxPageSize), offset: COUNT_PARAM, ...since }, orders: paged, userOrders: paged };
}

/** `{"data":[rows...],...rest}` from rows that are JSON texts already. */
function page(ctx: MockContext, rows: readonly string[], rest: Record<string, unknown>): Response {
  return pageResponse(ctx.dataset.writer, (w) => {
    rows.forEach((row, i) => {
      if (i > 0) w.byte(44);
      w.text(row);
    });
    return rest;
  });
}

/**
 * Companies (offset style), orders (page-number style) and one user's orders (next-page-URL style), each in
 * (updatedAt, id) order, so an updated_since sync never skips a row at a tie; `updated_since` is inclusive.
 */
export function apiRoutes(app: Hono, ctx: MockContext): void {
  const specs = apiSpecs(ctx.settings.maxPageSize);
  app.get(API_PATHS.companies, queryValidator(specs.companies), (c) => {
    const { limit, offset, updated_since: since } = c.req.valid("query");
    const table = ctx.related.table("companies");
    const total = table.count(since);
    return page(ctx, offset < total ? table.page(since, offset, limit) : [], { total });
  });
  app.get(API_PATHS.orders, queryValidator(specs.orders), (c) => {
    const { page: n, per_page: perPage, updated_since: since } = c.req.valid("query");
    const table = ctx.related.table("orders");
    const total = table.count(since);
    const offset = (n - 1) * perPage;
    const rows = offset < total ? table.page(since, offset, perPage) : [];
    return page(ctx, rows, { page: n, per_page: perPage, total_pages: Math.ceil(total / perPage), total_items: total });
  });
  app.get(API_PATHS.userOrders, queryValidator(specs.userOrders), (c) => {
    const { page: n, per_page: perPage, updated_since: since } = c.req.valid("query");
    const userId = c.req.param("id");
    const orders = ctx.related.ordersOfUser(userId);
    if (!orders) return jsonError(404, `No user '${userId}': give the id of a user from /pagination/* or /_mock/dataset.`);
    const matching = since === undefined ? orders : orders.filter((order) => order.updatedAt >= since);
    const offset = (n - 1) * perPage;
    const query = new URLSearchParams({ page: String(n + 1), per_page: String(perPage) });
    if (since !== undefined) query.set("updated_since", formatTimestamp(since));
    const origin = ctx.settings.publicUrl ?? new URL(c.req.url).origin;
    const next = offset + perPage < matching.length ? `${origin}/api/users/${encodeURIComponent(userId)}/orders?${query}` : null;
    const rows = matching.slice(offset, offset + perPage).map((order) => order.json);
    return page(ctx, rows, { total_items: matching.length, page: n, per_page: perPage, next_page_url: next });
  });
}
