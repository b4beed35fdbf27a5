import * as v from "valibot";
import { SyncError } from "../../errors";
import type { Page } from "../page";
import { advanceAnchored, overlapIndex } from "./anchored";
import { awaitingProof, checkProof, keysOf } from "./tie-proof";
import { anchoredFields, proofFields } from "./position";
import { buildUrl, MAX_EMPTY_PAGES, own, sinceParamOf, type BasePosition, type PageCheck, type Paginator, type PaginatorContext, type Step } from "./types";

const linkFields = {
  ...anchoredFields,
  url: v.optional(v.nullable(v.string())),
  ...proofFields,
  /** Empty pages in a row so far, each with a new next link (followed without a cursor filter only). */
  empty: v.optional(v.number()),
};
export const NextPageUrlPositionSchema = v.object({ strategy: v.literal("next_page_url"), ...linkFields });
export const LinkHeaderPositionSchema = v.object({ strategy: v.literal("link_header"), ...linkFields });
type LinkPosition = v.InferOutput<typeof NextPageUrlPositionSchema> | v.InferOutput<typeof LinkHeaderPositionSchema>;

/** An anchored position; `url` holds the server's next link only inside a tie group larger than a page. */

/**
 * Next-URL paging. The server's URLs are page numbers in disguise, so following them blindly loses rows while
 * the source changes; when the API filters by the cursor, each page is a re-anchored first page instead. The
 * server's next URL is followed only where re-anchoring cannot move forward (inside a tie group that fills a
 * page) or where the API has no cursor filter at all.
 *
 * Inside such a group a followed page cannot overlap the one before it: it is proven afterwards (tie-proof.ts).
 */
export function nextPageUrlPaginator(ctx: PaginatorContext): Paginator {
  return nextLinkPaginator(ctx, "next_page_url", (page) => page.nextUrl);
}

/** RFC 8288 `Link: <...>; rel="next"` paging: the same as next_page_url, with the link in a header. */
export function linkHeaderPaginator(ctx: PaginatorContext): Paginator {
  return nextLinkPaginator(ctx, "link_header", (page) => page.linkNext);
}

function nextLinkPaginator(ctx: PaginatorContext, strategy: "next_page_url" | "link_header", nextOf: (page: Page) => string | null | undefined): Paginator {
  // json-server sends Link headers only when the page parameter is in the request: link paging names its first page.
  const first = strategy === "link_header" ? { [ctx.names.page_param]: ctx.names.first_page } : {};
  const at = (position: BasePosition): LinkPosition => own<LinkPosition>(strategy, position, (since) => ({ strategy, since, skip: 0, lastKey: null }));
  const url = (given: BasePosition) => {
    const position = at(given);
    if (position.verify?.url) return position.verify.url;
    return position.url
      ? withOurQuery(ctx, position.url, sinceParamOf(position))
      : buildUrl(ctx, sinceParamOf(position), { [ctx.names.per_page_param]: ctx.pageSize, ...first });
  };
  return {
    strategy,
    url,
    advance(given: BasePosition, page: Page, where: string): Step {
      const position = at(given);
      if (position.verify) return checkProof(ctx, { ...position, verify: position.verify }, page);
      // Without a filter (none configured, or one the API was found to ignore: page-reader.ts), links are followed as they are.
      const anchored = ctx.names.since_param !== null && position.since !== null;
      const next = nextOf(page);
      if (!anchored && page.records.length === 0 && next) {
        const skipped = followEmpty(position, next);
        if (skipped) return skipped;
      }
      const end = page.records.length === 0 || next === null || next === undefined;
      // A followed URL (or the first page of a run) starts right after the last row read: no overlap row.
      const following = Boolean(position.url);
      if (next === undefined && page.total !== undefined && (following ? position.skip : 0) + page.records.length < page.total) {
        throw new SyncError(
          "no_next_link",
          `${where}: the response has no ${strategy === "link_header" ? "Link header" : `'next' field`}, but the API reports ${page.total} rows and the pages so far hold ${(following ? position.skip : 0) + page.records.length}: some servers link pages only for paged requests (json-server: only with _page); check request.page_param (now '${ctx.names.page_param}')${strategy === "link_header" ? "" : " and response.next_url"}`,
        );
      }
      const overlap = !following && position.skip > 0;
      const records = overlap ? page.records.slice(overlapIndex(position)) : page.records;
      const step = advanceAnchored<LinkPosition>(ctx, { ...position, url: null, prev: null }, records, end, where, overlap);
      const verify: PageCheck | null = following && anchored ? (position.prev ?? null) : null;
      if (step.next && (!anchored || step.next.skip >= ctx.pageSize)) {
        const check: PageCheck | null = anchored ? { url: url(position), keys: keysOf(ctx, page), since: verify?.since ?? position.since } : null;
        step.next = { ...step.next, url: next ?? null, prev: check };
      }
      // A followed page (the last one too) is proven before the run goes on or ends.
      return verify ? awaitingProof(step, position, verify) : step;
    },
  };
}

/**
 * Without a cursor filter, an empty page whose next link is one it was not given is followed: some APIs answer
 * pages with no rows mid-list (Microsoft Graph's delta and search pages, lists filtered by permission after
 * paging), and stopping there lost the rest (exit 0). The link handed back, or 20 empty pages in a row, end it.
 */
function followEmpty(position: LinkPosition, next: string): Step<LinkPosition> | null {
  if (next === position.url) return null;
  const empty = (position.empty ?? 0) + 1;
  if (empty > MAX_EMPTY_PAGES)
    return { rows: [], next: null, notice: `${MAX_EMPTY_PAGES} empty pages in a row, each with a new link: taken as the end of the list` };
  const { strategy, since, skip, lastKey } = position;
  return { rows: [], next: { strategy, since, skip, lastKey, url: next, empty } };
}

/**
 * A server's next link with the query it answers: Laravel's next_page_url (without withQueryString) and others keep
 * only the page number, dropping the sort and filters, so the next page would come from another list (rows skipped,
 * others read twice, exit 0). The configured params and the since filter it leaves out are added back; what it
 * sets is the link's own.
 */
function withOurQuery(ctx: PaginatorContext, link: string, since: BasePosition["since"]): string {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return link;
  }
  // The sort and filters: the page size is the server's to say (a short page shows it), and not always sent.
  const ours = new URL(buildUrl(ctx, since, {}));
  const paging = new Set([ctx.names.page_param, ctx.names.offset_param, ctx.names.token_param]);
  let added = false;
  for (const [name, value] of ours.searchParams)
    if (!paging.has(name) && !url.searchParams.has(name)) {
      url.searchParams.append(name, value);
      added = true;
    }
  return added ? url.href : link;
}
