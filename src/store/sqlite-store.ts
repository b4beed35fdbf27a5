import { Database, type Statement } from "bun:sqlite";
import { checkDbPath } from "./db-path";
import { DELETED, recordRefresh, seenTable, type RefreshStep } from "./refresh";
import { columnsOf, tableExists } from "./schema";
import { NestingError, quoteId, SYNCED_AT, sqlTypeOf, toSqlValue, type SqlValue } from "./sql";
import { hasNewField, mapFields, ownValue, renameFields } from "./fields";
import { foreignWriter, openDatabase, STATE_TABLE } from "./settings";
import { StoreError } from "./store-error";
import { ColumnTypes } from "./type-conflicts";
import { WriteLock } from "./write-lock";
import { forgetRuns } from "./runs";
import { existingKeysSql, isStale, keyOf, storedCursorSql, upsertSql } from "./upsert-sql";
import type { Row, Store, StreamState, TableSpec, WriteCounts } from "./types";

/** The connector's own columns: a record's fields of these names are ignored, never stored over them. */
const MANAGED = new Set([SYNCED_AT, DELETED]);
/** SQLite allows 2000 columns; a record wider than this is refused, not allowed to break the table. */
const MAX_COLUMNS = 1000;

export interface OpenOptions {
  /** The one writer: take the database's write lock until close; a second one fails at once. Readers are never locked out. */
  exclusive?: boolean;
  /** A reader (state, status): no setup, no write, never waits for a sync, never blocks one. */
  reader?: boolean;
  /** Open only if the file exists (state/reset never create a database). */
  mustExist?: boolean;
  now?: () => Date;
}

export { StoreError };

export class SqliteStore implements Store {
  private readonly columns = new Map<string, Set<string>>();
  private readonly upserts = new Map<string, Statement>();
  private readonly lookups = new Map<string, Statement>();
  /** Columns the page being written added to an existing table (schema changes). */
  private added: { column: string; type: string }[] = [];
  /** Per table: the query for its largest rowid, or null when it has none to read (see highestRowid). */
  private readonly rowids = new Map<string, Statement<{ m: number | null }, []> | null>();

  private readonly types = new ColumnTypes();

  private constructor(readonly db: Database, private readonly now: () => Date, private readonly lock: WriteLock | null) {}

  static open(path: string, options: OpenOptions = {}): SqliteStore {
    const full = checkDbPath(path, options.mustExist);
    // The lock first: a second sync is refused at once, before it touches the database or sends a request.
    const lock = options.exclusive ? WriteLock.take(full, path) : null;
    try {
      return new SqliteStore(openDatabase(full, path, options.reader === true), options.now ?? (() => new Date()), lock);
    } catch (error) {
      lock?.release();
      throw error;
    }
  }

  readState(stream: string): StreamState | null {
    const row = this.db.query<{ state: string }, [string]>(`SELECT state FROM ${STATE_TABLE} WHERE stream = ?`).get(stream);
    return row ? (JSON.parse(row.state) as StreamState) : null;
  }

  allStates(): Record<string, StreamState> {
    if (!tableExists(this.db, STATE_TABLE)) return {}; // a read-only open of a database no sync has written
    const rows = this.db.query<{ stream: string; state: string }, []>(`SELECT stream, state FROM ${STATE_TABLE} ORDER BY stream`).all();
    return Object.fromEntries(rows.map((r) => [r.stream, JSON.parse(r.state) as StreamState]));
  }

  saveState(stream: string, state: StreamState): void {
    this.db
      .query(`INSERT INTO ${STATE_TABLE} (stream, state, updated_at) VALUES (?, ?, ?) ON CONFLICT(stream) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`)
      .run(stream, JSON.stringify(state), this.now().toISOString());
  }

