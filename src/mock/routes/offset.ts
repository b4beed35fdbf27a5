import type { Context, Handler, Hono, MiddlewareHandler } from "hono";
import type { MockContext } from "../context";
import { COUNT_PARAM, ORDER_PARAMS, orderOf, pageSize, queryValidator, validQuery } from "../query";
import { offsetPageResponse } from "./paged";

/** `limit` and `offset` over the filtered, ordered users; `total` counts the filtered users. */
export function offsetHandler(ctx: MockContext): [MiddlewareHandler, Handler] {
  const specs = { limit: pageSize(ctx.settings.maxPageSize), offset: COUNT_PARAM, ...ORDER_PARAMS };
  return [
    queryValidator(specs) as unknown as MiddlewareHandler,
    (c: Context) => {
      const query = validQuery(c, specs);
      const { limit, offset, updated_since: since } = query;
      const total = ctx.dataset.count(since);
      return offsetPageResponse(ctx, { order: orderOf(query), since, limit, offset, total }, { offset, limit, total });
    },
  ];
}

export function offsetRoutes(app: Hono, ctx: MockContext): void {
  app.get("/pagination/offset", ...offsetHandler(ctx));
}
