// The pagination strategies' names: the configuration's choices. The connector's registry
// (connector/paginators/registry.ts) has one entry and one saved-position variant per name; the compiler checks
// both, so this list cannot drift from them. It lives here because the configuration is checked below the connector.
export const STRATEGY_NAMES = ["offset", "page_number", "keyset", "next_page_url", "link_header"] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];
