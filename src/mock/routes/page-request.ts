import type { MockContext } from "../context";
import { ORDER_PARAMS, orderOf, PAGE_PARAM, pageSize, type Params } from "../query";
import type { Order } from "../data/store";
import { formatTimestamp } from "../time";

/** A page-numbered request with its parameters checked: the page, its size, the filtered total and where it starts. */
export interface PageRequest {
  page: number;
  perPage: number;
  order: Order;
  since: number | undefined;
  total: number;
  offset: number;
  /** The absolute URL of page n of the same listing, every parameter carried (on --public-url when set). */
  pageUrl: (n: number) => string;
}

/** The parameters of the page-numbered styles (next_page_url, link_header), shared so they cannot drift apart. */
export function pageSpecs(ctx: MockContext) {
  return { page: PAGE_PARAM, per_page: pageSize(ctx.settings.maxPageSize), ...ORDER_PARAMS };
}

/** A page-numbered request from its validated parameters. */
export function pageRequest(ctx: MockContext, query: Params<ReturnType<typeof pageSpecs>>, requestUrl: string, path: string): PageRequest {
  const { page, per_page: perPage, order_by, order_type, updated_since: since } = query;
  const pageUrl = (n: number) => {
    const params = new URLSearchParams({ page: String(n), per_page: String(perPage), order_by, order_type });
    if (since !== undefined) params.set("updated_since", formatTimestamp(since));
    return `${ctx.settings.publicUrl ?? new URL(requestUrl).origin}${path}?${params}`;
  };
  return { page, perPage, order: orderOf(query), since, total: ctx.dataset.count(since), offset: (page - 1) * perPage, pageUrl };
}
