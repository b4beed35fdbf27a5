import type { Page } from "../page";
import { buildUrl, type Paginator, type PaginatorContext, type Position, type Step } from "./types";

/**
 * Scroll-token paging: the first request filters by `since`, later ones carry only the server's token (plus the
 * static params). The token is saved with each page, so a killed sync resumes on the exact page.
 */
export function keysetPaginator(ctx: PaginatorContext): Paginator {
  return {
    strategy: "keyset",
    url(position: Position): string {
      if (!position.token) return buildUrl(ctx, position.since, {});
      const url = new URL(buildUrl(ctx, null, {}));
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
