import type { RequestNames } from "../../config/schema";
import { STRATEGY_NAMES, type StrategyName } from "../../config/strategies";
import * as v from "valibot";
import { KeysetPositionSchema, keysetPaginator } from "./keyset";
import { LinkHeaderPositionSchema, NextPageUrlPositionSchema, linkHeaderPaginator, nextPageUrlPaginator } from "./next-link";
import { OffsetPositionSchema, offsetPaginator } from "./offset";
import { PageNumberPositionSchema, pageNumberPaginator } from "./page-number";
import { StartPositionSchema } from "./position";
import type { PaginatedStrategy, Paginator, PaginatorContext } from "./types";

// Every pagination strategy, in one place: `sync --help`, the paginator factory, the guards' wording, the bench
// and the torture harness read this. Adding a strategy: its entry in config/strategies.ts (its name and the names
// it reads), its file (paginator and saved-position variant), and an entry here with its variant in PositionSchema
// (the compiler points at each); the paginator contract test then runs it with no change.

/** Where a run stands, saved with every page: one variant per strategy, tagged by its name (or "start"). */
export const PositionSchema = v.variant("strategy", [
  StartPositionSchema,
  OffsetPositionSchema,
  PageNumberPositionSchema,
  KeysetPositionSchema,
  NextPageUrlPositionSchema,
  LinkHeaderPositionSchema,
]);
export type Position = v.InferOutput<typeof PositionSchema>;

export interface StrategyEntry {
  /** One line for help texts. */
  description: string;
  create(ctx: PaginatorContext): Paginator;
  /** The request parameter that moves it from page to page, as a user finds it in the configuration. */
  pagingParam(names: RequestNames): string;
  /** The request name of the parameter that sizes its pages. */
  sizeParam: "limit_param" | "per_page_param";
  /** The response field every page needs when the strategy is set by hand (auto found it already), if any. */
  needs: "next_token" | "next_url" | null;
}

const nextLinks = (names: RequestNames) =>
  names.since_param ? `'${names.since_param}' (request.since_param) and the server's next links` : "the server's next links";

export const STRATEGIES = {
  offset: {
    description: "limit/offset parameters",
    create: offsetPaginator,
    pagingParam: (names) => `'${names.offset_param}' (request.offset_param)`,
    sizeParam: "limit_param",
    needs: null,
  },
  page_number: {
    description: "page/per_page parameters",
    create: pageNumberPaginator,
    pagingParam: (names) => `'${names.page_param}' (request.page_param)`,
    sizeParam: "per_page_param",
    needs: null,
  },
  keyset: {
    description: "a scroll token in each response, sent back with the next request",
    create: keysetPaginator,
    pagingParam: (names) => `'${names.token_param}' (request.token_param)`,
    sizeParam: "limit_param",
    needs: "next_token",
  },
  next_page_url: {
    description: "a next-page URL in the response body",
    create: nextPageUrlPaginator,
    pagingParam: nextLinks,
    sizeParam: "per_page_param",
    needs: "next_url",
  },
  link_header: {
    description: 'an RFC 8288 Link: <...>; rel="next" response header',
    create: linkHeaderPaginator,
    pagingParam: nextLinks,
    sizeParam: "per_page_param",
    needs: null,
  },
} as const satisfies Record<StrategyName, StrategyEntry>;

export { STRATEGY_NAMES };

/** Compile-time proof that the configuration's names and the saved positions' variants are the same set. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const namesMatchPositions: Same<StrategyName, Exclude<Position["strategy"], "start">> = true;
void namesMatchPositions;

/** "offset, page_number, keyset, next_page_url or link_header", for messages and help. */
export function strategyList(names: readonly string[] = STRATEGY_NAMES, last = "or"): string {
  return names.length < 2 ? names.join("") : `${names.slice(0, -1).join(", ")} ${last} ${names.at(-1)}`;
}

export function createPaginator(strategy: PaginatedStrategy, ctx: PaginatorContext): Paginator<Position> {
  // Each paginator returns only its own variant (own() builds it) or null, so its steps are Positions; the saved
  // state is checked against PositionSchema whenever it is read back.
  return STRATEGIES[strategy].create(ctx) as Paginator<Position>;
}
