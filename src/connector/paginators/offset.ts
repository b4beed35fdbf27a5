import type { Page } from "../page";
import { advanceAnchored, overlapIndex } from "./anchored";
import { buildUrl, type Paginator, type PaginatorContext, type Position, type Step } from "./types";

/** limit/offset paging, re-anchored on the cursor: offset counts only within `cursor >= since`. */
export function offsetPaginator(ctx: PaginatorContext): Paginator {
  return {
    strategy: "offset",
    url: (position: Position) =>
      buildUrl(ctx, position.since, { [ctx.names.offset_param]: overlapIndex(position), [ctx.names.limit_param]: ctx.pageSize }),
    advance(position: Position, page: Page, where: string): Step {
      const offset = overlapIndex(position);
      const end = page.records.length === 0 || (page.total !== undefined && offset + page.records.length >= page.total);
      return advanceAnchored(ctx, position, page.records, end, where);
    },
  };
}
