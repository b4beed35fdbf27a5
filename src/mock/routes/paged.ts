import type { MockContext } from "../context";
import type { Order } from "../data/dataset";
import { pageResponse } from "../respond";

export interface OffsetPage {
  order: Order;
  since: number | undefined;
  limit: number;
  offset: number;
  /** The filtered row count (the caller needs it for its own fields). */
  total: number;
}

/** The response of an offset-addressed page (offset, page number and next-page-URL styles); `rest` follows data. */
export function offsetPageResponse(ctx: MockContext, page: OffsetPage, rest: Record<string, unknown>): Response {
  return pageResponse(ctx.dataset.writer, (w) => {
    if (page.offset < page.total) ctx.dataset.writePage(w, page.order, page.since, page.limit, page.offset);
    return rest;
  });
}
