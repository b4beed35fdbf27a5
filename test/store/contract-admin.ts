// The store contract, second half: tables and reset, runs, one writer per table, readers, syncedSince.
import { describe, expect, test } from "bun:test";
import type { RunRecord } from "../../src/store/types";
import { harness, row, spec, type Destination } from "./contract-harness";

export function storeContractAdmin(name: string, fresh: () => Promise<Destination>): void {
  describe(`store contract: ${name} (tables, runs, locks, readers)`, () => {
    const h = harness(fresh);

    test("tables, row counts and reset of one table or all, with their state and runs", async () => {
      await h.setUp();
      const store = await h.openStore({ tables: ["user", "other"] });
      expect(await store.tableExists("user")).toBe(false);
      expect(await store.rowCounts("user")).toBeNull();
      await h.commit(store, [row("a", 1)], { u: 1 });
      await h.commit(store, [row("b", 1), row("c", 1)], { o: 1 }, { spec: { ...spec, table: "other" } });
      await store.finishRun(await store.startRun("user", "src", "2024-01-01T00:00:00Z"), { endedAt: "2024-01-01T00:01:00Z", outcome: "ok", rows: 1, pages: 1 });
      await store.startRun("other", null, "2024-01-01T00:00:00Z");
      expect(await store.tableExists("user")).toBe(true);
      await store.close();
      const admin = await h.openStore({ mode: "admin", tables: ["user"] });
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
      await h.setUp();
      const store = await h.openStore({ tables: ["user", "b"] });
      expect(await store.recentRuns("user")).toEqual([]);
      expect(await store.streamsWithRuns()).toEqual([]);
      const first = await store.startRun("user", "http://api.test/users", "2024-01-01T00:00:00Z");
      await store.finishRun(first, {
        endedAt: "2024-01-01T00:05:00Z",
        outcome: "failed",
        rows: 10,
        pages: 1,
        error: { code: "http", message: "503 from the API" },
      });
      const second = await store.startRun("user", null, "2024-01-02T00:00:00Z");
      await store.startRun("b", null, "2024-01-02T00:00:00Z");
      expect(second).not.toBe(first);
      const [newest, older, ...rest] = await store.recentRuns("user", 10);
      expect(rest).toEqual([]);
      expect(newest).toEqual({
        id: second,
        stream: "user",
        source: null,
        pid: process.pid,
        startedAt: "2024-01-02T00:00:00Z",
        endedAt: null,
        outcome: "running",
        rows: null,
        pages: null,
        errorCode: null,
        errorMessage: null,
      });
      expect(older).toEqual({
        id: first,
        stream: "user",
        source: "http://api.test/users",
        pid: process.pid,
        startedAt: "2024-01-01T00:00:00Z",
        endedAt: "2024-01-01T00:05:00Z",
        outcome: "failed",
        rows: 10,
        pages: 1,
        errorCode: "http",
        errorMessage: "503 from the API",
      });
      expect(await store.recentRuns("user", 1)).toEqual([newest as RunRecord]);
      expect(await store.streamsWithRuns()).toEqual(["b", "user"]);
      const reader = await h.openStore({ mode: "reader", tables: undefined });
      expect((await reader.recentRuns("user"))[0]?.outcome).toBe("running"); // committed at once
    });

    test("one writer per table: a second is refused at once, and an admin too; free again after close", async () => {
      await h.setUp();
      const first = await h.openStore();
      const started = performance.now();
      const second = h.destination.open({ mode: "writer", tables: ["user"] });
      await expect(second).rejects.toMatchObject({ code: "db_locked" });
      await expect(second).rejects.toThrow("in use by another sync");
      await expect(h.destination.open({ mode: "admin", tables: ["user"] })).rejects.toMatchObject({ code: "db_locked" });
      expect(performance.now() - started).toBeLessThan(2000);
      await first.close();
      const third = await h.openStore();
      expect(third.pending).toBe(false);
    });

    test("a reader opened while a writer holds uncommitted pages sees the last checkpoint, and never blocks the writer", async () => {
      await h.setUp();
      const writer = await h.openStore();
      await h.commit(writer, [row("a", 1)], { c: 1 });
      await writer.writePage({ spec, rows: [row("b", 1), row("c", 1)], state: { c: 2 } });
      const reader = await h.openStore({ mode: "reader", tables: undefined });
      expect(reader.location).toBe(writer.location);
      expect(await reader.readState("user")).toEqual({ c: 1 });
      expect(await reader.rowCounts("user")).toEqual({ live: 1, deleted: 0 });
      expect(await writer.checkpoint()).toBe(true);
      await writer.writePage({ spec, rows: [row("d", 1)], state: { c: 3 } });
      expect(await writer.checkpoint()).toBe(true);
      const later = await h.openStore({ mode: "reader", tables: undefined });
      expect(await later.readState("user")).toEqual({ c: 3 });
      expect(await later.rowCounts("user")).toEqual({ live: 4, deleted: 0 });
    });

    test("readers and admins never create a destination; a writer refuses a table it did not create", async () => {
      await h.setUp();
      await expect(h.destination.open({ mode: "reader", mustExist: true })).rejects.toThrow();
      await expect(h.destination.open({ mode: "admin", mustExist: true })).rejects.toThrow();
      if (!h.destination.createForeignTable) return;
      await h.destination.createForeignTable("theirs");
      await expect(h.destination.open({ mode: "writer", tables: ["theirs"] })).rejects.toMatchObject({ code: "db_foreign" });
      const ours = await h.openStore(); // another table is fine
      expect(await ours.tableExists("theirs")).toBe(true);
    });

    test("syncedSince: the live rows written after an instant (up to another), distinct by the columns asked, with the newest instant", async () => {
      await h.setUp();
      let now = "2030-01-01T00:00:01.000Z";
      const store = await h.openStore({ now: () => new Date(now) });
      expect(await store.syncedSince("user", ["id"], null)).toEqual({ rows: [], newest: null });
      await h.commit(store, [row("b", "2024-01-01T00:00:00Z"), row("a", "2024-01-01T00:00:00Z"), row("c", "2024-01-01T00:00:00Z")], {});
      now = "2030-01-01T00:00:02.000Z";
      // a changes, b comes again unchanged (its _synced_at stays), d is new.
      await h.commit(store, [row("a", "2024-01-02T00:00:00Z", "changed"), row("b", "2024-01-01T00:00:00Z"), row("d", "2024-01-02T00:00:00Z")], {});
      expect(await store.syncedSince("user", ["id"], null)).toEqual({
        rows: [{ id: "a" }, { id: "b" }, { id: "c" }, { id: "d" }],
        newest: "2030-01-01T00:00:02.000Z",
      });
      expect(await store.syncedSince("user", ["id"], "2030-01-01T00:00:01.500Z")).toEqual({
        rows: [{ id: "a" }, { id: "d" }],
        newest: "2030-01-01T00:00:02.000Z",
      });
      expect(await store.syncedSince("user", ["id"], "2030-01-01T00:00:02.000Z")).toEqual({ rows: [], newest: null });
      expect(await store.syncedSince("user", ["id"], null, "2030-01-01T00:00:01.000Z")).toEqual({
        rows: [{ id: "b" }, { id: "c" }],
        newest: "2030-01-01T00:00:01.000Z",
      });
      expect(await store.syncedSince("user", ["name"], "2030-01-01T00:00:01.000Z")).toEqual({
        rows: [{ name: "changed" }, { name: "n-d" }],
        newest: "2030-01-01T00:00:02.000Z",
      });
      // A full refresh that no longer finds c and d marks them deleted: they are no parents any more.
      now = "2030-01-01T00:00:03.000Z";
      await h.commit(
        store,
        [row("a", "2024-01-02T00:00:00Z", "changed"), row("b", "2024-01-01T00:00:00Z")],
        {},
        { refresh: { start: true, finish: true, since: null } },
      );
      expect((await store.syncedSince("user", ["id"], null)).rows).toEqual([{ id: "a" }, { id: "b" }]);
    });
  });
}
