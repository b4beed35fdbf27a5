import * as v from "valibot";
import type { CursorValue } from "../cursor";
import { SyncError } from "../../errors";
import type { Page } from "../page";
import { advanceAnchored } from "./anchored";
import { awaitingProof, checkProof, keysOf } from "./tie-proof";
import { anchoredFields, proofFields } from "./position";
import { buildUrl, own, sinceParamOf, type BasePosition, type Paginator, type PaginatorContext, type Step } from "./types";

export const PageNumberPositionSchema = v.object({
  strategy: v.literal("page_number"),
  ...anchoredFields,
  ...proofFields,
  /** Without a cursor filter: the rows (or pages) the API counted on the page before (stepBack). */
  counted: v.optional(v.number()),
});

type PageNumberPosition = v.InferOutput<typeof PageNumberPositionSchema>;

/**
 * Where the next rows are: the page holding the overlap row (position skip - 1) when there is one to check, or,
 * when the overlap row would be the last row of its page, the page that starts right after it (unchecked: inside
 * a tie group the page before it is read again afterwards, tie-proof.ts).
 */
function locate(ctx: PaginatorContext, position: PageNumberPosition): { index: number; drop: number; overlap: boolean } {
  if (position.skip > 0 && position.skip % ctx.pageSize !== 0) {
    const index = Math.floor((position.skip - 1) / ctx.pageSize);
    return { index, drop: position.skip - 1 - index * ctx.pageSize, overlap: true };
  }
  return { index: position.skip / ctx.pageSize, drop: 0, overlap: false };
}

/** page/per_page paging, re-anchored on the cursor: usually page 1 of `cursor >= since`. */
export function pageNumberPaginator(ctx: PaginatorContext): Paginator {
  const pageUrl = (since: CursorValue | null, index: number) =>
    buildUrl(ctx, since, { [ctx.names.page_param]: ctx.names.first_page + index, [ctx.names.per_page_param]: ctx.pageSize });
  const at = (position: BasePosition) =>
    own<PageNumberPosition>("page_number", position, (since) => ({ strategy: "page_number", since, skip: 0, lastKey: null }));
  return {
    strategy: "page_number",
    url: (position: BasePosition) => {
      const here = at(position);
      return here.verify?.url ?? pageUrl(sinceParamOf(here), locate(ctx, here).index);
    },
    advance(given: BasePosition, page: Page, where: string): Step {
      const position = at(given);
      if (position.verify) return checkProof(ctx, { ...position, verify: position.verify }, page);
      const { index, drop, overlap } = locate(ctx, position);
      checkNumbering(ctx, page, index, where);
      const lastPage =
        page.totalPages !== undefined ? index + 1 >= page.totalPages : page.total !== undefined ? (index + 1) * ctx.pageSize >= page.total : false;
      // A full page past the rows the total allows shows it wrong: read on until a page says so. (A page count can
      // only be wrong at a page boundary, which one page cannot show; asking past it, DRF answers 404.)
      const total = page.totalPages === undefined ? page.total : undefined;
      const wrong = total !== undefined && page.records.length >= ctx.pageSize && index * ctx.pageSize + page.records.length > total;
      const end = page.records.length === 0 || (lastPage && !wrong);
      const step = advanceAnchored(ctx, position, page.records.slice(drop), end, where, overlap);
      // Without a filter (none configured, or one the API was found to ignore: page-reader.ts), pages are fixed slices.
      if (ctx.names.since_param === null || position.since === null) return stepBack(ctx, position, page, index, step);
      // The next read will start a page with nothing to check (deep in a tie group): this page, the one holding
      // its boundary, is what proves it.
      const next = step.next;
      if (next && next.skip > 0 && next.skip % ctx.pageSize === 0) {
        step.next = { ...next, prev: { url: pageUrl(sinceParamOf(next), next.skip / ctx.pageSize - 1), keys: keysOf(ctx, page), since: next.since } };
      }
      const proof = !overlap && position.skip > 0 ? position.prev : null;
      return proof ? awaitingProof(step, position, proof) : step;
    },
  };
}

/**
 * An empty page the API's own page count says is not past the end: its pages are numbered from another first page
 * (Spring's are 0-based), and asking from 1 skipped its first page (exit 0 with rows missing, where no total is
 * given to tell). The count and the empty page come from one response, so rows deleted meanwhile cannot set it off.
 */
function checkNumbering(ctx: PaginatorContext, page: Page, index: number, where: string): void {
  // json-server 1.x reports one page for an empty list ({ items: 0, pages: 1 }): an empty list has no first page to skip.
  if (page.records.length > 0 || page.totalPages === undefined || index >= page.totalPages || page.total === 0) return;
  const { page_param: name, first_page: first } = ctx.names;
  const other = first === 1 ? 0 : 1;
  throw new SyncError(
    "page_numbering",
    `${where}: page ${first + index} is empty, but the API reports ${page.totalPages} pages numbered from ${first} (request.first_page): ` +
      `its pages are numbered from ${other}, or '${name}' (request.page_param) is not the parameter it pages by. ` +
      `Set request.first_page to ${other}, or check request.page_param; nothing after the last page read was taken as read`,
  );
}

/**
 * Without a cursor filter, pages are fixed slices of a list that may shrink while it is read: d rows deleted before
 * the page being read move d unread rows onto pages already read. When the API's count falls between two pages,
 * the pages those rows moved onto are read again (at the end too); the rows of this page are kept.
 */
function stepBack(ctx: PaginatorContext, position: PageNumberPosition, page: Page, index: number, step: Step<PageNumberPosition>): Step<PageNumberPosition> {
  const counted = page.total ?? (page.totalPages === undefined ? undefined : page.totalPages * ctx.pageSize);
  if (counted === undefined) return step;
  const before = position.counted;
  if (before === undefined || counted >= before || index === 0) return step.next ? { ...step, next: { ...step.next, counted } } : step;
  const back = Math.min(index, Math.ceil((before - counted) / ctx.pageSize));
  const next: PageNumberPosition = { strategy: "page_number", since: position.since, skip: (index - back) * ctx.pageSize, lastKey: null, counted };
  const notice = `the API's count fell from ${before} to ${counted} while it was paged (rows deleted): rows may have moved onto pages already read, so ${back} page${back === 1 ? " is" : "s are"} read again`;
  return { rows: step.rows, next, notice };
}
