// A page's upsert into SQLite: columns added as records bring new fields, statements prepared once and cached,
// and exact inserted/updated/unchanged/stale counts. Runs inside the store's open checkpoint (one transaction).
import type { Database, Statement } from "bun:sqlite";
import { hasNewField, mapFields, ownValue, renameFields } from "./fields";
import { DELETED, NestingError, quoteId, SQL_TYPE, SYNCED_AT, sqlTypeOf, toSqlValue, type SqlValue } from "./sql";
import { StoreError } from "../store-error";
import { columnsOf } from "./schema";
import { ColumnTypes } from "./type-conflicts";
import { Merges } from "./merge";
import { existingKeysSql, isStale, keyOf, storedCursorSql, upsertSql } from "./upsert-sql";
import type { ColumnType, Row, TableSpec, WriteCounts } from "../types";

/** The connector's own columns: a record's fields of these names are ignored, never stored over them. */
const MANAGED = new Set([SYNCED_AT, DELETED]);
/** SQLite allows 2000 columns; a record wider than this is refused, not allowed to break the table. */
const MAX_COLUMNS = 1000;

export class PageUpsert {
  private readonly columns = new Map<string, Set<string>>();
  private readonly upserts = new Map<string, Statement>();
  private readonly lookups = new Map<string, Statement>();
  /** Columns the page being written added to an existing table (schema changes). */
  private added: { column: string; type: string }[] = [];
  /** Per table: the query for its largest rowid, or null when it has none to read (see highestRowid). */
  private readonly rowids = new Map<string, Statement<{ m: number | null }, []> | null>();

  private readonly types = new ColumnTypes();
  /** The two statements of resetLastRowid, prepared on first use. */
  private lastRowid: [Statement, Statement] | null = null;
  /** Large tables' pages, held and merged in key order at the checkpoint (merge.ts). */
  readonly merges: Merges;

  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
  ) {
    this.merges = new Merges(db);
  }

  /**
   * Upserts one page, counting exactly. An insert always takes a rowid above the table's largest (SQLite's rule
   * while no rowid is near 2^63, and nothing here chooses rowids), while an update keeps its row's rowid and
   * leaves last_insert_rowid alone: so a write whose last_insert_rowid rises above the largest so far inserted a
   * row, and any other write updated one. That replaces a lookup of the page's keys (a third of the write time).
   * Tables without a readable rowid fall back to that lookup. A large table's page goes to its pending rows
   * instead (merge.ts), where the key filter says which keys were there before.
   */
  upsertRows(spec: TableSpec, input: readonly Row[]): WriteCounts {
    this.added = [];
    const { names, rows } = this.ensureColumns(spec, input);
    let highest = this.highestRowid(spec.table);
    const page = highest === null ? null : this.merges.prepare(spec, rows, highest);
    const upsert = page ? page.rows.upsert(names) : this.upsertStatement(spec, names);
    if (page) page.rows.written += rows.length;
    const existing = highest === null ? this.existingKeys(spec, rows) : null;
    if (!page && !existing) this.resetLastRowid();
    const counts: WriteCounts = { inserted: 0, updated: 0, unchanged: 0, stale: 0 };
    const staleCheck = page ? page.rows.staleCheck : this.db.query<{ c: SqlValue }, [string]>(storedCursorSql(spec));
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
      // Pending rows: a key the filter calls new is inserted, one it may hold is looked up before the upsert.
      const held = page?.maybe.has(row[spec.primaryKey[0] as string]) === true && (staleCheck.get(keyOf(spec, row)) ?? null) !== null;
      const { changes, lastInsertRowid } = upsert.run(...values);
      let inserted: boolean;
      if (page) inserted = changes > 0 && !held;
      else if (existing) {
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

  /**
   * Sets the connection's last_insert_rowid to 1, at most the table's largest rowid unless it is empty (then the first
   * write inserts): a value left by a rolled-back insert or by another table could be larger and pass for an insert.
   */
  private resetLastRowid(): void {
    this.lastRowid ??= [this.db.prepare("INSERT INTO temp._connector_rowid VALUES (1)"), this.db.prepare("DELETE FROM temp._connector_rowid")];
    for (const statement of this.lastRowid) statement.run();
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
    const declared = spec.columns ?? {};
    const typeOf = (name: string, value: unknown): string =>
      (Object.hasOwn(declared, name) ? SQL_TYPE[declared[name] as ColumnType] : undefined) ?? sqlTypeOf(value);
    if (known.size === 0) {
      for (const k of spec.primaryKey) if (!first.has(k)) first.set(k, "");
      for (const name of Object.keys(declared)) if (!first.has(name)) first.set(name, null);
      if (first.size >= MAX_COLUMNS)
        throw new StoreError("too_many_columns", `records have more than ${MAX_COLUMNS} distinct fields; refusing to create table '${spec.table}'`);
      const defs = [...first].map(([name, value]) => `${quoteId(name)} ${typeOf(name, value)}${spec.primaryKey.includes(name) ? " NOT NULL" : ""}`);
      const pk = spec.primaryKey.map(quoteId).join(", ");
      // A rowid table with a UNIQUE key, not WITHOUT ROWID: random keys then dirty small index pages instead of
      // whole-row leaves, which measured faster at small pages (README, Performance).
      this.db.run(
        `CREATE TABLE ${quoteId(spec.table)} (${defs.join(", ")}, ${SYNCED_AT} TEXT NOT NULL, ${DELETED} INTEGER NOT NULL DEFAULT 0, UNIQUE (${pk}))`,
      );
      for (const name of first.keys()) known.add(name);
      known.add(SYNCED_AT);
      known.add(DELETED);
    }
    for (const [name, value] of first) {
      if (known.has(name)) continue;
      if (known.size >= MAX_COLUMNS)
        throw new StoreError("too_many_columns", `records have more than ${MAX_COLUMNS} distinct fields; refusing to widen table '${spec.table}' further`);
      this.merges.drop(spec.table);
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
  knownColumns(table: string): Set<string> {
    let known = this.columns.get(table);
    if (!known) {
      known = new Set(columnsOf(this.db, table).map((c) => c.name));
      this.columns.set(table, known);
    }
    if (known.size > 0 && !known.has(DELETED)) {
      this.merges.drop(table);
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
    const param = JSON.stringify(
      rows.map((row) => (spec.primaryKey.length === 1 ? toSqlValue(row[spec.primaryKey[0] as string]) : spec.primaryKey.map((k) => toSqlValue(row[k])))),
    );
    return new Set((lookup.all(param) as { k: string }[]).map((r) => r.k));
  }

  /** Drops every cached column list and statement: the tables they describe may have changed. */
  forget(): void {
    for (const statement of [...this.upserts.values(), ...this.lookups.values(), ...this.rowids.values(), ...(this.lastRowid ?? [])]) statement?.finalize();
    this.lastRowid = null;
    this.upserts.clear();
    this.lookups.clear();
    this.rowids.clear();
    this.columns.clear();
    this.types.forget();
    this.merges.forget();
  }
}
