import { keyOf, type Page } from "../page";
import { advanceAnchored, overlapIndex } from "./anchored";
import { buildUrl, type PageCheck, type Paginator, type PaginatorContext, type Position, type Step } from "./types";

/**
 * Next-URL paging. The server's URLs are page numbers in disguise, so following them blindly loses rows while
 * the source changes; when the API filters by the cursor, each page is a re-anchored first page instead. The
 * server's next URL is followed only where re-anchoring cannot move forward (inside a tie group that fills a
 * page) or where the API has no cursor filter at all.
 *
 * Inside such a group a followed page cannot overlap the one before it, so continuity is proven afterwards: the
 * previous page is read again. Rows only leave a past cursor value (an update moves them to a newer one), so if
 * any row before the boundary left, the previous page's keys differ, and the group is read again from its anchor.
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
  const url = (position: Position) => position.verify?.url ?? position.url ?? buildUrl(ctx, position.since, { [ctx.names.per_page_param]: ctx.pageSize });
  const keysOf = (page: Page) => Bun.hash(page.records.map((r) => keyOf(r, ctx.primaryKey)).join("\n")).toString(36);
  return {
    strategy,
    url,
    advance(position: Position, page: Page, where: string): Step {
      if (position.verify) {
        const { since } = position.verify;
        if (keysOf(page) !== position.verify.keys) {
          return { rows: [], next: { since, skip: 0, lastKey: null }, restarted: "a page inside a tie group changed while the next one was read (the source changed); re-reading the group" };
        }
        return { rows: [], next: position.done ? null : { ...position, verify: null } };
      }
      const next = nextOf(page);
      const end = page.records.length === 0 || next === null || next === undefined;
      // A followed URL (or the first page of a run) starts right after the last row read: no overlap row.
      const following = Boolean(position.url);
      const overlap = !following && position.skip > 0;
      const records = overlap ? page.records.slice(overlapIndex(position)) : page.records;
      const step = advanceAnchored(ctx, { ...position, url: null, prev: null }, records, end, where, overlap);
      const verify: PageCheck | null = following && anchored ? (position.prev ?? null) : null;
      if (verify && !step.next) {
        // The last page was a followed one: prove it before the run may end.
        return { ...step, next: { since: position.since, skip: position.skip, lastKey: position.lastKey, verify, done: true } };
      }
      if (step.next && (!anchored || step.next.skip >= ctx.pageSize)) {
        const check: PageCheck | null = anchored ? { url: url(position), keys: keysOf(page), since: verify?.since ?? position.since } : null;
        step.next = { ...step.next, url: next ?? null, prev: check };
      }
      if (step.next && verify) step.next = { ...step.next, verify };
      return step;
    },
  };
}
