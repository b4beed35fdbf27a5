// The destination-neutral Store contract: every store (SQLite, PostgreSQL, the in-memory one) implements `Store`;
// openStore (open.ts) picks one from the --db value. One contract test (test/store/contract.ts) runs against each.
/** Column types as the configuration declares them (Fivetran's names); each store maps them to its own SQL. */
export const COLUMN_TYPES = ["STRING", "INT", "LONG", "DOUBLE", "BOOLEAN", "UTC_DATETIME", "NAIVE_DATETIME", "JSON"] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

export type Row = Record<string, unknown>;

/** The saved state of one stream (table). Opaque JSON to the store; the connector defines its shape. */
export type StreamState = Record<string, unknown>;

export interface TableSpec {
  table: string;
  primaryKey: readonly string[];
  cursorField: string;
  /** Declared types by column (neutral names); other columns take the type of their first value. */
  columns?: Readonly<Record<string, ColumnType>>;
}

/** Where a full refresh is, for the page being written (moved here from store/refresh.ts: breaks the cycle). */
export interface RefreshStep {
  /** The refresh's first page: forget the keys an abandoned refresh left behind. */
  start: boolean;
  /** Its last page: rows whose keys were not seen are marked deleted. */
  finish: boolean;
  /** The cursor it started from, or null when it read from the first row: only rows at or after it are marked. */
  since?: string | number | null;
}

/** Values of one page that do not fit their column's declared type, by column. */
export interface TypeConflict {
  column: string;
  declared: string;
  found: string;
  count: number;
  sample: string;
}

/** Counts of one written page. */
export interface WriteCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Older than the stored row (cursor field, compared as instants): not written. */
  stale: number;
  /** Full refresh, last page: rows the refresh did not find, marked `_deleted`. */
  deleted?: number;
  /** Columns this page added to an existing table, with the store's type name for each. */
  addedColumns?: { column: string; type: string }[];
  typeConflicts?: TypeConflict[];
}

export interface PageWrite {
  spec: TableSpec;
  rows: readonly Row[];
  /** The state that covers these rows: saved in the same transaction as them. */
  state: StreamState;
  refresh?: RefreshStep;
  /** Test hook: called inside the open transaction after the rows, before the state (kill tests). */
  midTransaction?: () => void;
}

export type RunOutcome = "running" | "ok" | "failed" | "interrupted";

export interface RunRecord {
  id: number;
  stream: string;
  source: string | null;
  pid: number;
  startedAt: string;
  endedAt: string | null;
  outcome: RunOutcome;
  rows: number | null;
  pages: number | null;
  errorCode: string | null;
  errorMessage: string | null;
}

export interface RunEnd {
  endedAt: string;
  outcome: Exclude<RunOutcome, "running">;
  rows: number;
  pages: number;
  error?: { code: string; message: string };
}

/** What `Store.syncedSince` finds. */
export interface SyncedRows {
  rows: Row[];
  newest: string | null;
}

/** Storage for synced rows and the state that covers them. Every method is async; none is SQL-shaped. */
export interface Store {
  /** What was opened, for messages: a path, or a URL with its password masked. */
  readonly location: string;

  readState(stream: string): Promise<StreamState | null>;
  /** Every stream's state, by stream name (empty for a database no sync has written). */
  allStates(): Promise<Record<string, StreamState>>;
  /** State alone (no rows); committed at once unless a checkpoint is open, then with it. */
  saveState(stream: string, state: StreamState): Promise<void>;

  /**
   * Upserts one page's rows and saves its state into the open checkpoint (opening one if none is). Nothing is
   * durable or visible to readers until `checkpoint()`. A page that fails discards the whole open checkpoint.
   */
  writePage(page: PageWrite): Promise<WriteCounts>;
  /** Commits every page written since the last checkpoint, rows and state in ONE transaction. False if none open. */
  checkpoint(): Promise<boolean>;
  /** True while pages are written but not committed. */
  readonly pending: boolean;
  /**
   * How many rows a checkpoint into `table` should hold to write efficiently, when that is more than configured
   * (SQLite: a large table's rows are merged in key order, which pays in large batches). Absent or 0: no opinion.
   */
  checkpointRows?(table: string): number;

  tableExists(table: string): Promise<boolean>;
  /** Live and soft-deleted row counts of a synced table; null when it does not exist. */
  rowCounts(table: string): Promise<{ live: number; deleted: number } | null>;
  /**
   * The distinct values of `columns` among a table's live rows written after `after` (an ISO `_synced_at`, exclusive:
   * several pages can share one instant, and the newest one's rows were read already; null: every live row),
   * ordered by them, with the newest `_synced_at` among those rows: a child stream reads the children of its parent's
   * new and changed rows. `until` (inclusive) bounds the window from above: a pass resumed later reads the same
   * window. Empty (newest null) when the table does not exist.
   */
  syncedSince(table: string, columns: readonly string[], after: string | null, until?: string | null): Promise<SyncedRows>;
  /** Drops synced tables and their state and runs (all, or one table); returns the tables dropped. */
  reset(only?: string): Promise<string[]>;

  /** Records a run that starts now (committed at once); returns its id. */
  startRun(stream: string, source: string | null, startedAt: string): Promise<number>;
  finishRun(id: number, end: RunEnd): Promise<void>;
  /** A table's runs, newest first. */
  recentRuns(stream: string, limit?: number): Promise<RunRecord[]>;
  streamsWithRuns(): Promise<string[]>;
  /**
   * Whether a sync holds the table's write lock now, from any machine (PostgreSQL: its advisory lock). Absent: a
   * run is judged by its pid, which only means something on the machine that records it (SQLite's case).
   */
  isWriting?(table: string): Promise<boolean>;

  /** Rolls back anything uncommitted, releases the write lock, closes connections. Safe to call twice. */
  close(): Promise<void>;
}

export interface OpenOptions {
  /**
   * writer: one writer per table: takes the write lock (SQLite: the `<db>-lock` file for the database; PostgreSQL:
   *   an advisory lock per table) and fails at once (code db_locked, exit 1, "in use by another sync") when another writer holds it;
   *   refuses a table it did not create (no `_synced_at` column) before changing anything.
   * reader: state/status: no setup, never waits for a sync, never blocks one, never creates anything.
   * admin: reset: like writer, but the database must exist already.
   */
  mode: "writer" | "reader" | "admin";
  /** The tables this writer will write (locks and the foreign-table check). */
  tables?: readonly string[];
  /** Open only an existing database (state/status/reset never create one). */
  mustExist?: boolean;
  /** PostgreSQL: the schema of the synced tables and the connector's own (default: the URL's ?schema=, else public). */
  schema?: string;
  now?: () => Date;
}

/** When the connector last wrote a row (ISO text): a column of every synced table; a table without it is not ours. */
export const SYNCED_AT = "_synced_at";
/** The soft-delete flag (Fivetran's `_fivetran_deleted`): 1 once a full refresh no longer finds the row. */
export const DELETED = "_deleted";
