import type { Page } from "../page";
import { advanceAnchored } from "./anchored";
import { buildUrl, type Paginator, type PaginatorContext, type Position, type Step } from "./types";

/**
 * Where the next rows are: the page holding the overlap row (position skip - 1) when there is one to check, or,
 * when the overlap row would be the last row of its page, the page that starts right after it (unchecked).
 */
function locate(ctx: PaginatorContext, position: Position): { index: number; drop: number; overlap: boolean } {
  if (position.skip > 0 && position.skip % ctx.pageSize !== 0) {
    const index = Math.floor((position.skip - 1) / ctx.pageSize);
    return { index, drop: position.skip - 1 - index * ctx.pageSize, overlap: true };
  }
  return { index: position.skip / ctx.pageSize, drop: 0, overlap: false };
}

/** page/per_page paging, re-anchored on the cursor: usually page 1 of `cursor >= since`. */
export function pageNumberPaginator(ctx: PaginatorContext): Paginator {
  return {
    strategy: "page_number",
    url: (position: Position) =>
      buildUrl(ctx, position.since, { [ctx.names.page_param]: ctx.names.first_page + locate(ctx, position).index, [ctx.names.per_page_param]: ctx.pageSize }),
    advance(position: Position, page: Page, where: string): Step {
      const { index, drop, overlap } = locate(ctx, position);
      const lastPage = page.totalPages !== undefined ? index + 1 >= page.totalPages : page.total !== undefined ? (index + 1) * ctx.pageSize >= page.total : false;
      const end = page.records.length === 0 || lastPage;
      return advanceAnchored(ctx, position, page.records.slice(drop), end, where, overlap);
    },
  };
}
