import type { Hono } from "hono";
import type { MockContext } from "../context";
import { decodeToken, encodeToken, type KeysetState } from "../keyset-token";
import { ORDER_PARAMS, orderOf, queryValidator, validQuery, type ParamSpec } from "../query";
import { jsonError, pageResponse } from "../respond";

/** The playground's fixed keyset page size. */
export const KEYSET_PAGE_SIZE = 50;

/**
 * The first request may carry `updated_since` (and the order); later ones carry only `scroll_param`, which encodes
 * where to continue. Order parameters repeated next to a token are accepted when they agree with it. Beyond the
 * playground, a server started with a maximum page size above 50 also takes `limit` (default 50) on every request.
 */
export function keysetRoutes(app: Hono, ctx: MockContext): void {
  const specs = { scroll_param: { kind: "text" }, ...ORDER_PARAMS } as const;
  const max = ctx.settings.maxPageSize;
  const limitSpec: ParamSpec = { kind: "int", min: 1, max, default: KEYSET_PAGE_SIZE };
  const accepted = max > KEYSET_PAGE_SIZE ? { ...specs, limit: limitSpec } : specs;
  app.get("/pagination/keyset", queryValidator(accepted), (c) => {
    const query = validQuery(c, specs);
    const { limit = KEYSET_PAGE_SIZE } = query as { limit?: number };
    const { scroll_param: token, updated_since: since } = query;
    let state: Omit<KeysetState, "after"> & Partial<KeysetState> = { order: orderOf(query), since };
    if (token !== undefined) {
      if (since !== undefined) {
        return jsonError(400, "Give either 'updated_since' (first request) or 'scroll_param' (every later request), not both.");
      }
      const decoded = decodeToken(token);
      if (!decoded) {
        return jsonError(400, "Invalid value for 'scroll_param': not a token this server issued. Pass the previous response's scroll_param unchanged.");
      }
      for (const [name, given, inToken] of [
        ["order_by", query.order_by, decoded.order.by],
        ["order_type", query.order_type, decoded.order.type],
      ] as const) {
        if (c.req.query(name) !== undefined && given !== inToken) {
          return jsonError(400, `'${name}' is '${given}' but the scroll_param continues a walk with ${name} '${inToken}'; omit ${name} or pass '${inToken}'.`);
        }
      }
      state = decoded;
    }
    const { order, since: filter, after } = state;
    return pageResponse(ctx.dataset.writer, (w) => {
      const page = ctx.dataset.writeKeyset(w, order, filter, after, limit);
      return { scroll_param: page.more && page.last ? encodeToken({ order, since: filter, after: page.last }) : null };
    });
  });
}
