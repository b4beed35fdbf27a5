export { createPaginator, STRATEGIES, STRATEGY_NAMES } from "./registry";
export type { PaginatedStrategy, Paginator, PaginatorContext, Position, Step } from "./types";
