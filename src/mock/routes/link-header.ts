import type { Hono } from "hono";
import type { MockContext } from "../context";
import { ORDER_PARAMS, orderOf, PAGE_PARAM, pageSize, parseQuery } from "../query";
import { jsonError } from "../respond";
import { formatTimestamp } from "../time";

export const LINK_HEADER_PATH = "/pagination/link_header";

/**
 * GitHub-style paging: the body is a top-level array of users; `Link` carries rel="next" (absent on the last page),
 * rel="prev", rel="first" and rel="last" as absolute URLs with every parameter; `X-Total-Count` counts the filtered users.
 */
export function linkHeaderRoutes(app: Hono, ctx: MockContext): void {
  const specs = { page: PAGE_PARAM, per_page: pageSize(ctx.settings.maxPageSize), ...ORDER_PARAMS };
  app.get(LINK_HEADER_PATH, (c) => {
    const url = new URL(c.req.url);
    const parsed = parseQuery(url.searchParams, specs);
    if (!parsed.ok) return jsonError(400, parsed.error);
    const { page, per_page: perPage, order_by, order_type, updated_since: since } = parsed.value;
    const total = ctx.dataset.count(since);
    const offset = (page - 1) * perPage;
    const lastPage = Math.max(1, Math.ceil(total / perPage));
    const link = (n: number, rel: string) => {
      const query = new URLSearchParams({ page: String(n), per_page: String(perPage), order_by, order_type });
      if (since !== undefined) query.set("updated_since", formatTimestamp(since));
      return `<${ctx.settings.publicUrl ?? url.origin}${LINK_HEADER_PATH}?${query}>; rel="${rel}"`;
    };
    const links = [page < lastPage ? link(page + 1, "next") : null, page > 1 ? link(Math.min(page - 1, lastPage), "prev") : null, link(1, "first"), link(lastPage, "last")];
    const w = ctx.dataset.writer;
    w.reset();
    w.byte(91);
    if (offset < total) ctx.dataset.writePage(w, orderOf(parsed.value), since, perPage, offset);
    w.byte(93);
    const headers = { "content-type": "application/json", link: links.filter((l) => l !== null).join(", "), "x-total-count": String(total) };
    return new Response(w.take(), { headers });
  });
}
