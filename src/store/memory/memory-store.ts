// A Store in memory, honouring the contract (checkpoints, rollback, the stale guard, refresh marks, locks): the
// bench's store with no disk, and the contract test's second implementation.
import { StoreError } from "../store-error";
import {
  DELETED,
  SYNCED_AT,
  type OpenOptions,
  type PageWrite,
  type RefreshStep,
  type Row,
  type RunEnd,
  type RunRecord,
  type Store,
  type StreamState,
  type SyncedRows,
  type TableSpec,
  type WriteCounts,
} from "../types";
import { cell, isStale, keyOf, MemoryDatabase, NestingError, notOlder, parseState, typeOf, type MemoryTable, type StoredRow } from "./memory-database";

const MANAGED = new Set([SYNCED_AT, DELETED]);

/** What the open checkpoint changed: whole column lists and seen-key sets, changed rows only. */
interface Overlay {
  tables: Map<string, MemoryTable>;
  states: Map<string, string>;
  /** Refresh keys per table; null: dropped. */
  seen: Map<string, Set<string> | null>;
}

export class MemoryStore implements Store {
  private overlay: Overlay | null = null;
  private closed = false;

  private constructor(
    private readonly db: MemoryDatabase,
    private readonly now: () => Date,
    private readonly unlock: () => void,
  ) {}

  get location(): string {
    return this.db.name;
  }

  get pending(): boolean {
    return this.overlay !== null;
  }

  static open(db: MemoryDatabase, options: OpenOptions): MemoryStore {
    if ((options.mustExist || options.mode !== "writer") && !db.exists)
      throw new StoreError("db_missing", `database '${db.name}' does not exist (nothing has been synced into it yet)`);
    if (options.mode === "writer") for (const table of options.tables ?? []) db.refuseForeign(table);
    const unlock = options.mode === "reader" ? () => {} : db.lock(options.mode, options.tables ?? []);
    if (options.mode === "writer") db.exists = true;
    return new MemoryStore(db, options.now ?? (() => new Date()), unlock);
  }

  async readState(stream: string): Promise<StreamState | null> {
    const text = this.overlay?.states.get(stream) ?? this.db.states.get(stream);
    return text === undefined ? null : parseState(text);
  }

  async allStates(): Promise<Record<string, StreamState>> {
    const all = new Map([...this.db.states, ...(this.overlay?.states ?? [])]);
    return Object.fromEntries([...all.keys()].sort().map((stream) => [stream, parseState(all.get(stream) as string)]));
  }

  async saveState(stream: string, state: StreamState): Promise<void> {
    (this.overlay?.states ?? this.db.states).set(stream, JSON.stringify(state));
  }

  async writePage({ spec, rows, state, refresh, midTransaction }: PageWrite): Promise<WriteCounts> {
    const overlay = (this.overlay ??= { tables: new Map(), states: new Map(), seen: new Map() });
    try {
      const counts = this.upsert(spec, rows);
      if (refresh) counts.deleted = this.refresh(spec, rows, refresh);
      midTransaction?.();
      overlay.states.set(spec.table, JSON.stringify(state));
      return counts;
    } catch (error) {
      this.overlay = null; // a failing page discards the whole open checkpoint
      if (error instanceof NestingError) throw new StoreError("bad_record", error.message);
      throw error;
    }
  }

  async checkpoint(): Promise<boolean> {
    const overlay = this.overlay;
    if (!overlay) return false;
    for (const [name, table] of overlay.tables) {
      const committed = this.db.tables.get(name);
      if (!committed) this.db.tables.set(name, table);
      else {
        committed.columns = table.columns;
        for (const [key, row] of table.rows) committed.rows.set(key, row);
      }
    }
    for (const [stream, text] of overlay.states) this.db.states.set(stream, text);
    for (const [table, keys] of overlay.seen) {
      if (keys) this.db.seen.set(table, keys);
      else this.db.seen.delete(table);
    }
    this.overlay = null;
    return true;
  }

