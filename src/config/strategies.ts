// The pagination strategies: their names (the configuration's choices) and which request and response names each
// one reads. The connector's registry (connector/paginators/registry.ts) has one entry and one saved-position
// variant per name; the compiler checks both, so this table cannot drift from them. It lives here because the
// configuration is checked below the connector.

/** Names every strategy reads: the incremental filter, priority-first's upper bound, the records and totals. */
export const SHARED_NAMES = { request: ["since_param", "until_param"], response: ["records", "total", "total_header"] } as const;

/** The request and response names each strategy reads besides the shared ones. */
export const STRATEGY_NAMES_READ = {
  offset: { request: ["limit_param", "offset_param"], response: [] },
  page_number: { request: ["page_param", "per_page_param", "first_page"], response: ["total_pages"] },
  keyset: { request: ["limit_param", "token_param"], response: ["next_token"] },
  next_page_url: { request: ["per_page_param"], response: ["next_url"] },
  // json-server links pages only when the first request names its page: link paging sends page_param too.
  link_header: { request: ["per_page_param", "page_param", "first_page"], response: [] },
} as const;

export type StrategyName = keyof typeof STRATEGY_NAMES_READ;
export const STRATEGY_NAMES = Object.keys(STRATEGY_NAMES_READ) as StrategyName[];
