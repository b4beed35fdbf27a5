import type { Database } from "bun:sqlite";
import { columnsOf, tableExists } from "./schema";
import { DELETED, quoteId, SYNCED_AT, toSqlValue, type SqlValue } from "./sql";
import type { RefreshStep, Row, TableSpec } from "../types";
import { notOlder } from "./upsert-sql";

/** The page cache while the seen keys are sorted, in KiB (negative: SQLite's unit for a size in KiB). */
const SORT_CACHE_KIB = -8192;

/**
 * A full refresh remembers every key it reads in a table of its own, committed with each page, so a refresh
 * killed half-way resumes with what it had seen. Only when its last page commits are the rows it never saw
 * marked `_deleted = 1`, in that same transaction: a refresh that does not finish deletes nothing.
 */
export function recordRefresh(db: Database, spec: TableSpec, rows: readonly Row[], step: RefreshStep, now: string): number {
  const name = seenTable(spec.table);
  const seen = quoteId(name);
  const keys = spec.primaryKey.map(quoteId);
  if (step.start) db.run(`DROP TABLE IF EXISTS ${seen}`);
  // Append-only, no key: random keys into an index would cost as much as the upsert itself, while appending
  // fills a few pages per commit; a key read twice (the overlap row, a re-read) is harmless. The key columns
  // take the table's declared types, so a key is stored (and compared) exactly as the table stores it: 7 in a
  // TEXT column is '7' in both. Created on the first page with rows, or at the end of a refresh that read none.
  const createSeen = () => {
    if (tableExists(db, name)) return;
    const types = columnsOf(db, spec.table);
    db.run(`CREATE TABLE ${seen} (${spec.primaryKey.map((k) => `${quoteId(k)} ${types.find((c) => c.name === k)?.type ?? ""}`).join(", ")})`);
  };
  if (rows.length > 0) {
    createSeen();
    const insert = db.prepare<unknown, SqlValue[]>(`INSERT INTO ${seen} VALUES (${keys.map(() => "?").join(", ")})`);
    for (const row of rows) insert.run(...spec.primaryKey.map((k) => toSqlValue(row[k])));
    insert.finalize();
  }
  if (!step.finish) return 0;
  let deleted = 0;
  if (tableExists(db, spec.table)) {
    createSeen();
    const t = quoteId(spec.table);
    // Index the seen keys once (a sort through the page cache, so memory stays flat at millions of keys; NOT IN
    // would build the same index in memory), then one pass over the table. 1M keys: about 4.5 s.
    // SQLite's sorter holds up to the page cache's size in memory before it spills: a smaller cache for the sort
    // keeps a refresh's peak near a sync's.
    const cache = db.query<{ cache_size: number }, []>("PRAGMA cache_size").get()?.cache_size ?? -2000;
    db.run(`PRAGMA cache_size = ${SORT_CACHE_KIB}`);
    db.run(`CREATE INDEX IF NOT EXISTS ${quoteId(`${name}_key`)} ON ${seen} (${keys.join(", ")})`);
    db.run(`PRAGMA cache_size = ${cache}`);
    const match = keys.map((k) => `s.${k} = ${t}.${k}`).join(" AND ");
    const since = step.since ?? null;
    const inRange = since === null ? "" : ` AND ${t}.${quoteId(spec.cursorField)} IS NOT NULL AND (${notOlder(`${t}.${quoteId(spec.cursorField)}`, "?2")})`;
    deleted = db.run(
      `UPDATE ${t} SET ${DELETED} = 1, ${SYNCED_AT} = ?1 WHERE ${DELETED} = 0${inRange} AND NOT EXISTS (SELECT 1 FROM ${seen} AS s WHERE ${match})`,
      since === null ? [now] : [now, since],
    ).changes;
  }
  db.run(`DROP TABLE IF EXISTS ${seen}`);
  return deleted;
}

/** The table of keys an unfinished full refresh of `table` has read. */
export function seenTable(table: string): string {
  return `_connector_seen_${table}`;
}
