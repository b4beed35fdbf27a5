import type { Database } from "bun:sqlite";
import { quoteId, SYNCED_AT, toSqlValue, type SqlValue } from "./sql";
import type { Row, TableSpec } from "./types";

/** The soft-delete flag (Fivetran's `_fivetran_deleted`): 1 once a full refresh no longer finds the row. */
export const DELETED = "_deleted";

/** Where a full refresh is, for the page being committed. */
export interface RefreshStep {
  /** The refresh's first page: forget the keys an abandoned refresh left behind. */
  start: boolean;
  /** Its last page: rows whose keys were not seen are marked deleted. */
  finish: boolean;
}

/**
 * A full refresh remembers every key it reads in a table of its own, committed with each page, so a refresh
 * killed half-way resumes with what it had seen. Only when its last page commits are the rows it never saw
 * marked `_deleted = 1`, in that same transaction: a refresh that does not finish deletes nothing.
 */
export function recordRefresh(db: Database, spec: TableSpec, rows: readonly Row[], step: RefreshStep, now: string): number {
  const seen = quoteId(seenTable(spec.table));
  const keys = spec.primaryKey.map(quoteId);
  if (step.start) db.run(`DROP TABLE IF EXISTS ${seen}`);
  // No declared types: SQLite then compares the keys with the table's own column affinity.
  db.run(`CREATE TABLE IF NOT EXISTS ${seen} (${keys.join(", ")}, PRIMARY KEY (${keys.join(", ")})) WITHOUT ROWID`);
  if (rows.length > 0) {
    const insert = db.prepare<unknown, SqlValue[]>(`INSERT OR IGNORE INTO ${seen} VALUES (${keys.map(() => "?").join(", ")})`);
    for (const row of rows) insert.run(...spec.primaryKey.map((k) => toSqlValue(row[k])));
    insert.finalize();
  }
  if (!step.finish) return 0;
  let deleted = 0;
  if (tableExists(db, spec.table)) {
    const t = quoteId(spec.table);
    const match = keys.map((k) => `s.${k} = ${t}.${k}`).join(" AND ");
    deleted = db.run(`UPDATE ${t} SET ${DELETED} = 1, ${SYNCED_AT} = ? WHERE ${DELETED} = 0 AND NOT EXISTS (SELECT 1 FROM ${seen} AS s WHERE ${match})`, [now]).changes;
  }
  db.run(`DROP TABLE ${seen}`);
  return deleted;
}

/** The table of keys an unfinished full refresh of `table` has read. */
export function seenTable(table: string): string {
  return `_connector_seen_${table}`;
}

function tableExists(db: Database, table: string): boolean {
  return db.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== null;
}
