// The store contract: the same cases against every Store (as Hono's routers share one runTest). They speak only
// the Store interface and openStore's options; a destination may add peeks (column types, a foreign table).
// A new store's test file is one line: storeContract("name", () => itsDestination()).
import { describe, expect, test } from "bun:test";
import type { TableSpec, WriteCounts } from "../../src/store/types";
import { harness, none, row, spec, type Destination } from "./contract-harness";
import { storeContractAdmin } from "./contract-admin";

export type { Destination };

/** Every case, in two groups: rows and state here, tables, runs, locks and readers in contract-admin.ts. */
export function storeContract(name: string, fresh: () => Promise<Destination>): void {
  describe(`store contract: ${name}`, () => {
    const h = harness(fresh);

    test("counts inserted, updated, unchanged and stale rows; a key twice in one page is inserted, then updated", async () => {
      await h.setUp();
      const store = await h.openStore();
      expect(await h.commit(store, [row("a", "2024-01-02T00:00:00Z"), row("b", "2024-01-02T00:00:00Z")], { s: 1 })).toEqual({ ...none, inserted: 2 });
      const page = [
        row("a", "2024-01-02T00:00:00Z"),
        row("b", "2024-01-01T00:00:00Z", "old"),
        row("c", "2024-01-03T00:00:00Z"),
        row("c", "2024-01-04T00:00:00Z", "newer"),
      ];
      expect(await h.commit(store, page, { s: 2 })).toEqual({ inserted: 1, updated: 1, unchanged: 1, stale: 1 });
      // The stale b did not overwrite: the stored b is still the newer one, so writing it again changes nothing.
      expect(await h.commit(store, [row("b", "2024-01-02T00:00:00Z"), row("c", "2024-01-04T00:00:00Z", "newer")], { s: 3 })).toEqual({ ...none, unchanged: 2 });
      expect(await store.readState("user")).toEqual({ s: 3 });
      expect(await store.rowCounts("user")).toEqual({ live: 3, deleted: 0 });
    });

    test("the stale guard compares instants (fractions, offsets) and numbers, never text", async () => {
      await h.setUp();
      const pairs: [string | number, string | number, keyof WriteCounts][] = [
        ["2024-01-01T09:00:00.9Z", "2024-01-01T10:00:00.5+01:00", "stale"], // 09:00:00.5Z: older, though "10" > "09" as text
        ["2024-01-01T10:00:00.5+01:00", "2024-01-01T09:00:00Z", "stale"],
        ["2024-01-01T10:00:00+01:00", "2024-01-01T09:00:00.5Z", "updated"], // newer, though "09" < "10" as text
        ["2024-01-01T09:00:00Z", "2024-01-01T09:00:00.000001Z", "updated"],
        ["2024-01-01T09:00:00.000002Z", "2024-01-01T09:00:00.000001Z", "stale"],
        [10, 9, "stale"],
        [9, 10, "updated"],
      ];
      const store = await h.openStore({ tables: pairs.map((_, i) => `item${i}`) });
      for (const [i, [stored, incoming, expected]] of pairs.entries()) {
        const item = { table: `item${i}`, primaryKey: ["id"], cursorField: "at" };
        await h.commit(store, [{ id: 1, v: "first", at: stored }], {}, { spec: item });
        expect(await h.commit(store, [{ id: 1, v: "second", at: incoming }], {}, { spec: item }), `${stored} then ${incoming}`).toEqual({
          ...none,
          [expected]: 1,
        });
        // Whichever won is stored: writing the winner again is unchanged.
        const winner = expected === "stale" ? { id: 1, v: "first", at: stored } : { id: 1, v: "second", at: incoming };
        expect((await h.commit(store, [winner], {}, { spec: item })).unchanged).toBe(1);
      }
    });

    test("rows and state are durable together at a checkpoint; pages not checkpointed are gone after close and reopen", async () => {
      await h.setUp();
      const store = await h.openStore();
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
      const again = await h.openStore();
      expect(await again.readState("user")).toEqual({ page: 2 });
      expect(await again.rowCounts("user")).toEqual({ live: 3, deleted: 0 });
    });

    test("a failing page discards the whole open checkpoint; the next page starts a new one", async () => {
      await h.setUp();
      const store = await h.openStore();
      await h.commit(store, [row("a", 1)], { page: 1 });
      await store.writePage({ spec, rows: [row("b", 1)], state: { page: 2 } });
      const failing = store.writePage({
        spec,
        rows: [row("c", 1)],
        state: { page: 3 },
        midTransaction: () => {
          throw new Error("disk full");
        },
      });
      await expect(failing).rejects.toThrow("disk full");
      expect(store.pending).toBe(false);
      expect(await store.checkpoint()).toBe(false);
      expect(await store.readState("user")).toEqual({ page: 1 });
      expect(await store.rowCounts("user")).toEqual({ live: 1, deleted: 0 });
      expect(await h.commit(store, [row("c", 1)], { page: 3 })).toEqual({ ...none, inserted: 1 });
      expect(await store.rowCounts("user")).toEqual({ live: 2, deleted: 0 });
    });

    test("a full refresh marks the rows it did not find _deleted on its last page only, from `since` on", async () => {
      await h.setUp();
      const store = await h.openStore();
      await h.commit(
        store,
        ["a", "b", "c", "d"].map((id) => row(id, "2024-01-01T00:00:00Z")),
        {},
      );
      expect((await h.commit(store, [row("a", "2024-01-01T00:00:00Z")], {}, { refresh: { start: true, finish: false } })).deleted).toBe(0);
      expect(await store.rowCounts("user")).toEqual({ live: 4, deleted: 0 });
      const last = await h.commit(store, [row("c", "2024-01-01T00:00:00Z"), row("e", "2024-01-01T00:00:00Z")], {}, { refresh: { start: false, finish: true } });
      expect(last).toEqual({ ...none, inserted: 1, unchanged: 1, deleted: 2 });
      expect(await store.rowCounts("user")).toEqual({ live: 3, deleted: 2 });
      // A deleted row that comes back, even unchanged, is live again.
      expect(await h.commit(store, [row("b", "2024-01-01T00:00:00Z")], {})).toEqual({ ...none, updated: 1 });
      expect(await store.rowCounts("user")).toEqual({ live: 4, deleted: 1 });
      // A refresh from a cursor proves absent only rows at or after it; an abandoned refresh's keys are forgotten.
      await h.commit(store, [row("old", "2023-01-01T00:00:00Z"), row("new", "2024-06-01T00:00:00Z")], {});
      await h.commit(store, [row("a", "2024-01-01T00:00:00Z")], {}, { refresh: { start: true, finish: false } });
      const since = await h.commit(store, [row("b", "2024-01-01T00:00:00Z")], {}, { refresh: { start: true, finish: true, since: "2024-01-01T00:00:00Z" } });
      expect(since.deleted).toBe(4); // a, c, e, new; not old (before since), not b (seen), not d (deleted already)
      expect(await store.rowCounts("user")).toEqual({ live: 2, deleted: 5 });
    });

    test("a refresh that fails on its last page marks nothing", async () => {
      await h.setUp();
      const store = await h.openStore();
      await h.commit(store, [row("a", 1), row("b", 1)], { at: 1 });
      await h.commit(store, [row("a", 1)], { at: 2 }, { refresh: { start: true, finish: false } });
      const failing = store.writePage({
        spec,
        rows: [],
        state: { at: 3 },
        refresh: { start: false, finish: true },
        midTransaction: () => {
          throw new Error("killed");
        },
      });
      await expect(failing).rejects.toThrow("killed");
      expect(await store.rowCounts("user")).toEqual({ live: 2, deleted: 0 });
      expect(await store.readState("user")).toEqual({ at: 2 });
      // The keys seen before the failure were committed with their page: the refresh finishes from there.
      expect((await h.commit(store, [], { at: 3 }, { refresh: { start: false, finish: true } })).deleted).toBe(1);
    });

    test("new fields add columns, reported with the store's type; declared columns take their declared type", async () => {
      await h.setUp();
      const store = await h.openStore({ tables: ["user", "typed"] });
      expect((await h.commit(store, [row("a", 1)], {})).addedColumns).toBeUndefined();
      const added = await h.commit(store, [{ ...row("b", 1), age: 30, tags: ["x"] }], {});
      expect(added.inserted).toBe(1);
      expect(added.addedColumns?.map((c) => c.column).sort()).toEqual(["age", "tags"]);
      for (const column of added.addedColumns ?? []) expect(column.type).not.toBe("");
      const typed: TableSpec = {
        table: "typed",
        primaryKey: ["id"],
        cursorField: "updatedAt",
        columns: { id: "STRING", n: "INT", score: "DOUBLE", flag: "BOOLEAN" },
      };
      expect((await h.commit(store, [{ id: "1", updatedAt: 1 }], {}, { spec: typed })).addedColumns).toBeUndefined();
      const later = await h.commit(
        store,
        [{ id: "2", updatedAt: 1, n: 5, extra: "x" }],
        {},
        { spec: { ...typed, columns: { ...typed.columns, extra: "JSON" } } },
      );
      expect(later.addedColumns?.map((c) => c.column)).toEqual(["extra"]);
      if (h.destination.typeName) expect(later.addedColumns?.[0]?.type).toBe(h.destination.typeName("JSON"));
      if (h.destination.columnType && h.destination.typeName) {
        for (const [column, type] of Object.entries(typed.columns ?? {}))
          expect(await h.destination.columnType("typed", column)).toBe(h.destination.typeName(type));
      }
      expect(await store.rowCounts("typed")).toEqual({ live: 2, deleted: 0 });
    });

    test("composite keys", async () => {
      await h.setUp();
      const store = await h.openStore({ tables: ["ev"] });
      const events: TableSpec = { table: "ev", primaryKey: ["a", "b"], cursorField: "t" };
      expect(
        await h.commit(
          store,
          [
            { a: 1, b: "x", t: 1 },
            { a: 1, b: "y", t: 1 },
          ],
          {},
          { spec: events },
        ),
      ).toEqual({ ...none, inserted: 2 });
      expect(
        await h.commit(
          store,
          [
            { a: 1, b: "x", t: 2 },
            { a: 2, b: "x", t: 1 },
          ],
          {},
          { spec: events },
        ),
      ).toEqual({ ...none, inserted: 1, updated: 1 });
      expect(await store.rowCounts("ev")).toEqual({ live: 3, deleted: 0 });
    });

    test("state alone: committed at once without a checkpoint, with the checkpoint when one is open; allStates by stream", async () => {
      await h.setUp();
      const store = await h.openStore({ tables: ["user", "other"] });
      expect(await store.allStates()).toEqual({});
      expect(await store.readState("user")).toBeNull();
      await store.saveState("user", { cursor: "a" });
      const reader = await h.openStore({ mode: "reader", tables: undefined });
      expect(await reader.readState("user")).toEqual({ cursor: "a" });
      await store.writePage({ spec: { ...spec, table: "other" }, rows: [row("x", 1)], state: { o: 1 } });
      await store.saveState("user", { cursor: "b" });
      expect(await reader.readState("user")).toEqual({ cursor: "a" });
      await store.checkpoint();
      expect(await reader.allStates()).toEqual({ other: { o: 1 }, user: { cursor: "b" } });
    });
  });
  storeContractAdmin(name, fresh);
}
