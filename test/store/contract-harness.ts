// The store contract's per-case harness: a fresh destination per case, the stores a case opens closed after it.
import { afterEach, expect } from "bun:test";
import type { ColumnType, OpenOptions, RefreshStep, Row, Store, StreamState, TableSpec, WriteCounts } from "../../src/store/types";

/** One fresh, empty destination, opened as often as a case asks (to reopen it, to open a reader beside a writer). */
export interface Destination {
  open(options: OpenOptions): Promise<Store>;
  /** The store's type name for a declared column type (as WriteCounts.addedColumns reports it). */
  typeName?(type: ColumnType): string;
  /** A column's type as the destination holds it, or null: proves declared types at table creation. */
  columnType?(table: string, column: string): Promise<string | null>;
  /** Creates a table the connector did not create (without _synced_at): a writer must refuse it. */
  createForeignTable?(table: string): Promise<void>;
  /** Removes what the destination left behind. */
  dispose?(): Promise<void>;
}

export const spec: TableSpec = { table: "user", primaryKey: ["id"], cursorField: "updatedAt" };
export const row = (id: string, updatedAt: string | number, name = `n-${id}`): Row => ({ id, name, updatedAt });
export const none = { inserted: 0, updated: 0, unchanged: 0, stale: 0 };

export interface Harness {
  readonly destination: Destination;
  setUp(): Promise<void>;
  /** Opens the current destination (a writer of "user" unless told otherwise). */
  openStore(options?: Partial<OpenOptions>): Promise<Store>;
  /** Writes one page and commits it. */
  commit(store: Store, rows: readonly Row[], state: StreamState, extra?: { spec?: TableSpec; refresh?: RefreshStep }): Promise<WriteCounts>;
}

/** Call inside a describe: registers the cleanup after each case. */
export function harness(fresh: () => Promise<Destination>): Harness {
  let destination: Destination | undefined;
  const open: Store[] = [];
  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
    await destination?.dispose?.();
  });
  return {
    get destination() {
      if (!destination) throw new Error("setUp() first");
      return destination;
    },
    setUp: async () => {
      destination = await fresh();
    },
    openStore: async (options = {}) => {
      const store = await (destination as Destination).open({ mode: "writer", tables: ["user"], ...options });
      open.push(store);
      return store;
    },
    commit: async (store, rows, state, extra = {}) => {
      const counts = await store.writePage({ spec: extra.spec ?? spec, rows, state, refresh: extra.refresh });
      expect(await store.checkpoint()).toBe(true);
      return counts;
    },
  };
}
