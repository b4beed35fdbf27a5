import type { Context, Hono } from "hono";
import type { MockContext } from "../context";
import { COUNT_PARAM, ORDER_PARAMS, orderOf, pageSize, parseQuery } from "../query";
import { jsonError } from "../respond";
import { offsetPageResponse } from "./paged";

/** `limit` and `offset` over the filtered, ordered users; `total` counts the filtered users. */
export function offsetHandler(ctx: MockContext): (c: Context) => Response {
  const specs = { limit: pageSize(ctx.settings.maxPageSize), offset: COUNT_PARAM, ...ORDER_PARAMS };
  return (c) => {
    const parsed = parseQuery(new URL(c.req.url).searchParams, specs);
    if (!parsed.ok) return jsonError(400, parsed.error);
    const { limit, offset, updated_since: since } = parsed.value;
    const total = ctx.dataset.count(since);
    return offsetPageResponse(ctx, { order: orderOf(parsed.value), since, limit, offset, total }, { offset, limit, total });
  };
}

export function offsetRoutes(app: Hono, ctx: MockContext): void {
  app.get("/pagination/offset", offsetHandler(ctx));
}
