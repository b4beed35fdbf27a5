import type { Page } from "../page";
import { advanceAnchored, overlapIndex } from "./anchored";
import { buildUrl, own, type Paginator, type PaginatorContext, type Position, type Step } from "./types";

/** limit/offset paging, re-anchored on the cursor: offset counts only within `cursor >= since`. */
export function offsetPaginator(ctx: PaginatorContext): Paginator {
  const at = (position: Position) => own("offset", position, (since) => ({ strategy: "offset", since, skip: 0, lastKey: null }));
  return {
    strategy: "offset",
    url: (position: Position) => {
      const here = at(position);
      return buildUrl(ctx, here.since, { [ctx.names.offset_param]: overlapIndex(here), [ctx.names.limit_param]: ctx.pageSize });
    },
    advance(position: Position, page: Page, where: string): Step {
      const here = at(position);
      const offset = overlapIndex(here);
      const end = page.records.length === 0 || (page.total !== undefined && offset + page.records.length >= page.total);
      return advanceAnchored(ctx, here, page.records, end, where);
    },
  };
}
