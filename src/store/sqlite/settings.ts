import { sqliteFailure } from "./failures";
import { Database } from "bun:sqlite";
import { describe } from "../../errors";
import { StoreError } from "../store-error";

export const STATE_TABLE = "_connector_state";

/**
 * The connection's SQLite settings, chosen by measurement (README, Performance). WAL, never
 * `locking_mode = EXCLUSIVE` (it locks every reader out): readers see the last committed checkpoint while a sync
 * writes, and one writer is guaranteed by the write lock (write-lock.ts).
 */
export function applySettings(db: Database): void {
  db.run("PRAGMA busy_timeout = 5000");
  db.run("PRAGMA journal_mode = WAL");
  // Durable against a kill and a power cut (no corruption); OFF would skip the WAL's fsync at checkpoints.
  db.run("PRAGMA synchronous = NORMAL");
  db.run("PRAGMA cache_size = -65536");
  // Temporary b-trees (the sort behind a full refresh's index of seen keys) spill to a file past the cache:
  // in memory they would grow with the row count.
  db.run("PRAGMA temp_store = FILE");
  // Checkpoints copy the WAL into the database and fsync it. Random keys dirty the same index pages again and
  // again, so fewer, larger checkpoints write much less (the measurements: README, Performance).
  db.run("PRAGMA wal_autocheckpoint = 100000");
}

/**
 * Opens the database file: for the writer with the settings above and the state table, or for a reader (`state`,
 * `status`) as it is, without any setup: a WAL reader neither waits for a sync nor blocks one. A reader never
 * writes; it opens read-write only so that, closing last, it tidies the WAL away like any SQLite client.
 */
export function openDatabase(full: string, shown: string, reader: boolean): Database {
  let db: Database;
  try {
    db = reader ? new Database(full, { readwrite: true, create: false, strict: true }) : new Database(full, { create: true, strict: true });
  } catch (error) {
    throw new StoreError("db_open", `cannot open database '${shown}': ${describe(error)}`, error);
  }
  try {
    if (reader) db.run("PRAGMA busy_timeout = 5000");
    else {
      applySettings(db);
      db.run(`CREATE TABLE IF NOT EXISTS ${STATE_TABLE} (stream TEXT PRIMARY KEY, state TEXT NOT NULL, updated_at TEXT NOT NULL) WITHOUT ROWID`);
      // For PageUpsert.resetLastRowid: the connection's own, gone when it closes.
      db.run("CREATE TEMP TABLE IF NOT EXISTS _connector_rowid (x)");
    }
    return db;
  } catch (error) {
    db.close();
    throw foreignWriter(error, shown) ?? sqliteFailure(error, shown) ?? new StoreError("db_open", `cannot use database '${shown}': ${describe(error)}`, error);
  }
}

/**
 * SQLITE_BUSY past the busy timeout, for a connection that holds the write lock file: what holds the database is
 * then another program in a write transaction (a sqlite3 shell after BEGIN IMMEDIATE), never a sync. Null for
 * any other error.
 */
export function foreignWriter(error: unknown, shown = "the database"): StoreError | null {
  if (error instanceof StoreError || !/database is locked|SQLITE_BUSY/i.test(`${describe(error)} ${(error as { code?: string }).code ?? ""}`)) return null;
  const name = shown === "the database" ? shown : `database '${shown}'`;
  return new StoreError(
    "db_busy",
    `${name} is locked by another program's write transaction (not a sync: an open sqlite3 shell or tool?); end that transaction and run the same command again`,
    error,
  );
}