  /**
   * Writes one page's rows and the state that covers them into the open checkpoint, opening one if none is.
   * Nothing is durable, or visible to other connections, until `checkpoint()` commits. A page that fails to write
   * discards the whole open checkpoint (a savepoint per page would copy every page it touches to a sub-journal:
   * about a fifth of the write time); the state on disk is still the last checkpoint's, so the next sync reads
   * those pages again.
   */
  writePage(spec: TableSpec, rows: readonly Row[], state: StreamState, midTransaction?: () => void, refresh?: RefreshStep): WriteCounts {
    // Synchronous on purpose: the transaction spans pages, but never an await inside one (FACTS.md).
    if (!this.db.inTransaction) this.db.run("BEGIN IMMEDIATE");
    try {
      const counts: WriteCounts = rows.length > 0 ? this.upsertRows(spec, rows) : { inserted: 0, updated: 0, unchanged: 0, stale: 0 };
      if (refresh) {
        this.knownColumns(spec.table); // an existing table has its _deleted column, even on a page with no rows
        counts.deleted = recordRefresh(this.db, spec, rows, refresh, this.now().toISOString());
      }
      midTransaction?.();
      this.saveState(spec.table, state);
      return counts;
    } catch (error) {
      if (this.db.inTransaction) this.db.run("ROLLBACK");
      // Cached statements and columns may describe a table the rollback took back (created or widened in it).
      this.forgetSchema();
      throw foreignWriter(error) ?? error;
    }
  }

  /** Commits every page written since the last checkpoint, rows and state together. False when none was open. */
  checkpoint(): boolean {
    if (!this.db.inTransaction) return false;
    this.db.run("COMMIT");
    return true;
  }

  /** One page as a checkpoint of its own (with any pages written before it). */
  commitPage(spec: TableSpec, rows: readonly Row[], state: StreamState, midTransaction?: () => void, refresh?: RefreshStep): WriteCounts {
    const counts = this.writePage(spec, rows, state, midTransaction, refresh);
    this.checkpoint();
    return counts;
  }

