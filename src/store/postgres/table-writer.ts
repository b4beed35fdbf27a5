// Writes one page into a synced table inside the writer's open transaction: creates or widens the table for the
// page's fields, upserts the rows in one statement, counts exactly, and keeps a full refresh's seen keys.
import type { SQL } from "bun";
import { hasNewField, mapFields, quoteId, renameFields } from "./fields";
import { jsonText, NestingError } from "../../json-text";
import { StoreError } from "../store-error";
import { columnsOf, tableExists, type Catalog } from "./catalog";
import { findMisfits, PG_TYPE, typeOfFirst, widened, type PgType } from "./column-types";
import type { RefreshStep, Row, TableSpec, TypeConflict, WriteCounts } from "../types";
import { DELETED, notOlder, qualified, recordSet, staleColumns, staleCountSql, SYNCED_AT, upsertSql } from "./statements";

/** The connector's own columns: a record's fields of these names are ignored, never stored over them. */
const MANAGED = new Set([SYNCED_AT, DELETED]);
/** PostgreSQL allows 1600 columns; a record wider than this is refused, not allowed to break the table. */
const MAX_COLUMNS = 1000;

export function seenTable(table: string): string {
  return `_connector_seen_${table}`;
}

/** A value as PostgreSQL's text input for a column of `type`. Text cannot hold NUL: it becomes U+FFFD. */
function toText(value: unknown, type: PgType | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (type === "jsonb") return jsonText(value).replace(/(?<!\\)((?:\\\\)*)\\u0000/g, "$1\\ufffd");
  switch (typeof value) {
    case "string":
      return value.includes("\u0000") ? value.replaceAll("\u0000", "\ufffd") : value;
    case "number":
      return Number.isFinite(value) ? String(value) : null;
    case "boolean":
    case "bigint":
      return String(value);
    default:
      return toText(jsonText(value), "text");
  }
}

/** The rows as one array of text per column (the parameters of recordSet), own properties only. */
function columnArrays(rows: readonly Row[], columns: readonly string[], types: ReadonlyMap<string, PgType>, table: string): (string | null)[][] {
  try {
    return columns.map((name) => {
      const type = types.get(name);
      return rows.map((row) => toText(Object.hasOwn(row, name) ? row[name] : undefined, type));
    });
  } catch (error) {
    if (error instanceof NestingError) throw new StoreError("bad_record", `a record for '${table}': ${error.message}`);
    throw error;
  }
}

/** The rows in runs without a repeated key: one upsert statement cannot touch the same row twice. */
function distinctKeyRuns(spec: TableSpec, rows: readonly Row[]): Row[][] {
  const runs: Row[][] = [[]];
  let keys = new Set<string>();
  for (const row of rows) {
    const key = spec.primaryKey.map((k) => (typeof row[k] === "object" ? jsonText(row[k]) : String(row[k]))).join("\u0000");
    if (keys.has(key)) {
      runs.push([]);
      keys = new Set();
    }
    keys.add(key);
    (runs.at(-1) as Row[]).push(row);
  }
  return runs;
}

export class TableWriter {
  private readonly columns = new Map<string, Map<string, PgType>>();

  constructor(private readonly catalog: Catalog & { db: SQL }) {}

  /** Forgets every table's columns: a rollback may have taken back what this writer created or widened. */
  forget(): void {
    this.columns.clear();
  }

  async upsert(spec: TableSpec, input: readonly Row[], now: string): Promise<WriteCounts> {
    const table = qualified(this.catalog.schema, spec.table);
    const { names, rows, added } = await this.ensureColumns(spec, input);
    const types = await this.known(spec.table);
    const conflicts = findMisfits(rows, types, names);
    for (const conflict of conflicts) await this.widen(spec.table, conflict, types);
    const counts: WriteCounts = { inserted: 0, updated: 0, unchanged: 0, stale: 0 };
    const upsert = upsertSql(table, spec, names, types);
    const stale = staleCountSql(table, spec, types);
    for (const run of distinctKeyRuns(spec, rows)) {
      const [written] = await this.catalog.db.unsafe(upsert, [...columnArrays(run, names, types, spec.table), now]);
      counts.inserted += written.inserted;
      counts.updated += written.updated;
      const rest = run.length - written.inserted - written.updated;
      if (rest === 0) continue;
      const [older] = await this.catalog.db.unsafe(stale, columnArrays(run, staleColumns(spec), types, spec.table));
      counts.stale += older.n;
      counts.unchanged += rest - older.n;
    }
    if (added.length > 0) counts.addedColumns = added;
    if (conflicts.length > 0) counts.typeConflicts = conflicts;
    return counts;
  }

  /** The table's columns and types (empty: no table yet), read once. */
  private async known(table: string): Promise<Map<string, PgType>> {
    let known = this.columns.get(table);
    if (!known) {
      known = await columnsOf(this.catalog, table);
      this.columns.set(table, known);
    }
    return known;
  }