  async tableExists(table: string): Promise<boolean> {
    return this.overlay?.tables.has(table) || this.db.tables.has(table);
  }

  async syncedSince(table: string, columns: readonly string[], since: string | null, until: string | null = null): Promise<SyncedRows> {
    const found = new Map<string, { row: Row; newest: string }>();
    if (!(await this.tableExists(table))) return { rows: [], newest: null };
    for (const row of this.rows(table)) {
      const at = String(row[SYNCED_AT]);
      if (row[DELETED] || (since !== null && at <= since) || (until !== null && at > until)) continue;
      const picked = Object.fromEntries(columns.map((c) => [c, row[c] ?? null]));
      const key = JSON.stringify(columns.map((c) => picked[c]));
      const seen = found.get(key);
      if (!seen || at > seen.newest) found.set(key, { row: picked, newest: at });
    }
    const sorted = [...found.values()].sort((a, b) => compareRows(a.row, b.row, columns));
    const newest = sorted.reduce<string | null>((max, { newest: at }) => (max === null || at > max ? at : max), null);
    return { rows: sorted.map(({ row }) => row), newest };
  }

  async rowCounts(table: string): Promise<{ live: number; deleted: number } | null> {
    if (!(await this.tableExists(table))) return null;
    let live = 0;
    let deleted = 0;
    for (const row of this.rows(table)) {
      if (row[DELETED]) deleted++;
      else live++;
    }
    return { live, deleted };
  }

  async reset(only?: string): Promise<string[]> {
    this.overlay = null;
    return this.db.reset(only);
  }

  async startRun(stream: string, source: string | null, startedAt: string): Promise<number> {
    return this.db.startRun(stream, source, startedAt);
  }

  async finishRun(id: number, end: RunEnd): Promise<void> {
    const run = this.db.runs.find((r) => r.id === id);
    if (run)
      Object.assign(run, {
        endedAt: end.endedAt,
        outcome: end.outcome,
        rows: end.rows,
        pages: end.pages,
        errorCode: end.error?.code ?? null,
        errorMessage: end.error?.message ?? null,
      });
  }

  async recentRuns(stream: string, limit = 2): Promise<RunRecord[]> {
    return this.db.runs
      .filter((r) => r.stream === stream)
      .reverse()
      .slice(0, limit)
      .map((r) => ({ ...r }));
  }

  async streamsWithRuns(): Promise<string[]> {
    return [...new Set(this.db.runs.map((r) => r.stream))].sort();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.overlay = null;
    this.unlock();
  }

  /** The table as this store sees it (its open checkpoint over the committed one), made writable in the overlay. */
  private writable(spec: TableSpec): MemoryTable {
    const overlay = this.overlay as Overlay;
    let table = overlay.tables.get(spec.table);
    if (!table) {
      const committed = this.db.tables.get(spec.table);
      table = { columns: new Map(committed?.columns ?? []), rows: new Map() };
      overlay.tables.set(spec.table, table);
    }
    return table;
  }

  private row(table: string, key: string): StoredRow | undefined {
    return this.overlay?.tables.get(table)?.rows.get(key) ?? this.db.tables.get(table)?.rows.get(key);
  }

  /** Every row of a table, the open checkpoint's version where it has one. */
  private *rows(table: string): Iterable<StoredRow> {
    const changed = this.overlay?.tables.get(table)?.rows ?? new Map<string, StoredRow>();
    for (const [key, row] of this.db.tables.get(table)?.rows ?? []) if (!changed.has(key)) yield row;
    yield* changed.values();
  }

