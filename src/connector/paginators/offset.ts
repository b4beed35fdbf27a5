import * as v from "valibot";
import type { Page } from "../page";
import { advanceAnchored, overlapIndex } from "./anchored";
import { anchoredFields } from "./position";
import { buildUrl, own, type BasePosition, type Paginator, type PaginatorContext, type Step } from "./types";

export const OffsetPositionSchema = v.object({ strategy: v.literal("offset"), ...anchoredFields });
type OffsetPosition = v.InferOutput<typeof OffsetPositionSchema>;

/** limit/offset paging, re-anchored on the cursor: offset counts only within `cursor >= since`. */
export function offsetPaginator(ctx: PaginatorContext): Paginator {
  const at = (position: BasePosition) => own<OffsetPosition>("offset", position, (since) => ({ strategy: "offset", since, skip: 0, lastKey: null }));
  return {
    strategy: "offset",
    url: (position: BasePosition) => {
      const here = at(position);
      return buildUrl(ctx, here.since, { [ctx.names.offset_param]: overlapIndex(here), [ctx.names.limit_param]: ctx.pageSize });
    },
    advance(position: BasePosition, page: Page, where: string): Step {
      const here = at(position);
      const offset = overlapIndex(here);
      const end = page.records.length === 0 || (page.total !== undefined && offset + page.records.length >= page.total);
      return advanceAnchored(ctx, here, page.records, end, where);
    },
  };
}