  /** Adds any column the rows carry that the table lacks; creates the table on first use. */
  private async ensureColumns(
    spec: TableSpec,
    input: readonly Row[],
  ): Promise<{ names: string[]; rows: readonly Row[]; added: { column: string; type: string }[] }> {
    const known = await this.known(spec.table);
    const names = () => [...known.keys()].filter((name) => !MANAGED.has(name));
    const knownNames = new Set(known.keys());
    if (known.size > 0 && !hasNewField(input, knownNames)) return { names: names(), rows: input, added: [] };
    const mapping = mapFields(input, knownNames, MANAGED);
    const rows = renameFields(input, mapping.renamed);
    const first = new Map<string, unknown>(mapping.columns.map((name) => [name, undefined]));
    for (const row of rows)
      for (const name of mapping.columns) if (first.get(name) === undefined && Object.hasOwn(row, name) && row[name] !== null) first.set(name, row[name]);
    const declared = spec.columns ?? {};
    const typeOf = (name: string, value: unknown): PgType =>
      (Object.hasOwn(declared, name) ? PG_TYPE[declared[name] as keyof typeof PG_TYPE] : undefined) ?? typeOfFirst(value);
    const t = qualified(this.catalog.schema, spec.table);
    if (known.size === 0) {
      for (const k of spec.primaryKey) if (!first.has(k)) first.set(k, "");
      for (const name of Object.keys(declared)) if (!first.has(name)) first.set(name, null);
      if (first.size >= MAX_COLUMNS)
        throw new StoreError("too_many_columns", `records have more than ${MAX_COLUMNS} distinct fields; refusing to create table '${spec.table}'`);
      const defs = [...first].map(([name, value]) => `${quoteId(name)} ${typeOf(name, value)}${spec.primaryKey.includes(name) ? " NOT NULL" : ""}`);
      await this.catalog.db.unsafe(
        `CREATE TABLE ${t} (${defs.join(", ")}, ${quoteId(SYNCED_AT)} timestamptz NOT NULL, ${quoteId(DELETED)} boolean NOT NULL DEFAULT false, PRIMARY KEY (${spec.primaryKey.map(quoteId).join(", ")}))`,
      );
      for (const [name, value] of first) known.set(name, typeOf(name, value));
      known.set(SYNCED_AT, "timestamptz");
      known.set(DELETED, "boolean");
      return { names: names(), rows, added: [] };
    }
    const added: { column: string; type: string }[] = [];
    for (const [name, value] of first) {
      if (known.has(name)) continue;
      if (known.size >= MAX_COLUMNS)
        throw new StoreError("too_many_columns", `records have more than ${MAX_COLUMNS} distinct fields; refusing to widen table '${spec.table}' further`);
      const type = typeOf(name, value);
      await this.catalog.db.unsafe(`ALTER TABLE ${t} ADD COLUMN ${quoteId(name)} ${type}`);
      added.push({ column: name, type });
      known.set(name, type);
    }
    return { names: names(), rows, added };
  }

  /** Changes a column to a type that holds the page's misfits too (a timestamp kept as ISO 8601 text). */
  private async widen(table: string, conflict: TypeConflict, types: Map<string, PgType>): Promise<void> {
    const from = types.get(conflict.column) as PgType;
    const to = widened(from, conflict.found);
    if (to === from) return;
    const c = quoteId(conflict.column);
    const using = to === "text" && (from === "timestamptz" || from === "timestamp") ? `to_json(${c}) #>> '{}'` : `${c}::${to}`;
    await this.catalog.db.unsafe(`ALTER TABLE ${qualified(this.catalog.schema, table)} ALTER COLUMN ${c} TYPE ${to} USING ${using}`);
    types.set(conflict.column, to);
  }

  /**
   * A full refresh remembers every key it reads in a table of its own, committed with each page, so a refresh
   * killed half-way resumes with what it had seen. Only when its last page commits are the rows it never saw
   * marked deleted, in that same transaction: a refresh that does not finish deletes nothing.
   */
  async refresh(spec: TableSpec, rows: readonly Row[], step: RefreshStep, now: string): Promise<number> {
    const db = this.catalog.db;
    const seen = qualified(this.catalog.schema, seenTable(spec.table));
    const types = await this.known(spec.table);
    const keyTypes = new Map(spec.primaryKey.map((k) => [k, types.get(k) ?? "text"] as const));
    const createSeen = () => db.unsafe(`CREATE TABLE IF NOT EXISTS ${seen} (${spec.primaryKey.map((k) => `${quoteId(k)} ${keyTypes.get(k)}`).join(", ")})`);
    if (step.start) await db.unsafe(`DROP TABLE IF EXISTS ${seen}`);
    if (rows.length > 0) {
      await createSeen();
      await db.unsafe(
        `INSERT INTO ${seen} SELECT ${spec.primaryKey.map((k) => `i.${quoteId(k)}`).join(", ")} FROM ${recordSet(spec.primaryKey, keyTypes)}`,
        columnArrays(rows, spec.primaryKey, keyTypes, spec.table),
      );
    }
    if (!step.finish) return 0;
    let deleted = 0;
    if (await tableExists(this.catalog, spec.table)) {
      await createSeen();
      const t = qualified(this.catalog.schema, spec.table);
      const match = spec.primaryKey.map((k) => `s.${quoteId(k)} = t.${quoteId(k)}`).join(" AND ");
      const since = step.since ?? null;
      const cursorType = types.get(spec.cursorField);
      const cursor = `t.${quoteId(spec.cursorField)}`;
      const bound = cursorType === "jsonb" ? "to_jsonb($2::text)" : `$2::text::${cursorType ?? "text"}`;
      const inRange = since === null || cursorType === undefined ? "" : ` AND ${cursor} IS NOT NULL AND ${notOlder(cursor, bound, cursorType)}`;
      const params = since === null || cursorType === undefined ? [now] : [now, String(since)];
      const result = await db.unsafe(
        `UPDATE ${t} AS t SET ${quoteId(DELETED)} = true, ${quoteId(SYNCED_AT)} = $1::timestamptz WHERE NOT t.${quoteId(DELETED)}${inRange} AND NOT EXISTS (SELECT 1 FROM ${seen} AS s WHERE ${match})`,
        params,
      );
      deleted = result.count;
    }
    await db.unsafe(`DROP TABLE IF EXISTS ${seen}`);
    return deleted;
  }
}
