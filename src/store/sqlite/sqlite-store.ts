import type { Database } from "bun:sqlite";
import { checkDbPath } from "./db-path";
import { sqliteFailure, withClearFailures } from "./failures";
import { refuseForeign } from "./foreign";
import { recordRefresh, seenTable } from "./refresh";
import { finishRun, forgetRuns, recentRuns, startRun, streamsWithRuns } from "./runs";
import { columnsOf, tableExists } from "./schema";
import { foreignWriter, openDatabase, STATE_TABLE } from "./settings";
import { DELETED, quoteId, SYNCED_AT } from "./sql";
import { StoreError } from "../store-error";
import { PageUpsert } from "./upsert";
import { WriteLock } from "./write-lock";
import type { OpenOptions, PageWrite, Row, RunEnd, RunRecord, Store, StreamState, SyncedRows, WriteCounts } from "../types";

/**
 * The SQLite store: one file, WAL, one writer at a time (the write lock), any number of readers. Every method is
 * async for the Store interface but does its work synchronously: a checkpoint spans pages with BEGIN IMMEDIATE …
 * COMMIT, and nothing awaits while that transaction is open (an await inside bun:sqlite's transaction commits it).
 */
export class SqliteStore implements Store {
  private readonly upsert: PageUpsert;
  private closed = false;

  private constructor(
    /** The connection, for SQLite-specific tests and tools; the connector never sees it. */
    readonly db: Database,
    readonly location: string,
    private readonly now: () => Date,
    private readonly lock: WriteLock | null,
  ) {
    this.upsert = new PageUpsert(db, now);
  }

  /**
   * Opens `path` for a writer (refusing another program's file or table before changing anything, then taking the
   * write lock), an admin (reset: the lock, on an existing database) or a reader (no setup, no lock).
   */
  static open(path: string, options: OpenOptions): SqliteStore {
    const full = checkDbPath(path, options.mustExist === true || options.mode !== "writer");
    // Another program's table in --db is refused before anything touches the file.
    if (options.mode === "writer") for (const table of options.tables ?? []) refuseForeign(path, full, table);
    // The lock first: a second sync is refused at once, before it touches the database or sends a request.
    const lock = options.mode === "reader" ? null : WriteLock.take(full, path);
    try {
      const store = new SqliteStore(openDatabase(full, path, options.mode === "reader"), path, options.now ?? (() => new Date()), lock);
      return withClearFailures(store, path);
    } catch (error) {
      lock?.release();
      throw sqliteFailure(error, path) ?? error;
    }
  }

  get pending(): boolean {
    return !this.closed && this.db.inTransaction;
  }

  async readState(stream: string): Promise<StreamState | null> {
    if (!tableExists(this.db, STATE_TABLE)) return null; // a reader of a database no sync has written
    const row = this.db.query<{ state: string }, [string]>(`SELECT state FROM ${STATE_TABLE} WHERE stream = ?`).get(stream);
    return row ? (JSON.parse(row.state) as StreamState) : null;
  }

  async allStates(): Promise<Record<string, StreamState>> {
    return this.states();
  }

  async saveState(stream: string, state: StreamState): Promise<void> {
    this.save(stream, state);
  }

  /**
   * Writes one page's rows and the state that covers them into the open checkpoint, opening one if none is.
   * Nothing is durable, or visible to other connections, until `checkpoint()` commits. A page that fails to write
   * discards the whole open checkpoint (a savepoint per page would copy every page it touches to a sub-journal:
   * about a fifth of the write time); the state on disk is still the last checkpoint's, so the next sync reads
   * those pages again.
   */
  async writePage({ spec, rows, state, refresh, midTransaction }: PageWrite): Promise<WriteCounts> {
    if (!this.db.inTransaction) this.db.run("BEGIN IMMEDIATE");
    try {
      const counts: WriteCounts = rows.length > 0 ? this.upsert.upsertRows(spec, rows) : { inserted: 0, updated: 0, unchanged: 0, stale: 0 };
      if (refresh) {
        if (refresh.finish) this.upsert.merges.flush(); // the unseen rows are marked in the table itself
        this.upsert.knownColumns(spec.table); // an existing table has its _deleted column, even on a page with no rows
        counts.deleted = recordRefresh(this.db, spec, rows, refresh, this.now().toISOString());
      }
      midTransaction?.();
      this.save(spec.table, state);
      return counts;
    } catch (error) {
      if (this.db.inTransaction) this.db.run("ROLLBACK");
      // Cached statements and columns may describe a table the rollback took back (created or widened in it).
      this.upsert.forget();
      throw foreignWriter(error) ?? error;
    }
  }

  async checkpoint(): Promise<boolean> {
    if (!this.db.inTransaction) return false;
    this.flushPending();
    this.db.run("COMMIT");
    return true;
  }

  /** How many rows a checkpoint into `table` should hold: a large table's pending rows merge best in large batches. */
  checkpointRows(table: string): number {
    return this.upsert.merges.checkpointRows(table);
  }

