// What an in-memory destination holds once committed, shared by every store opened on it (a writer, readers, an
// admin), and the write locks between them: the memory store's equivalent of a database file.
import { compareCursor } from "../../instants";
import { AppError } from "../../errors";
import { jsonText, NestingError } from "../../json-text";
import { StoreError } from "../store-error";
import type { ColumnType, Row, RunRecord, StreamState } from "../types";

/** A row as stored: every column's value normalised (see `cell`), with the managed columns. */
export type StoredRow = Record<string, Cell>;
export type Cell = string | number | bigint | null;

export interface MemoryTable {
  /** Column name → type name (the neutral ColumnType names). */
  columns: Map<string, string>;
  /** Rows by key (see `keyOf`). */
  rows: Map<string, StoredRow>;
  /** Made by something else than a store (tests): a writer refuses it, as SQLite refuses another program's table. */
  foreign?: boolean;
}

/** Runs kept per table, as the SQLite store keeps them. */
const KEEP_RUNS = 50;

export class MemoryDatabase {
  readonly tables = new Map<string, MemoryTable>();
  /** Saved states as JSON text: a reader never shares an object a writer may change. */
  readonly states = new Map<string, string>();
  /** Keys read by an unfinished full refresh, per table. */
  readonly seen = new Map<string, Set<string>>();
  readonly runs: RunRecord[] = [];
  private nextRun = 1;
  /** Once a writer has opened it: `mustExist` opens succeed from then on. */
  exists = false;
  private readonly writers = new Set<string>();
  private admin = false;

  constructor(readonly name = "memory") {}

  /** Takes the write lock of `tables` (an admin: of everything), or throws db_locked at once. */
  lock(mode: "writer" | "admin", tables: readonly string[]): () => void {
    const busy = mode === "admin" ? this.admin || this.writers.size > 0 : this.admin || tables.some((t) => this.writers.has(t));
    if (busy) throw new StoreError("db_locked", `database '${this.name}' is in use by another sync; wait for it to finish or use another --db`);
    if (mode === "admin") this.admin = true;
    for (const table of tables) this.writers.add(table);
    return () => {
      if (mode === "admin") this.admin = false;
      for (const table of tables) this.writers.delete(table);
    };
  }

  /** Throws (exit 2) for a table the connector did not create, before anything changes. */
  refuseForeign(table: string): void {
    if (this.tables.get(table)?.foreign)
      throw new AppError(
        "db_foreign",
        `--db '${this.name}' already has a table '${table}' that the connector did not create; nothing was changed: choose another --db or set table to another name`,
      );
  }

  /** A table the connector did not create (for tests of the refusal). */
  createForeignTable(table: string): void {
    this.tables.set(table, { columns: new Map([["id", "STRING"]]), rows: new Map(), foreign: true });
    this.exists = true;
  }

  startRun(stream: string, source: string | null, startedAt: string): number {
    const id = this.nextRun++;
    this.runs.push({
      id,
      stream,
      source,
      pid: process.pid,
      startedAt,
      endedAt: null,
      outcome: "running",
      rows: null,
      pages: null,
      errorCode: null,
      errorMessage: null,
    });
    const mine = this.runs.filter((r) => r.stream === stream);
    for (const old of mine.slice(0, Math.max(0, mine.length - KEEP_RUNS))) this.runs.splice(this.runs.indexOf(old), 1);
    return id;
  }

  /** Drops tables, states, refresh keys and runs (all, or one table's); returns the tables dropped. */
  reset(only?: string): string[] {
    const streams = only === undefined ? [...this.states.keys()].sort() : [only];
    const dropped = streams.filter((s) => this.tables.has(s));
    for (const stream of streams) {
      this.tables.delete(stream);
      this.seen.delete(stream);
      this.states.delete(stream);
    }
    for (let i = this.runs.length - 1; i >= 0; i--) if (only === undefined || this.runs[i]?.stream === only) this.runs.splice(i, 1);
    return dropped;
  }
}

/** A value as the store keeps it (as SQLite would): booleans as 0/1, nested values as JSON text, no NaN. */
export function cell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "string":
    case "bigint":
      return value;
    case "number":
      return Number.isFinite(value) ? value : null;
    case "boolean":
      return value ? 1 : 0;
    default:
      return jsonText(value);
  }
}

/** A row's key as text: its primary-key values, normalised. */
export function keyOf(primaryKey: readonly string[], row: Row): string {
  return JSON.stringify(primaryKey.map((k) => String(cell(Object.hasOwn(row, k) ? row[k] : undefined))));
}

/** The type of a new column: declared, or from its first value. */
export function typeOf(declared: ColumnType | undefined, value: unknown): string {
  if (declared) return declared;
  if (typeof value === "number") return Number.isInteger(value) ? "LONG" : "DOUBLE";
  if (typeof value === "boolean") return "BOOLEAN";
  if (value !== null && typeof value === "object") return "JSON";
  return "STRING";
}

export function parseState(text: string): StreamState {
  return JSON.parse(text) as StreamState;
}

export { NestingError };

/** The stale guard as SQLite's upsert has it: a stored NULL never blocks; an incoming NULL never overwrites. */
export function notOlder(incoming: string | number | bigint | null, stored: string | number | bigint | null): boolean | null {
  if (stored === null) return true;
  if (incoming === null) return null;
  return !isStale(incoming, stored);
}

/** `incoming` is older than `stored`: instants compare as instants, numbers as numbers. */
export function isStale(incoming: string | number | bigint | null, stored: string | number | bigint | null): boolean {
  if (incoming === null || stored === null) return false;
  const a = typeof incoming === "bigint" ? Number(incoming) : incoming;
  const b = typeof stored === "bigint" ? Number(stored) : stored;
  return compareCursor(a, b) < 0;
}
