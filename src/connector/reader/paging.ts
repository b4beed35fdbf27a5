import type { SyncConfig } from "../../config/schema";
import type { CursorValue } from "../cursor";
import type { ResponseShape } from "../page";
import { createPaginator, type PaginatedStrategy, type Paginator, type Position } from "../paginators";
import { contextOf } from "../run-context";
import type { SyncState } from "../state";

/** What auto-detection changed of the configured names, as the saved state keeps it. */
export type Detected = SyncState["detected"];

/** Where a response keeps its records, totals and links: the configuration's shape with what detection found. */
export function shapeOf(config: SyncConfig, detected: Detected): ResponseShape {
  return { ...config.response, ...(detected?.response ?? {}) };
}

/**
 * The paginator of a strategy for this configuration, asking for the token parameter detection found. The reader
 * passes the server's real page size once a page shows it, and a history window's upper bound.
 */
export function paginatorOf(
  config: SyncConfig,
  strategy: PaginatedStrategy,
  detected: Detected,
  options: { pageSize?: number; until?: CursorValue | null } = {},
): Paginator<Position> {
  const ctx = contextOf(config);
  const names = { ...ctx.names, token_param: detected?.tokenParam ?? ctx.names.token_param };
  return createPaginator(strategy, { ...ctx, pageSize: options.pageSize ?? ctx.pageSize, until: options.until, names });
}
