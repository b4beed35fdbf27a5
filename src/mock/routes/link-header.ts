import type { Hono } from "hono";
import type { MockContext } from "../context";
import { queryValidator } from "../query";
import { pageRequest, pageSpecs } from "./page-request";

export const LINK_HEADER_PATH = "/pagination/link_header";

/**
 * GitHub-style paging: the body is a top-level array of users; `Link` carries rel="next" (absent on the last page),
 * rel="prev", rel="first" and rel="last" as absolute URLs with every parameter; `X-Total-Count` counts the filtered users.
 */
export function linkHeaderRoutes(app: Hono, ctx: MockContext): void {
  app.get(LINK_HEADER_PATH, queryValidator(pageSpecs(ctx)), (c) => {
    const request = pageRequest(ctx, c.req.valid("query"), c.req.url, LINK_HEADER_PATH);
    const { page, perPage, order, since, total, offset } = request;
    const lastPage = Math.max(1, Math.ceil(total / perPage));
    const link = (n: number, rel: string) => `<${request.pageUrl(n)}>; rel="${rel}"`;
    const links = [
      page < lastPage ? link(page + 1, "next") : null,
      page > 1 ? link(Math.min(page - 1, lastPage), "prev") : null,
      link(1, "first"),
      link(lastPage, "last"),
    ];
    const w = ctx.dataset.writer;
    w.reset();
    w.byte(91);
    if (offset < total) ctx.dataset.writePage(w, order, since, perPage, offset);
    w.byte(93);
    const headers = { "content-type": "application/json", link: links.filter((l) => l !== null).join(", "), "x-total-count": String(total) };
    return new Response(w.take(), { headers });
  });
}
