import { keysetPaginator } from "./keyset";
import { linkHeaderPaginator, nextPageUrlPaginator } from "./next-link";
import { offsetPaginator } from "./offset";
import { pageNumberPaginator } from "./page-number";
import type { PaginatedStrategy, Paginator, PaginatorContext } from "./types";

export function createPaginator(strategy: PaginatedStrategy, ctx: PaginatorContext): Paginator {
  switch (strategy) {
    case "offset":
      return offsetPaginator(ctx);
    case "page_number":
      return pageNumberPaginator(ctx);
    case "keyset":
      return keysetPaginator(ctx);
    case "next_page_url":
      return nextPageUrlPaginator(ctx);
    case "link_header":
      return linkHeaderPaginator(ctx);
    default: {
      const unknown: never = strategy;
      throw new Error(`no paginator for ${String(unknown)}`);
    }
  }
}

export type { PaginatedStrategy, Paginator, PaginatorContext, Position, Step } from "./types";