  private upsert(spec: TableSpec, rows: readonly Row[]): WriteCounts {
    const counts: WriteCounts = { inserted: 0, updated: 0, unchanged: 0, stale: 0 };
    if (rows.length === 0) return counts;
    const table = this.writable(spec);
    const added = this.addColumns(spec, table, rows);
    if (added.length > 0) counts.addedColumns = added;
    const columns = [...table.columns.keys()];
    const syncedAt = this.now().toISOString();
    for (const row of rows) {
      const key = keyOf(spec.primaryKey, row);
      const next: StoredRow = {};
      for (const column of columns) next[column] = cell(Object.hasOwn(row, column) ? row[column] : undefined);
      const stored = this.row(spec.table, key);
      if (stored) {
        const older = notOlder(next[spec.cursorField] ?? null, stored[spec.cursorField] ?? null);
        const differs = stored[DELETED] !== 0 || columns.some((c) => !spec.primaryKey.includes(c) && next[c] !== stored[c]);
        if (!older || !differs) {
          if (older === false && isStale(next[spec.cursorField] ?? null, stored[spec.cursorField] ?? null)) counts.stale++;
          else counts.unchanged++;
          continue;
        }
        counts.updated++;
      } else counts.inserted++;
      table.rows.set(key, { ...next, [SYNCED_AT]: syncedAt, [DELETED]: 0 });
    }
    return counts;
  }

  /** Adds the columns the rows bring (a new table gets its declared columns and keys too); returns those added to an existing table. */
  private addColumns(spec: TableSpec, table: MemoryTable, rows: readonly Row[]): { column: string; type: string }[] {
    const declared = spec.columns ?? {};
    const created = table.columns.size === 0;
    if (created) for (const name of [...spec.primaryKey, ...Object.keys(declared)]) table.columns.set(name, typeOf(declared[name], undefined));
    const added: { column: string; type: string }[] = [];
    for (const row of rows) {
      for (const name of Object.keys(row)) {
        if (table.columns.has(name) || MANAGED.has(name)) continue;
        const type = typeOf(Object.hasOwn(declared, name) ? declared[name] : undefined, row[name]);
        table.columns.set(name, type);
        if (!created) added.push({ column: name, type });
      }
    }
    return added;
  }

  /** A full refresh's keys, kept with each page; on its last page, rows not seen (at or after `since`) are marked deleted. */
  private refresh(spec: TableSpec, rows: readonly Row[], step: RefreshStep): number {
    const overlay = this.overlay as Overlay;
    const before = overlay.seen.has(spec.table) ? overlay.seen.get(spec.table) : this.db.seen.get(spec.table);
    const seen = new Set(step.start ? [] : (before ?? []));
    for (const row of rows) seen.add(keyOf(spec.primaryKey, row));
    overlay.seen.set(spec.table, seen);
    if (!step.finish) return 0;
    overlay.seen.set(spec.table, null);
    if (!this.overlay?.tables.has(spec.table) && !this.db.tables.has(spec.table)) return 0;
    const since = step.since ?? null;
    const syncedAt = this.now().toISOString();
    const marked: [string, StoredRow][] = [];
    for (const row of this.rows(spec.table)) {
      const key = keyOf(spec.primaryKey, row as Row);
      if (row[DELETED] || seen.has(key)) continue;
      const at = row[spec.cursorField] ?? null;
      if (since !== null && (at === null || isStale(at, since))) continue;
      marked.push([key, { ...row, [DELETED]: 1, [SYNCED_AT]: syncedAt }]);
    }
    const table = this.writable(spec);
    for (const [key, row] of marked) table.rows.set(key, row);
    return marked.length;
  }
}

export { MemoryDatabase };

/** SQL's order for the values of `columns`: numbers before text, each in its own order. */
function compareRows(a: Row, b: Row, columns: readonly string[]): number {
  for (const c of columns) {
    const [x, y] = [a[c], b[c]];
    if (x === y) continue;
    if (typeof x === "number" && typeof y !== "number") return -1;
    if (typeof y === "number" && typeof x !== "number") return 1;
    return (x as string | number) < (y as string | number) ? -1 : 1;
  }
  return 0;
}
