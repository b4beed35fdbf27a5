import { SqliteStore } from "../../../src/store/sqlite/sqlite-store";
import type { OpenOptions, RefreshStep, Row, Store, StreamState, TableSpec, WriteCounts } from "../../../src/store/types";

/** An SQLite store on `path`, a writer unless told otherwise (SQLite-specific tests peek at `db`). */
export function openSqlite(path: string, options: Partial<OpenOptions> = {}): SqliteStore {
  return SqliteStore.open(path, { mode: "writer", ...options });
}

/** One page written and committed as a checkpoint of its own. */
export async function commitPage(
  store: Store,
  spec: TableSpec,
  rows: readonly Row[],
  state: StreamState,
  midTransaction?: () => void,
  refresh?: RefreshStep,
): Promise<WriteCounts> {
  const counts = await store.writePage({ spec, rows, state, midTransaction, refresh });
  await store.checkpoint();
  return counts;
}
