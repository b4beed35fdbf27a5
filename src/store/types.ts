import type { RefreshStep } from "./refresh";

export type Row = Record<string, unknown>;

/** Values of one page that do not fit their column's declared type, by column. */
export interface TypeConflict {
  column: string;
  /** The column's declared type: INTEGER or REAL. */
  declared: string;
  /** What the values are instead: REAL (a fraction in an INTEGER column), TEXT or JSON. */
  found: string;
  count: number;
  /** The first such value, as text (cut short). */
  sample: string;
}

/** Counts of one committed page. */
export interface WriteCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Older than the stored row (cursor field): not written. */
  stale: number;
  /** Full refresh, last page: rows the refresh did not find, marked `_deleted = 1`. */
  deleted?: number;
  /** Columns this page added to an existing table (a new field in the source), with their SQL type. */
  addedColumns?: { column: string; type: string }[];
  /** Values this page wrote that do not fit their numeric column's type (SQLite keeps them as they are). */
  typeConflicts?: TypeConflict[];
}

/** The saved state of one stream (table). Opaque JSON to the store; the connector defines its shape. */
export type StreamState = Record<string, unknown>;

export interface TableSpec {
  table: string;
  primaryKey: readonly string[];
  cursorField: string;
  /** Declared SQL types by column; other columns take the type of their first value. */
  columnTypes?: Record<string, string>;
}

/** Storage for synced rows and the state that covers them. */
export interface Store {
  readState(stream: string): StreamState | null;
  /**
   * Upserts one page's rows and saves the state that covers them into the open checkpoint (one transaction,
   * opened by the first page written after a checkpoint). A page is written whole or not at all.
   */
  writePage(spec: TableSpec, rows: readonly Row[], state: StreamState, midTransaction?: () => void, refresh?: RefreshStep): WriteCounts;
  /**
   * Commits the open checkpoint: every page written since the last one, with the state of the last, in ONE
   * transaction, so state never gets ahead of the data. Returns false when nothing was open.
   */
  checkpoint(): boolean;
  /** Saves state alone (no rows), e.g. marking a finished run; committed at once unless a checkpoint is open. */
  saveState(stream: string, state: StreamState): void;
  close(): void;
}
