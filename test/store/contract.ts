// The store contract: the same cases against every Store (as Hono's routers share one runTest). They speak only
// the Store interface and openStore's options; a destination may add peeks (column types, a foreign table).
// A new store's test file is one line: storeContract("name", () => itsDestination()).
import { afterEach, describe, expect, test } from "bun:test";
import type { ColumnType, OpenOptions, RefreshStep, Row, RunRecord, Store, StreamState, TableSpec, WriteCounts } from "../../src/store/types";

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

const spec: TableSpec = { table: "user", primaryKey: ["id"], cursorField: "updatedAt" };
const row = (id: string, updatedAt: string | number, name = `n-${id}`): Row => ({ id, name, updatedAt });
const none = { inserted: 0, updated: 0, unchanged: 0, stale: 0 };

export function storeContract(name: string, fresh: () => Promise<Destination>): void {
  describe(`store contract: ${name}`, () => {
    let destination: Destination;
    const open: Store[] = [];
    /** Opens the current destination; every store a case opens is closed after it. */
    const openStore = async (options: Partial<OpenOptions> = {}): Promise<Store> => {
      const store = await destination.open({ mode: "writer", tables: ["user"], ...options });
      open.push(store);
      return store;
    };
    const commit = async (store: Store, rows: readonly Row[], state: StreamState, extra: { spec?: TableSpec; refresh?: RefreshStep } = {}): Promise<WriteCounts> => {
      const counts = await store.writePage({ spec: extra.spec ?? spec, rows, state, refresh: extra.refresh });
      expect(await store.checkpoint()).toBe(true);
      return counts;
    };
    const setUp = async () => {
      destination = await fresh();
    };
    afterEach(async () => {
      for (const store of open.splice(0)) await store.close();
      await destination?.dispose?.();
    });

    test("counts inserted, updated, unchanged and stale rows; a key twice in one page is inserted, then updated", async () => {
      await setUp();
      const store = await openStore();
      expect(await commit(store, [row("a", "2024-01-02T00:00:00Z"), row("b", "2024-01-02T00:00:00Z")], { s: 1 })).toEqual({ ...none, inserted: 2 });
      const page = [row("a", "2024-01-02T00:00:00Z"), row("b", "2024-01-01T00:00:00Z", "old"), row("c", "2024-01-03T00:00:00Z"), row("c", "2024-01-04T00:00:00Z", "newer")];
      expect(await commit(store, page, { s: 2 })).toEqual({ inserted: 1, updated: 1, unchanged: 1, stale: 1 });
      // The stale b did not overwrite: the stored b is still the newer one, so writing it again changes nothing.
      expect(await commit(store, [row("b", "2024-01-02T00:00:00Z"), row("c", "2024-01-04T00:00:00Z", "newer")], { s: 3 })).toEqual({ ...none, unchanged: 2 });
      expect(await store.readState("user")).toEqual({ s: 3 });
      expect(await store.rowCounts("user")).toEqual({ live: 3, deleted: 0 });
    });

    test("the stale guard compares instants (fractions, offsets) and numbers, never text", async () => {
      await setUp();
      const pairs: [string | number, string | number, keyof WriteCounts][] = [
        ["2024-01-01T09:00:00.9Z", "2024-01-01T10:00:00.5+01:00", "stale"], // 09:00:00.5Z: older, though "10" > "09" as text
        ["2024-01-01T10:00:00.5+01:00", "2024-01-01T09:00:00Z", "stale"],
        ["2024-01-01T10:00:00+01:00", "2024-01-01T09:00:00.5Z", "updated"], // newer, though "09" < "10" as text
        ["2024-01-01T09:00:00Z", "2024-01-01T09:00:00.000001Z", "updated"],
        ["2024-01-01T09:00:00.000002Z", "2024-01-01T09:00:00.000001Z", "stale"],
        [10, 9, "stale"],
        [9, 10, "updated"],
      ];
      const store = await openStore({ tables: pairs.map((_, i) => `item${i}`) });
      for (const [i, [stored, incoming, expected]] of pairs.entries()) {
        const item = { table: `item${i}`, primaryKey: ["id"], cursorField: "at" };
        await commit(store, [{ id: 1, v: "first", at: stored }], {}, { spec: item });
        expect(await commit(store, [{ id: 1, v: "second", at: incoming }], {}, { spec: item }), `${stored} then ${incoming}`).toEqual({ ...none, [expected]: 1 });
        // Whichever won is stored: writing the winner again is unchanged.
        const winner = expected === "stale" ? { id: 1, v: "first", at: stored } : { id: 1, v: "second", at: incoming };
        expect((await commit(store, [winner], {}, { spec: item })).unchanged).toBe(1);
      }
    });

    test("rows and state are durable together at a checkpoint; pages not checkpointed are gone after close and reopen", async () => {
      await setUp();
      const store = await openStore();
      expect(store.pending).toBe(false);
      await store.writePage({ spec, rows: [row("a", 1), row("b", 1)], state: { page: 1 } });
      expect(store.pending).toBe(true);
      await store.writePage({ spec, rows: [row("c", 1)], state: { page: 2 } });
      expect(await store.checkpoint()).toBe(true);
      expect(store.pending).toBe(false);
      expect(await store.checkpoint()).toBe(false);
      await store.writePage({ spec, rows: [row("d", 1), row("e", 1)], state: { page: 3 } });
      expect(await store.readState("user")).toEqual({ page: 3 }); // the writer sees its own open checkpoint
      await store.close();
      await store.close(); // safe twice
      const again = await openStore();
      expect(await again.readState("user")).toEqual({ page: 2 });
      expect(await again.rowCounts("user")).toEqual({ live: 3, deleted: 0 });
    });

    test("a failing page discards the whole open checkpoint; the next page starts a new one", async () => {
      await setUp();
      const store = await openStore();
      await commit(store, [row("a", 1)], { page: 1 });
      await store.writePage({ spec, rows: [row("b", 1)], state: { page: 2 } });
      const failing = store.writePage({ spec, rows: [row("c", 1)], state: { page: 3 }, midTransaction: () => { throw new Error("disk full"); } });
      await expect(failing).rejects.toThrow("disk full");
      expect(store.pending).toBe(false);
      expect(await store.checkpoint()).toBe(false);
      expect(await store.readState("user")).toEqual({ page: 1 });
      expect(await store.rowCounts("user")).toEqual({ live: 1, deleted: 0 });
      expect(await commit(store, [row("c", 1)], { page: 3 })).toEqual({ ...none, inserted: 1 });
      expect(await store.rowCounts("user")).toEqual({ live: 2, deleted: 0 });
    });

    test("a full refresh marks the rows it did not find _deleted on its last page only, from `since` on", async () => {
      await setUp();
      const store = await openStore();
      await commit(store, ["a", "b", "c", "d"].map((id) => row(id, "2024-01-01T00:00:00Z")), {});
      expect((await commit(store, [row("a", "2024-01-01T00:00:00Z")], {}, { refresh: { start: true, finish: false } })).deleted).toBe(0);
      expect(await store.rowCounts("user")).toEqual({ live: 4, deleted: 0 });
      const last = await commit(store, [row("c", "2024-01-01T00:00:00Z"), row("e", "2024-01-01T00:00:00Z")], {}, { refresh: { start: false, finish: true } });
      expect(last).toEqual({ ...none, inserted: 1, unchanged: 1, deleted: 2 });
      expect(await store.rowCounts("user")).toEqual({ live: 3, deleted: 2 });
      // A deleted row that comes back, even unchanged, is live again.
      expect(await commit(store, [row("b", "2024-01-01T00:00:00Z")], {})).toEqual({ ...none, updated: 1 });
      expect(await store.rowCounts("user")).toEqual({ live: 4, deleted: 1 });
      // A refresh from a cursor proves absent only rows at or after it; an abandoned refresh's keys are forgotten.
      await commit(store, [row("old", "2023-01-01T00:00:00Z"), row("new", "2024-06-01T00:00:00Z")], {});
      await commit(store, [row("a", "2024-01-01T00:00:00Z")], {}, { refresh: { start: true, finish: false } });
      const since = await commit(store, [row("b", "2024-01-01T00:00:00Z")], {}, { refresh: { start: true, finish: true, since: "2024-01-01T00:00:00Z" } });
      expect(since.deleted).toBe(4); // a, c, e, new; not old (before since), not b (seen), not d (deleted already)
      expect(await store.rowCounts("user")).toEqual({ live: 2, deleted: 5 });
    });

    test("a refresh that fails on its last page marks nothing", async () => {
      await setUp();
      const store = await openStore();
      await commit(store, [row("a", 1), row("b", 1)], { at: 1 });
      await commit(store, [row("a", 1)], { at: 2 }, { refresh: { start: true, finish: false } });
      const failing = store.writePage({ spec, rows: [], state: { at: 3 }, refresh: { start: false, finish: true }, midTransaction: () => { throw new Error("killed"); } });
      await expect(failing).rejects.toThrow("killed");
      expect(await store.rowCounts("user")).toEqual({ live: 2, deleted: 0 });
      expect(await store.readState("user")).toEqual({ at: 2 });
      // The keys seen before the failure were committed with their page: the refresh finishes from there.
      expect((await commit(store, [], { at: 3 }, { refresh: { start: false, finish: true } })).deleted).toBe(1);
    });

    test("new fields add columns, reported with the store's type; declared columns take their declared type", async () => {
      await setUp();
      const store = await openStore({ tables: ["user", "typed"] });
      expect((await commit(store, [row("a", 1)], {})).addedColumns).toBeUndefined();
      const added = await commit(store, [{ ...row("b", 1), age: 30, tags: ["x"] }], {});
      expect(added.inserted).toBe(1);
      expect(added.addedColumns?.map((c) => c.column).sort()).toEqual(["age", "tags"]);
      for (const column of added.addedColumns ?? []) expect(column.type).not.toBe("");
      const typed: TableSpec = { table: "typed", primaryKey: ["id"], cursorField: "updatedAt", columns: { id: "STRING", n: "INT", score: "DOUBLE", flag: "BOOLEAN" } };
      expect((await commit(store, [{ id: "1", updatedAt: 1 }], {}, { spec: typed })).addedColumns).toBeUndefined();
      const later = await commit(store, [{ id: "2", updatedAt: 1, n: 5, extra: "x" }], {}, { spec: { ...typed, columns: { ...typed.columns, extra: "JSON" } } });
      expect(later.addedColumns?.map((c) => c.column)).toEqual(["extra"]);
      if (destination.typeName) expect(later.addedColumns?.[0]?.type).toBe(destination.typeName("JSON"));
      if (destination.columnType && destination.typeName) {
        for (const [column, type] of Object.entries(typed.columns ?? {})) expect(await destination.columnType("typed", column)).toBe(destination.typeName(type));
      }
      expect(await store.rowCounts("typed")).toEqual({ live: 2, deleted: 0 });
    });

    test("composite keys", async () => {
      await setUp();
      const store = await openStore({ tables: ["ev"] });
      const events: TableSpec = { table: "ev", primaryKey: ["a", "b"], cursorField: "t" };
      expect(await commit(store, [{ a: 1, b: "x", t: 1 }, { a: 1, b: "y", t: 1 }], {}, { spec: events })).toEqual({ ...none, inserted: 2 });
      expect(await commit(store, [{ a: 1, b: "x", t: 2 }, { a: 2, b: "x", t: 1 }], {}, { spec: events })).toEqual({ ...none, inserted: 1, updated: 1 });
      expect(await store.rowCounts("ev")).toEqual({ live: 3, deleted: 0 });
    });

    test("state alone: committed at once without a checkpoint, with the checkpoint when one is open; allStates by stream", async () => {
      await setUp();
      const store = await openStore({ tables: ["user", "other"] });
      expect(await store.allStates()).toEqual({});
      expect(await store.readState("user")).toBeNull();
      await store.saveState("user", { cursor: "a" });
      const reader = await openStore({ mode: "reader", tables: undefined });
      expect(await reader.readState("user")).toEqual({ cursor: "a" });
      await store.writePage({ spec: { ...spec, table: "other" }, rows: [row("x", 1)], state: { o: 1 } });
      await store.saveState("user", { cursor: "b" });
      expect(await reader.readState("user")).toEqual({ cursor: "a" });
      await store.checkpoint();
      expect(await reader.allStates()).toEqual({ other: { o: 1 }, user: { cursor: "b" } });
    });

    test("tables, row counts and reset of one table or all, with their state and runs", async () => {
      await setUp();
      const store = await openStore({ tables: ["user", "other"] });
      expect(await store.tableExists("user")).toBe(false);
      expect(await store.rowCounts("user")).toBeNull();
      await commit(store, [row("a", 1)], { u: 1 });
      await commit(store, [row("b", 1), row("c", 1)], { o: 1 }, { spec: { ...spec, table: "other" } });
      await store.finishRun(await store.startRun("user", "src", "2024-01-01T00:00:00Z"), { endedAt: "2024-01-01T00:01:00Z", outcome: "ok", rows: 1, pages: 1 });
      await store.startRun("other", null, "2024-01-01T00:00:00Z");
      expect(await store.tableExists("user")).toBe(true);
      await store.close();
      const admin = await openStore({ mode: "admin", tables: ["user"] });
      expect(await admin.reset("user")).toEqual(["user"]);
      expect(await admin.tableExists("user")).toBe(false);
      expect(await admin.allStates()).toEqual({ other: { o: 1 } });
      expect(await admin.streamsWithRuns()).toEqual(["other"]);
      expect(await admin.rowCounts("other")).toEqual({ live: 2, deleted: 0 });
      expect(await admin.reset()).toEqual(["other"]);
      expect(await admin.allStates()).toEqual({});
      expect(await admin.streamsWithRuns()).toEqual([]);
      expect(await admin.tableExists("other")).toBe(false);
    });

    test("runs: started, finished with their outcome and error, newest first, per stream", async () => {
      await setUp();
      const store = await openStore({ tables: ["user", "b"] });
      expect(await store.recentRuns("user")).toEqual([]);
      expect(await store.streamsWithRuns()).toEqual([]);
      const first = await store.startRun("user", "http://api.test/users", "2024-01-01T00:00:00Z");
      await store.finishRun(first, { endedAt: "2024-01-01T00:05:00Z", outcome: "failed", rows: 10, pages: 1, error: { code: "http", message: "503 from the API" } });
      const second = await store.startRun("user", null, "2024-01-02T00:00:00Z");
      await store.startRun("b", null, "2024-01-02T00:00:00Z");
      expect(second).not.toBe(first);
      const [newest, older, ...rest] = await store.recentRuns("user", 10);
      expect(rest).toEqual([]);
      expect(newest).toEqual({ id: second, stream: "user", source: null, pid: process.pid, startedAt: "2024-01-02T00:00:00Z", endedAt: null, outcome: "running", rows: null, pages: null, errorCode: null, errorMessage: null });
      expect(older).toEqual({ id: first, stream: "user", source: "http://api.test/users", pid: process.pid, startedAt: "2024-01-01T00:00:00Z", endedAt: "2024-01-01T00:05:00Z", outcome: "failed", rows: 10, pages: 1, errorCode: "http", errorMessage: "503 from the API" });
      expect(await store.recentRuns("user", 1)).toEqual([newest as RunRecord]);
      expect(await store.streamsWithRuns()).toEqual(["b", "user"]);
      const reader = await openStore({ mode: "reader", tables: undefined });
      expect((await reader.recentRuns("user"))[0]?.outcome).toBe("running"); // committed at once
    });

    test("one writer per table: a second is refused at once, and an admin too; free again after close", async () => {
      await setUp();
      const first = await openStore();
      const started = performance.now();
      const second = destination.open({ mode: "writer", tables: ["user"] });
      await expect(second).rejects.toMatchObject({ code: "db_locked" });
      await expect(second).rejects.toThrow("in use by another sync");
      await expect(destination.open({ mode: "admin", tables: ["user"] })).rejects.toMatchObject({ code: "db_locked" });
      expect(performance.now() - started).toBeLessThan(2000);
      await first.close();
      const third = await openStore();
      expect(third.pending).toBe(false);
    });

    test("a reader opened while a writer holds uncommitted pages sees the last checkpoint, and never blocks the writer", async () => {
      await setUp();
      const writer = await openStore();
      await commit(writer, [row("a", 1)], { c: 1 });
      await writer.writePage({ spec, rows: [row("b", 1), row("c", 1)], state: { c: 2 } });
      const reader = await openStore({ mode: "reader", tables: undefined });
      expect(reader.location).toBe(writer.location);
      expect(await reader.readState("user")).toEqual({ c: 1 });
      expect(await reader.rowCounts("user")).toEqual({ live: 1, deleted: 0 });
      expect(await writer.checkpoint()).toBe(true);
      await writer.writePage({ spec, rows: [row("d", 1)], state: { c: 3 } });
      expect(await writer.checkpoint()).toBe(true);
      const later = await openStore({ mode: "reader", tables: undefined });
      expect(await later.readState("user")).toEqual({ c: 3 });
      expect(await later.rowCounts("user")).toEqual({ live: 4, deleted: 0 });
    });

    test("readers and admins never create a destination; a writer refuses a table it did not create", async () => {
      await setUp();
      await expect(destination.open({ mode: "reader", mustExist: true })).rejects.toThrow();
      await expect(destination.open({ mode: "admin", mustExist: true })).rejects.toThrow();
      if (!destination.createForeignTable) return;
      await destination.createForeignTable("theirs");
      await expect(destination.open({ mode: "writer", tables: ["theirs"] })).rejects.toMatchObject({ code: "db_foreign" });
      const ours = await openStore(); // another table is fine
      expect(await ours.tableExists("theirs")).toBe(true);
    });

    test("syncedSince: the live rows written after an instant (up to another), distinct by the columns asked, with the newest instant", async () => {
      await setUp();
      let now = "2030-01-01T00:00:01.000Z";
      const store = await openStore({ now: () => new Date(now) });
      expect(await store.syncedSince("user", ["id"], null)).toEqual({ rows: [], newest: null });
      await commit(store, [row("b", "2024-01-01T00:00:00Z"), row("a", "2024-01-01T00:00:00Z"), row("c", "2024-01-01T00:00:00Z")], {});
      now = "2030-01-01T00:00:02.000Z";
      // a changes, b comes again unchanged (its _synced_at stays), d is new.
      await commit(store, [row("a", "2024-01-02T00:00:00Z", "changed"), row("b", "2024-01-01T00:00:00Z"), row("d", "2024-01-02T00:00:00Z")], {});
      expect(await store.syncedSince("user", ["id"], null)).toEqual({ rows: [{ id: "a" }, { id: "b" }, { id: "c" }, { id: "d" }], newest: "2030-01-01T00:00:02.000Z" });
      expect(await store.syncedSince("user", ["id"], "2030-01-01T00:00:01.500Z")).toEqual({ rows: [{ id: "a" }, { id: "d" }], newest: "2030-01-01T00:00:02.000Z" });
      expect(await store.syncedSince("user", ["id"], "2030-01-01T00:00:02.000Z")).toEqual({ rows: [], newest: null });
      expect(await store.syncedSince("user", ["id"], null, "2030-01-01T00:00:01.000Z")).toEqual({ rows: [{ id: "b" }, { id: "c" }], newest: "2030-01-01T00:00:01.000Z" });
      expect(await store.syncedSince("user", ["name"], "2030-01-01T00:00:01.000Z")).toEqual({ rows: [{ name: "changed" }, { name: "n-d" }], newest: "2030-01-01T00:00:02.000Z" });
      // A full refresh that no longer finds c and d marks them deleted: they are no parents any more.
      now = "2030-01-01T00:00:03.000Z";
      await commit(store, [row("a", "2024-01-02T00:00:00Z", "changed"), row("b", "2024-01-01T00:00:00Z")], {}, { refresh: { start: true, finish: true, since: null } });
      expect((await store.syncedSince("user", ["id"], null)).rows).toEqual([{ id: "a" }, { id: "b" }]);
    });
  });
}
