import type { Page } from "../page";
import { advanceAnchored, overlapIndex } from "./anchored";
import { buildUrl, type Paginator, type PaginatorContext, type Position, type Step } from "./types";

/** page/per_page paging, re-anchored on the cursor: usually page 1 of `cursor >= since`. */
export function pageNumberPaginator(ctx: PaginatorContext): Paginator {
  const pageIndex = (position: Position) => Math.floor(overlapIndex(position) / ctx.pageSize);
  return {
    strategy: "page_number",
    url: (position: Position) =>
      buildUrl(ctx, position.since, { [ctx.names.page_param]: ctx.names.first_page + pageIndex(position), [ctx.names.per_page_param]: ctx.pageSize }),
    advance(position: Position, page: Page, where: string): Step {
      const index = pageIndex(position);
      const drop = overlapIndex(position) - index * ctx.pageSize;
      const lastPage = page.totalPages !== undefined ? index + 1 >= page.totalPages : page.total !== undefined ? (index + 1) * ctx.pageSize >= page.total : false;
      const end = page.records.length === 0 || lastPage;
      return advanceAnchored(ctx, position, page.records.slice(drop), end, where);
    },
  };
}