  /**
   * Upserts one page, counting exactly. An insert always takes a rowid above the table's largest (SQLite's rule
   * while no rowid is near 2^63, and nothing here chooses rowids), while an update keeps its row's rowid and
   * leaves last_insert_rowid alone: so a write whose last_insert_rowid rises above the largest so far inserted a
   * row, and any other write updated one. That replaces a lookup of the page's keys (a third of the write time).
   * Tables without a readable rowid fall back to that lookup.
   */
  private upsertRows(spec: TableSpec, input: readonly Row[]): WriteCounts {
    this.added = [];
    const { names, rows } = this.ensureColumns(spec, input);
    const upsert = this.upsertStatement(spec, names);
    let highest = this.highestRowid(spec.table);
    const existing = highest === null ? this.existingKeys(spec, rows) : null;
    const counts: WriteCounts = { inserted: 0, updated: 0, unchanged: 0, stale: 0 };
    const staleCheck = this.db.query<{ c: SqlValue }, [string]>(storedCursorSql(spec));
    const values = new Array<SqlValue>(names.length + 1);
    const inherited = names.map((name) => name in Object.prototype); // toString, __proto__, ...: own values only
    values[names.length] = this.now().toISOString();
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as Row;
      try {
        for (let c = 0; c < names.length; c++) values[c] = toSqlValue(inherited[c] ? ownValue(row, names[c] as string) : row[names[c] as string]);
      } catch (error) {
        if (error instanceof NestingError) throw new StoreError("bad_record", `record ${i} (${keyOf(spec, row)}): ${error.message}`);
        throw error;
      }
      const { changes, lastInsertRowid } = upsert.run(...values);
      let inserted: boolean;
      if (existing) {
        const key = keyOf(spec, row);
        inserted = !existing.has(key);
        existing.add(key);
      } else {
        inserted = changes > 0 && Number(lastInsertRowid) > (highest as number);
        if (inserted) highest = Number(lastInsertRowid);
      }
      if (inserted) counts.inserted++;
      else if (changes > 0) counts.updated++;
      else if (isStale(staleCheck, spec, row)) counts.stale++;
      else counts.unchanged++;
    }
    if (this.added.length > 0) counts.addedColumns = this.added;
    const conflicts = this.types.conflicts(this.db, spec.table, rows, names);
    if (conflicts.length > 0) counts.typeConflicts = conflicts;
    return counts;
  }

  /**
   * The table's largest rowid (0 when empty), or null when there is none to read: a WITHOUT ROWID table, columns
   * shadowing every rowid alias, or rowids too large for exact numbers.
   */
  private highestRowid(table: string): number | null {
    let query = this.rowids.get(table);
    if (query === undefined) {
      const taken = new Set([...(this.columns.get(table) ?? [])].map((name) => name.toLowerCase()));
      const alias = ["rowid", "_rowid_", "oid"].find((name) => !taken.has(name));
      query = null;
      if (alias) {
        try {
          query = this.db.prepare<{ m: number | null }, []>(`SELECT max(${alias}) AS m FROM ${quoteId(table)}`);
        } catch {
          query = null; // WITHOUT ROWID: "no such column"
        }
      }
      this.rowids.set(table, query);
    }
    const highest = query?.get()?.m ?? 0;
    return query && typeof highest === "number" && highest < 2 ** 52 ? highest : null;
  }

  /** Adds any column the rows carry that the table lacks; creates the table on first use. Runs inside the page's transaction. */
  private ensureColumns(spec: TableSpec, input: readonly Row[]): { names: string[]; rows: readonly Row[] } {
    const known = this.knownColumns(spec.table);
    const names = () => [...known].filter((name) => !MANAGED.has(name));
    if (known.size > 0 && !hasNewField(input, known)) return { names: names(), rows: input };
    const mapping = mapFields(input, known, MANAGED);
    const rows = renameFields(input, mapping.renamed);
    const first = new Map<string, unknown>(mapping.columns.map((name) => [name, undefined]));
    for (const row of rows) for (const name of mapping.columns) if (first.get(name) === undefined && Object.hasOwn(row, name)) first.set(name, row[name]);
    const typeOf = (name: string, value: unknown): string => (spec.columnTypes && Object.hasOwn(spec.columnTypes, name) ? spec.columnTypes[name] : undefined) ?? sqlTypeOf(value);
    if (known.size === 0) {
      for (const k of spec.primaryKey) if (!first.has(k)) first.set(k, "");
      for (const name of Object.keys(spec.columnTypes ?? {})) if (!first.has(name)) first.set(name, null);
      if (first.size >= MAX_COLUMNS) throw new StoreError("too_many_columns", `records have more than ${MAX_COLUMNS} distinct fields; refusing to create table '${spec.table}'`);
      const defs = [...first].map(([name, value]) => `${quoteId(name)} ${typeOf(name, value)}${spec.primaryKey.includes(name) ? " NOT NULL" : ""}`);
      const pk = spec.primaryKey.map(quoteId).join(", ");
      // A rowid table with a UNIQUE key, not WITHOUT ROWID: random keys then dirty small index pages instead of
      // whole-row leaves, which measured 54% faster at 50-row pages (scripts/bench.ts, FACTS.md).
      this.db.run(`CREATE TABLE ${quoteId(spec.table)} (${defs.join(", ")}, ${SYNCED_AT} TEXT NOT NULL, ${DELETED} INTEGER NOT NULL DEFAULT 0, UNIQUE (${pk}))`);
      for (const name of first.keys()) known.add(name);
      known.add(SYNCED_AT);
      known.add(DELETED);
    }
    for (const [name, value] of first) {
      if (known.has(name)) continue;
      if (known.size >= MAX_COLUMNS) throw new StoreError("too_many_columns", `records have more than ${MAX_COLUMNS} distinct fields; refusing to widen table '${spec.table}' further`);
      this.db.run(`ALTER TABLE ${quoteId(spec.table)} ADD COLUMN ${quoteId(name)} ${typeOf(name, value)}`);
      this.added.push({ column: name, type: typeOf(name, value) });
      known.add(name);
      for (const statement of this.upserts.values()) statement.finalize(); // unfinalized, one keeps the db open after close
      this.upserts.clear();
      this.rowids.get(spec.table)?.finalize();
      this.rowids.delete(spec.table);
    }
    this.types.forget();
    return { names: names(), rows };
  }

  /** The table's columns (empty: no table yet), read once; a table from before soft deletes gains `_deleted`, every row live. */
  private knownColumns(table: string): Set<string> {
    let known = this.columns.get(table);
    if (!known) {
      known = new Set(columnsOf(this.db, table).map((c) => c.name));
      this.columns.set(table, known);
    }
    if (known.size > 0 && !known.has(DELETED)) {
      this.db.run(`ALTER TABLE ${quoteId(table)} ADD COLUMN ${DELETED} INTEGER NOT NULL DEFAULT 0`);
      known.add(DELETED);
      for (const statement of this.upserts.values()) statement.finalize();
      this.upserts.clear();
    }
    return known;
  }

  private upsertStatement(spec: TableSpec, names: readonly string[]): Statement {
    const cacheKey = `${spec.table}\u0000${names.join("\u0000")}`;
    let statement = this.upserts.get(cacheKey);
    if (!statement) {
      statement = this.db.prepare(upsertSql(spec, names));
      this.upserts.set(cacheKey, statement);
    }
    return statement;
  }

  private existingKeys(spec: TableSpec, rows: readonly Row[]): Set<string> {
    let lookup = this.lookups.get(spec.table);
    if (!lookup) {
      lookup = this.db.prepare(existingKeysSql(spec));
      this.lookups.set(spec.table, lookup);
    }
    const param = JSON.stringify(rows.map((row) => (spec.primaryKey.length === 1 ? toSqlValue(row[spec.primaryKey[0] as string]) : spec.primaryKey.map((k) => toSqlValue(row[k])))));
    return new Set((lookup.all(param) as { k: string }[]).map((r) => r.k));
  }

  rowCount(table: string): number {
    return this.db.query<{ n: number }, []>(`SELECT count(*) AS n FROM ${quoteId(table)}`).get()?.n ?? 0;
  }

  tableExists(table: string): boolean {
    return tableExists(this.db, table);
  }

  /** Drops the synced tables (every one, or `only`) with their state and run history, in one transaction. Returns those dropped. */
  reset(only?: string): string[] {
    return this.db.transaction(() => {
      const streams = only === undefined ? Object.keys(this.allStates()) : [only];
      const dropped = streams.filter((s) => this.tableExists(s));
      for (const stream of dropped) this.db.run(`DROP TABLE ${quoteId(stream)}`);
      for (const stream of streams) this.db.run(`DROP TABLE IF EXISTS ${quoteId(seenTable(stream))}`);
      if (only === undefined) this.db.run(`DELETE FROM ${STATE_TABLE}`);
      else this.db.query(`DELETE FROM ${STATE_TABLE} WHERE stream = ?`).run(only);
      forgetRuns(this.db, only);
      this.forgetSchema();
      return dropped;
    }).immediate();
  }

  /** Drops every cached column list and statement: the tables they describe may have changed. */
  private forgetSchema(): void {
    for (const statement of [...this.upserts.values(), ...this.lookups.values(), ...this.rowids.values()]) statement?.finalize();
    this.upserts.clear();
    this.lookups.clear();
    this.rowids.clear();
    this.columns.clear();
    this.types.forget();
  }

  close(): void {
    // Pages never checkpointed are not kept: only the driver decides what is committed.
    if (this.db.inTransaction) this.db.run("ROLLBACK");
    // Unfinalized statements would keep the connection alive as a zombie.
    this.forgetSchema();
    this.db.close(false);
    this.lock?.release();
  }
}
