import type { Database } from "bun:sqlite";

/**
 * The connection's SQLite settings, chosen by measurement (README, Performance). `exclusive` holds the database
 * for this process alone until close (one writer).
 */
export function applySettings(db: Database, exclusive: boolean): void {
  db.run("PRAGMA busy_timeout = 0");
  if (exclusive) db.run("PRAGMA locking_mode = EXCLUSIVE");
  db.run("PRAGMA journal_mode = WAL");
  // Durable against a kill and a power cut (no corruption); OFF would skip the WAL's fsync at checkpoints.
  db.run("PRAGMA synchronous = NORMAL");
  db.run("PRAGMA cache_size = -65536");
  // Temporary b-trees (the sort behind a full refresh's index of seen keys) spill to a file past the cache:
  // in memory they would grow with the row count.
  db.run("PRAGMA temp_store = FILE");
  // Checkpoints copy the WAL into the database and fsync it. Random keys dirty the same index pages again and
  // again, so fewer, larger checkpoints write much less. Store alone, 1,000,000 rows in 1000-row pages, median
  // rows/s: 100000 pages (a WAL of up to 400 MB, removed on close) 49k, 50000 42k, 20000 37k.
  db.run("PRAGMA wal_autocheckpoint = 100000");
}
