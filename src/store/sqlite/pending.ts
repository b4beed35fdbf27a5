// The open checkpoint's rows of one large table, held in a temporary table by key and merged into the table in key
// order when the checkpoint commits (merge.ts decides when this path is taken).
import type { Database, Statement } from "bun:sqlite";
import { columnsOf } from "./schema";
import { DELETED, quoteId, SYNCED_AT, type SqlValue } from "./sql";
import { CHANGED, keyInJsonSql, storedCursorSql, upsertSql } from "./upsert-sql";
import type { TableSpec } from "../types";

/** The temporary table's page cache, in KiB (negative: SQLite's unit): what spills goes to a temp file, not to memory. */
const TEMP_CACHE_KIB = -8192;
/**
 * The table's page cache once it merges, in KiB: a merge reads each page of the key index once, in order, so a
 * large cache gains little there (README, Performance), and the key filter and the temporary table's cache fit
 * in the memory it gives back.
 */
const MERGING_CACHE_KIB = -32768;

/**
 * A page's rows are upserted with the store's own SQL and counting into a temporary table that holds, by key, the
 * checkpoint's rows and the stored rows of the keys it has seen that the table may hold (copied in first, so the
 * upsert sees what the table holds): counts, the "not older and changed" rule and duplicate keys within the
 * checkpoint behave as they do against the table. At the checkpoint the rows that changed are merged into the
 * table in key order, so each page of its key index is read and written once a checkpoint instead of once a row.
 * Temporary tables live and die with the connection and roll back with the transaction: a kill loses them with the
 * rest of the open checkpoint.
 */
export class PendingRows {
  /** Rows written since the last merge (0: nothing to merge). */
  written = 0;
  private readonly temp: string;
  private readonly name: string;
  private readonly upserts = new Map<string, Statement>();
  private readonly statements: Statement[] = [];
  private readonly copy: Statement;
  private readonly merge: Statement;
  readonly staleCheck: Statement<{ c: SqlValue }, [string]>;

  constructor(
    private readonly db: Database,
    private readonly spec: TableSpec,
  ) {
    this.name = quoteId(`_connector_pending_${spec.table}`);
    this.temp = `temp.${this.name}`;
    const columns = columnsOf(db, spec.table);
    const all = columns.map((c) => quoteId(c.name)).join(", ");
    const keys = spec.primaryKey.map(quoteId).join(", ");
    db.run(`PRAGMA temp.cache_size = ${TEMP_CACHE_KIB}`);
    db.run(`PRAGMA main.cache_size = ${MERGING_CACHE_KIB}`);
    // A table left by an earlier checkpoint is empty (every commit empties it), but may predate a column: made anew.
    db.run(`DROP TABLE IF EXISTS ${this.temp}`);
    const defs = columns.map((c) => `${quoteId(c.name)} ${c.type}${spec.primaryKey.includes(c.name) ? " NOT NULL" : ""}`);
    db.run(`CREATE TEMP TABLE ${this.name} (${defs.join(", ")}, ${CHANGED} INTEGER NOT NULL DEFAULT 0)`);
    db.run(`CREATE UNIQUE INDEX temp.${quoteId(`_connector_pending_${spec.table}_key`)} ON ${this.name} (${keys})`);
    this.copy = this.prepare(`INSERT OR IGNORE INTO ${this.temp} (${all}) SELECT ${all} FROM main.${quoteId(spec.table)} WHERE ${keyInJsonSql(spec)}`);
    const names = columns.map((c) => c.name).filter((n) => n !== SYNCED_AT && n !== DELETED);
    const select = `SELECT ${[...names, SYNCED_AT, DELETED].map(quoteId).join(", ")} FROM ${this.temp} WHERE ${CHANGED} ORDER BY ${keys}`;
    this.merge = this.prepare(upsertSql(spec, names, { into: `main.${quoteId(spec.table)}`, name: quoteId(spec.table), select }));
    this.staleCheck = this.prepare(storedCursorSql(spec, this.temp));
  }

  /** Copies in the stored rows of these keys (JSON, as keyInJsonSql takes them) unless the checkpoint holds them already. */
  copyIn(keys: string): void {
    this.copy.run(keys);
  }

  /** The upsert of one row over `names` into the pending rows, marking what it inserts or updates. */
  upsert(names: readonly string[]): Statement {
    const cacheKey = names.join("\u0000");
    let statement = this.upserts.get(cacheKey);
    if (!statement) {
      statement = this.prepare(upsertSql(this.spec, names, { into: this.temp, name: this.name, mark: true }));
      this.upserts.set(cacheKey, statement);
    }
    return statement;
  }

  /** What changed goes into the table in key order (under the same rule, so nothing newer is ever overwritten); then emptied. */
  flush(): void {
    if (this.written === 0) return;
    this.merge.run();
    this.db.run(`DELETE FROM ${this.temp}`);
    this.written = 0;
  }

  /** Statements finalized (an unfinalized one keeps the connection open past close); the table is dropped when asked. */
  finalize(drop: boolean): void {
    for (const statement of this.statements) statement.finalize();
    if (drop) this.db.run(`DROP TABLE IF EXISTS ${this.temp}`);
  }

  private prepare<R = unknown>(sql: string): Statement<R, [string]> {
    const statement = this.db.prepare<R, [string]>(sql);
    this.statements.push(statement as unknown as Statement);
    return statement;
  }
}
