import type { Page } from "../page";
import { advanceAnchored, overlapIndex } from "./anchored";
import { buildUrl, type Paginator, type PaginatorContext, type Position, type Step } from "./types";

/**
 * Next-URL paging. The server's URLs are page numbers in disguise, so following them blindly loses rows while
 * the source changes; when the API filters by the cursor, each page is a re-anchored first page instead. The
 * server's next URL is followed only where re-anchoring cannot move forward (inside a tie group that fills a
 * page) or where the API has no cursor filter at all.
 */
export function nextPageUrlPaginator(ctx: PaginatorContext): Paginator {
  return nextLinkPaginator(ctx, "next_page_url", (page) => page.nextUrl);
}

/** RFC 8288 `Link: <...>; rel="next"` paging: the same as next_page_url, with the link in a header. */
export function linkHeaderPaginator(ctx: PaginatorContext): Paginator {
  return nextLinkPaginator(ctx, "link_header", (page) => page.linkNext);
}

function nextLinkPaginator(ctx: PaginatorContext, strategy: "next_page_url" | "link_header", nextOf: (page: Page) => string | null | undefined): Paginator {
  const anchored = ctx.names.since_param !== null;
  return {
    strategy,
    url: (position: Position) => position.url ?? buildUrl(ctx, position.since, { [ctx.names.per_page_param]: ctx.pageSize }),
    advance(position: Position, page: Page, where: string): Step {
      const next = nextOf(page);
      const end = page.records.length === 0 || next === null || next === undefined;
      // A followed URL (or the first page of a run) starts right after the last row read: no overlap row.
      const overlap = !position.url && position.skip > 0;
      const records = overlap ? page.records.slice(overlapIndex(position)) : page.records;
      const step = advanceAnchored(ctx, { ...position, url: null }, records, end, where, overlap);
      if (step.next && (!anchored || step.next.skip >= ctx.pageSize)) step.next = { ...step.next, url: next ?? null };
      return step;
    },
  };
}
