// When a large table's pages go through pending rows merged in key order (pending.ts) instead of straight into it,
// and the key filter that makes that path cheap for new keys.
import type { Database } from "bun:sqlite";
import { KeyFilter } from "./key-filter";
import { PendingRows } from "./pending";
import { columnsOf } from "./schema";
import { quoteId } from "./sql";
import { CHANGED } from "./upsert-sql";
import type { Row, TableSpec } from "../types";

/**
 * The table size (rows) from which pages are merged in key order: about where the key index outgrows the 64 MB
 * page cache (below it the ordered merge gains nothing: README, Performance). The environment variable exists so
 * that tests can take this path with small tables.
 */
export const MERGE_FROM_ROWS = 1_000_000;
const FROM_ENV = "CONNECTOR_SQLITE_MERGE_FROM_ROWS";
/**
 * A checkpoint holds this share of the table, so that each page of its key index takes several keys a merge (about
 * six at a tenth; at a twentieth three, which measured slower), up to the largest checkpoint_rows allows.
 */
const CHECKPOINT_SHARE = 1 / 10;
const CHECKPOINT_MAX = 1_000_000;
const LOAD_CHUNK = 8192;

/** A string SQLite stores as it is (a lone surrogate would become U+FFFD, equal to other strings). ES2024, in Bun. */
function wellFormed(value: unknown): value is string {
  return typeof value === "string" && (value as string & { isWellFormed(): boolean }).isWellFormed();
}

/** A page's way into the pending rows: the keys the table or the checkpoint may hold already (the others are new). */
export interface PendingPage {
  rows: PendingRows;
  maybe: ReadonlySet<unknown>;
}

interface TableMerge {
  /** The keys the table may hold; null until read (below the threshold) or when not usable. */
  filter: KeyFilter | null;
  /** False for keys the filter cannot speak for: several columns, a column not TEXT, a value not a well-formed string. */
  usable: boolean;
  rows: number;
  written: number;
  pending: PendingRows | null;
}

export class Merges {
  private readonly tables = new Map<string, TableMerge>();

  constructor(
    private readonly db: Database,
    private readonly fromRows = Number(process.env[FROM_ENV] ?? MERGE_FROM_ROWS) || MERGE_FROM_ROWS,
  ) {}

  /**
   * Before a page's upsert into `spec.table` holding `rows` rows (its largest rowid): the pending rows to upsert into,
   * with the stored rows of the page's keys the table may hold copied in, or null to upsert into the table itself.
   * The filter holds every key of the table and of the pending rows (and keys of rolled-back pages: only "maybe"s).
   */
  prepare(spec: TableSpec, page: readonly Row[], rows: number): PendingPage | null {
    const table = this.tables.get(spec.table) ?? this.start(spec, rows);
    table.rows = rows;
    table.written += page.length;
    // Its keys are read once it is large enough and this sync has written a checkpoint's share of it (a sync that
    // stays smaller, or adds a few rows to a large table, never pays for them).
    if (table.usable && !table.filter && rows >= this.fromRows && table.written >= rows * CHECKPOINT_SHARE) this.load(spec, table);
    const key = spec.primaryKey[0] as string;
    const filter = table.filter;
    const maybe = new Set<string>();
    if (filter) {
      for (const row of page) {
        const value = row[key];
        if (!wellFormed(value)) return this.unusable(table);
        if (filter.add(value)) maybe.add(value);
      }
    }
    if (!filter) {
      table.pending?.flush(); // rows pending would otherwise be merged over the newer ones written straight in
      return null;
    }
    table.pending ??= new PendingRows(this.db, spec);
    if (maybe.size > 0) table.pending.copyIn(JSON.stringify([...maybe]));
    return { rows: table.pending, maybe };
  }

  /** The rows a checkpoint into `table` should hold to write efficiently (0: no opinion, the configured size is right). */
  checkpointRows(table: string): number {
    const state = this.tables.get(table);
    return state?.filter && state.rows >= this.fromRows ? Math.min(CHECKPOINT_MAX, Math.round(state.rows * CHECKPOINT_SHARE)) : 0;
  }

  /** Merges every table's pending rows (before a commit, and before anything reads or changes the tables). */
  flush(): void {
    for (const table of this.tables.values()) table.pending?.flush();
  }

  /** Before the table's columns change: its pending rows are merged and their table dropped (made anew with the columns). */
  drop(table: string): void {
    const state = this.tables.get(table);
    state?.pending?.flush();
    state?.pending?.finalize(true);
    if (state) state.pending = null;
  }

  /** After a rollback: statements go (the pending tables rolled back with it); filters stay, a superset of the keys. */
  forget(): void {
    for (const table of this.tables.values()) {
      table.pending?.finalize(false);
      table.pending = null;
    }
  }

  /** Tables dropped (reset): everything known about them goes. */
  clear(): void {
    this.forget();
    this.tables.clear();
  }

  private start(spec: TableSpec, rows: number): TableMerge {
    const columns = columnsOf(this.db, spec.table);
    const type = columns.find((c) => c.name === spec.primaryKey[0])?.type.toUpperCase() ?? "";
    // TEXT affinity (SQLite's rule): a string is stored as it is, so equal keys are equal strings.
    const text = /CHAR|CLOB|TEXT/.test(type) && !type.includes("INT");
    const usable = spec.primaryKey.length === 1 && text && !columns.some((c) => c.name.toLowerCase() === CHANGED);
    const table: TableMerge = { filter: null, usable, rows, written: 0, pending: null };
    this.tables.set(spec.table, table);
    return table;
  }

  private load(spec: TableSpec, table: TableMerge): void {
    const filter = new KeyFilter();
    const read = this.db.prepare<[number | bigint, unknown], [number]>(
      `SELECT rowid, ${quoteId(spec.primaryKey[0] as string)} FROM main.${quoteId(spec.table)} WHERE rowid > ? ORDER BY rowid LIMIT ${LOAD_CHUNK}`,
    );
    try {
      for (let after = 0, chunk = read.values(after); chunk.length > 0; chunk = read.values(after)) {
        for (const [rowid, key] of chunk) {
          if (!wellFormed(key)) return void this.unusable(table);
          filter.add(key);
          after = rowid as number;
        }
        // The keys read are garbage at once: collected a chunk at a time, the heap does not grow by a million of them.
        Bun.gc(false);
      }
      table.filter = filter;
    } finally {
      read.finalize();
    }
  }

  private unusable(table: TableMerge): null {
    table.pending?.flush();
    table.usable = false;
    table.filter = null;
    return null;
  }
}
