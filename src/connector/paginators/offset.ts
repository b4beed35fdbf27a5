import * as v from "valibot";
import type { Page } from "../page";
import { advanceAnchored, overlapIndex } from "./anchored";
import { anchoredFields } from "./position";
import { buildUrl, own, sinceParamOf, type BasePosition, type Paginator, type PaginatorContext, type Step } from "./types";

export const OffsetPositionSchema = v.object({ strategy: v.literal("offset"), ...anchoredFields });
type OffsetPosition = v.InferOutput<typeof OffsetPositionSchema>;

/** limit/offset paging, re-anchored on the cursor: offset counts only within `cursor >= since`. */
export function offsetPaginator(ctx: PaginatorContext): Paginator {
  const at = (position: BasePosition) => own<OffsetPosition>("offset", position, (since) => ({ strategy: "offset", since, skip: 0, lastKey: null }));
  return {
    strategy: "offset",
    url: (position: BasePosition) => {
      const here = at(position);
      return buildUrl(ctx, sinceParamOf(here), { [ctx.names.offset_param]: overlapIndex(here), [ctx.names.limit_param]: ctx.pageSize });
    },
    advance(position: BasePosition, page: Page, where: string): Step {
      const here = at(position);
      const offset = overlapIndex(here);
      // A full page holding more rows than the total allows shows the total is wrong (a cached or estimated count,
      // PostgREST's count=estimated): the list goes on until a page says otherwise, not up to the total.
      const read = offset + page.records.length;
      const wrong = page.total !== undefined && read > page.total && page.records.length >= ctx.pageSize;
      const end = page.records.length === 0 || (page.total !== undefined && read >= page.total && !wrong);
      return advanceAnchored(ctx, here, page.records, end, where);
    },
  };
}
