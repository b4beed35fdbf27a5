export { createPaginator, STRATEGIES, STRATEGY_NAMES } from "./registry";
export type { Position } from "./registry";
export type { BasePosition, PaginatedStrategy, Paginator, PaginatorContext, Step } from "./types";
