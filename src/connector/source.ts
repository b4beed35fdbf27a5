import type { SyncConfig } from "../config/schema";
import { UsageError } from "../errors";
import type { Logger } from "./log";
import { emptyState, type SyncState } from "./state";
import type { Store } from "../store/types";

/**
 * Which source a run reads, beyond its URL: the embedded mock is one dataset whatever its random port (its seed
 * and size say which), and a source that only moved (a new host name for the same API) is adopted on request.
 */
export interface SourceOptions {
  /** Names the source instead of base_url's origin and path (the embedded mock: its seed and size). */
  name?: string;
  /** The table's saved source is replaced by this one: the same API at a new address (--source-moved). */
  moved?: boolean;
}

/**
 * What decides which rows exist: where they come from (origin and path, or the mock's name), the static query
 * parameters that filter them, the cursor field and the primary key. Not secrets (redacted), not page size,
 * retry or checkpoint settings: changing those reads the same rows.
 */
export function sourceIdentity(config: SyncConfig, options: SourceOptions, redact: (text: string) => string): string {
  const url = new URL(config.base_url);
  const where = options.name ?? `${url.origin}${url.pathname}`;
  const params = new URLSearchParams(Object.entries(config.params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))).toString();
  const query = params ? (options.name ? ` with ${params}` : `?${params}`) : "";
  return redact(`${where}${query} (cursor ${config.cursor_field}, key ${config.primary_key.join("+")})`);
}

/**
 * A table's state belongs to the source that wrote it: a sync from another one would mix two datasets and, with
 * the first one's cursor, never read most of the second. Refused (exit 2) before any request, naming both sources
 * and the ways out. A state saved before sources were recorded adopts the current one, once, and says so.
 */
export function claimSource(state: SyncState, identity: string, config: SyncConfig, options: SourceOptions, logger: Logger, rowless = false): SyncState {
  const saved = state.source;
  if (saved === identity) return state;
  const used = state.cursor !== null || state.run !== null || Boolean(state.backfill);
  if (saved === undefined || saved === null) {
    if (used) logger.log("info", `table '${config.table}' has no recorded source (state saved by an older version); it is now recorded as ${identity}`);
    return { ...state, source: identity };
  }
  // Nothing of the other source was ever stored (a first try at a mistyped path): nothing to mix, nothing to keep.
  if (rowless) {
    logger.log("info", `table '${config.table}' has no rows from ${saved}, where its state was saved: it starts afresh from ${identity}`);
    return { ...emptyState(), source: identity };
  }
  if (options.moved) {
    logger.log("warn", `table '${config.table}': its source moved from ${saved} to ${identity} (--source-moved); the saved cursor is kept`);
    return { ...state, source: identity };
  }
  throw new UsageError(
    [
      `table '${config.table}' holds rows and state of another source: it was synced from ${saved}, this sync reads ${identity}.`,
      "Nothing was requested. Choose one:",
      `  --table NAME        sync this source into a new table (or use another --db)`,
      `  connector reset --table ${config.table}   drop the table and its state, then sync again`,
      `  --source-moved      the same API at a new address: keep the table and its cursor`,
    ].join("\n"),
  );
}

/**
 * claimSource with what the store says: whether the table holds no row at all (or does not exist), asked only when
 * the state was saved for another source, as counting a large table's rows is not free. `afresh`: the state was
 * dropped for that reason (a child stream drops its own progress with it).
 */
export async function claimTable(
  store: Store,
  state: SyncState,
  identity: string,
  config: SyncConfig,
  options: SourceOptions,
  logger: Logger,
): Promise<{ state: SyncState; afresh: boolean }> {
  const other = state.source !== undefined && state.source !== null && state.source !== identity;
  const counts = other ? await store.rowCounts(config.table) : undefined;
  const afresh = counts === null || (counts !== undefined && counts.live + counts.deleted === 0);
  return { state: claimSource(state, identity, config, options, logger, afresh), afresh };
}