  async tableExists(table: string): Promise<boolean> {
    return tableExists(this.db, table);
  }

  async rowCounts(table: string): Promise<{ live: number; deleted: number } | null> {
    this.flushPending();
    if (!tableExists(this.db, table)) return null;
    const hasDeleted = columnsOf(this.db, table).some((c) => c.name === DELETED);
    const deleted = hasDeleted ? `coalesce(sum(${DELETED} <> 0), 0)` : "0";
    const row = this.db.query<{ n: number; d: number }, []>(`SELECT count(*) AS n, ${deleted} AS d FROM ${quoteId(table)}`).get();
    return { live: (row?.n ?? 0) - (row?.d ?? 0), deleted: row?.d ?? 0 };
  }

  async syncedSince(table: string, columns: readonly string[], since: string | null, until: string | null = null): Promise<SyncedRows> {
    this.flushPending();
    if (!tableExists(this.db, table)) return { rows: [], newest: null };
    const known = new Set(columnsOf(this.db, table).map((c) => c.name));
    const missing = columns.find((c) => !known.has(c));
    if (missing) throw new StoreError("db_schema", `table '${table}' has no column '${missing}' (a child stream's {${table}.${missing}} placeholder names it)`);
    const cols = columns.map(quoteId).join(", ");
    const live = known.has(DELETED) ? `${DELETED} = 0` : "1";
    const window = `${since === null ? "" : ` AND ${SYNCED_AT} > ?`}${until === null ? "" : ` AND ${SYNCED_AT} <= ?`}`;
    const params = [since, until].filter((x): x is string => x !== null);
    const found = this.db
      .query<Row & { _newest: string }, string[]>(
        `SELECT ${cols}, max(${SYNCED_AT}) AS _newest FROM ${quoteId(table)} WHERE ${live}${window} GROUP BY ${cols} ORDER BY ${cols}`,
      )
      .all(...params);
    const newest = found.reduce<string | null>((max, row) => (max === null || row._newest > max ? row._newest : max), null);
    return { rows: found.map(({ _newest, ...row }) => row), newest };
  }

  /** Drops the synced tables (every one, or `only`) with their state and run history, in one transaction. Returns those dropped. */
  async reset(only?: string): Promise<string[]> {
    return this.db
      .transaction(() => {
        const streams = only === undefined ? Object.keys(this.states()) : [only];
        const dropped = streams.filter((s) => tableExists(this.db, s));
        for (const stream of dropped) this.db.run(`DROP TABLE ${quoteId(stream)}`);
        for (const stream of streams) this.db.run(`DROP TABLE IF EXISTS ${quoteId(seenTable(stream))}`);
        if (tableExists(this.db, STATE_TABLE)) {
          if (only === undefined) this.db.run(`DELETE FROM ${STATE_TABLE}`);
          else this.db.query(`DELETE FROM ${STATE_TABLE} WHERE stream = ?`).run(only);
        }
        forgetRuns(this.db, only);
        this.upsert.forget();
        this.upsert.merges.clear();
        return dropped;
      })
      .immediate();
  }

  async startRun(stream: string, source: string | null, startedAt: string): Promise<number> {
    try {
      return startRun(this.db, stream, source, startedAt);
    } catch (error) {
      throw foreignWriter(error) ?? error;
    }
  }

  async finishRun(id: number, end: RunEnd): Promise<void> {
    finishRun(this.db, id, end);
  }

  async recentRuns(stream: string, limit?: number): Promise<RunRecord[]> {
    return recentRuns(this.db, stream, limit);
  }

  async streamsWithRuns(): Promise<string[]> {
    return streamsWithRuns(this.db);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Pages never checkpointed are not kept: only the driver decides what is committed.
    if (this.db.inTransaction) this.db.run("ROLLBACK");
    // Unfinalized statements would keep the connection alive as a zombie.
    this.upsert.forget();
    this.db.close(false);
    this.lock?.release();
  }

  /** Pending rows merged into their tables (a failure discards the open checkpoint, as a failed page does). */
  private flushPending(): void {
    try {
      this.upsert.merges.flush();
    } catch (error) {
      if (this.db.inTransaction) this.db.run("ROLLBACK");
      this.upsert.forget();
      throw foreignWriter(error) ?? error;
    }
  }

  private states(): Record<string, StreamState> {
    if (!tableExists(this.db, STATE_TABLE)) return {}; // a read-only open of a database no sync has written
    const rows = this.db.query<{ stream: string; state: string }, []>(`SELECT stream, state FROM ${STATE_TABLE} ORDER BY stream`).all();
    return Object.fromEntries(rows.map((r) => [r.stream, JSON.parse(r.state) as StreamState]));
  }

  private save(stream: string, state: StreamState): void {
    this.db
      .query(
        `INSERT INTO ${STATE_TABLE} (stream, state, updated_at) VALUES (?, ?, ?) ON CONFLICT(stream) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
      )
      .run(stream, JSON.stringify(state), this.now().toISOString());
  }
}
