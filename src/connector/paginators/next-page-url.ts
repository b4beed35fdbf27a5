import type { Page } from "../page";
import { advanceAnchored, overlapIndex } from "./anchored";
import { buildUrl, type Paginator, type PaginatorContext, type Position, type Step } from "./types";

/**
 * Next-URL paging. The server's URLs are page numbers in disguise, so following them blindly loses rows while
 * the source changes; instead each page is a re-anchored first page. Only inside a tie group larger than a page
 * (where re-anchoring cannot move forward) is the server's next URL followed.
 */
export function nextPageUrlPaginator(ctx: PaginatorContext): Paginator {
  return {
    strategy: "next_page_url",
    url: (position: Position) => position.url ?? buildUrl(ctx, position.since, { [ctx.names.per_page_param]: ctx.pageSize }),
    advance(position: Position, page: Page, where: string): Step {
      const end = page.records.length === 0 || page.nextUrl === null || page.nextUrl === undefined;
      const following = Boolean(position.url);
      const records = following ? page.records : page.records.slice(overlapIndex(position));
      const step = advanceAnchored(ctx, { ...position, url: null }, records, end, where, !following);
      // Still inside a tie group larger than a page: re-anchoring cannot move forward, so follow the server.
      if (step.next && step.next.skip - 1 >= ctx.pageSize) step.next = { ...step.next, url: page.nextUrl ?? null };
      return step;
    },
  };
}
