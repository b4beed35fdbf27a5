import type { Page } from "../page";
import { buildUrl, type Paginator, type PaginatorContext, type Position, type Step } from "./types";

/** The playground's fixed keyset page size, which is also the default page_size: it needs no parameter. */
const PLAYGROUND_KEYSET_SIZE = 50;

/**
 * Scroll-token paging: the first request filters by `since`, later ones carry only the server's token (plus the
 * static params). The token is saved with each page, so a killed sync resumes on the exact page. Any page size
 * but the playground's is sent as `limit_param` on every request (the playground itself rejects the parameter).
 */
export function keysetPaginator(ctx: PaginatorContext): Paginator {
  const size = ctx.pageSize === PLAYGROUND_KEYSET_SIZE ? {} : { [ctx.names.limit_param]: ctx.pageSize };
  return {
    strategy: "keyset",
    url(position: Position): string {
      if (!position.token) return buildUrl(ctx, position.since, size);
      const url = new URL(buildUrl(ctx, null, size));
      url.searchParams.set(ctx.names.token_param, position.token);
      return url.href;
    },
    advance(position: Position, page: Page): Step {
      const token = page.nextToken;
      const done = page.records.length === 0 || token === null || token === undefined;
      return { rows: page.records, next: done ? null : { since: position.since, skip: 0, lastKey: null, token } };
    },
  };
}
