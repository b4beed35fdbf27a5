// The store's half of a full refresh: keys seen per page, committed with it; unseen rows marked only at the end.
import { afterAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SqliteStore } from "../../../src/store/sqlite/sqlite-store";
import { commitPage, openSqlite } from "./helpers";

const dir = mkdtempSync(join(tmpdir(), "connector-refresh-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshPath = () => join(dir, `r${n++}.db`);
const spec = { table: "user", primaryKey: ["id"], cursorField: "updatedAt" };
const row = (id: string, name = `n-${id}`, updatedAt = "2024-01-01T00:00:00Z") => ({ id, name, updatedAt });
const marks = (store: SqliteStore, table = "user") => store.db.query(`SELECT id, _deleted AS d FROM "${table}" ORDER BY id`).all();
/** A database whose "user" table (one row, 'old') was created before soft deletes: no _deleted column. */
function legacyDb(): string {
  const path = freshPath();
  const legacy = new Database(path);
  legacy.run(`CREATE TABLE "user" (id TEXT NOT NULL, name TEXT, updatedAt TEXT, _synced_at TEXT NOT NULL, UNIQUE (id))`);
  legacy.run(`INSERT INTO "user" VALUES ('old', 'n', '2024-01-01T00:00:00Z', 'x')`);
  legacy.close();
  return path;
}
const seenTables = (store: SqliteStore) => store.db.query("SELECT name FROM sqlite_master WHERE name LIKE '_connector_seen_%'").all();

describe("full refresh in the store", () => {
  test("rows not seen by a finished refresh are marked; pages before the last mark nothing", async () => {
    const store = openSqlite(freshPath());
    await commitPage(
      store,
      spec,
      ["a", "b", "c", "d"].map((id) => row(id)),
      {},
    );
    expect((await commitPage(store, spec, [row("a")], {}, undefined, { start: true, finish: false })).deleted).toBe(0);
    expect(marks(store)).toEqual(["a", "b", "c", "d"].map((id) => ({ id, d: 0 })));
    const last = await commitPage(store, spec, [row("c"), row("e")], {}, undefined, { start: false, finish: true });
    expect(last).toEqual({ inserted: 1, updated: 0, unchanged: 1, stale: 0, deleted: 2 });
    expect(marks(store)).toEqual([
      { id: "a", d: 0 },
      { id: "b", d: 1 },
      { id: "c", d: 0 },
      { id: "d", d: 1 },
      { id: "e", d: 0 },
    ]);
    expect(seenTables(store)).toEqual([]);
    await store.close();
  });

  test("a deleted row that comes back, even unchanged, is live again and counted as updated", async () => {
    const store = openSqlite(freshPath());
    await commitPage(store, spec, [row("a"), row("b")], {});
    await commitPage(store, spec, [row("a")], {}, undefined, { start: true, finish: true });
    expect(marks(store)).toEqual([
      { id: "a", d: 0 },
      { id: "b", d: 1 },
    ]);
    expect(await commitPage(store, spec, [row("b")], {})).toEqual({ inserted: 0, updated: 1, unchanged: 0, stale: 0 });
    expect(marks(store)).toEqual([
      { id: "a", d: 0 },
      { id: "b", d: 0 },
    ]);
    await store.close();
  });

  test("a new refresh forgets the keys an abandoned one had seen", async () => {
    const store = openSqlite(freshPath());
    await commitPage(store, spec, [row("a"), row("b")], {});
    await commitPage(store, spec, [row("a"), row("b")], {}, undefined, { start: true, finish: false });
    expect((await commitPage(store, spec, [row("a")], {}, undefined, { start: true, finish: true })).deleted).toBe(1);
    expect(marks(store)).toEqual([
      { id: "a", d: 0 },
      { id: "b", d: 1 },
    ]);
    await store.close();
  });

  test("a failure inside the last page's transaction rolls the marks back with the page", async () => {
    const path = freshPath();
    const store = openSqlite(path);
    await commitPage(store, spec, [row("a"), row("b")], { at: 1 });
    await commitPage(store, spec, [row("a")], { at: 2 }, undefined, { start: true, finish: false });
    const crash = () => {
      throw new Error("killed");
    };
    expect(commitPage(store, spec, [row("c")], { at: 3 }, crash, { start: false, finish: true })).rejects.toThrow("killed");
    expect(marks(store)).toEqual([
      { id: "a", d: 0 },
      { id: "b", d: 0 },
    ]);
    expect(await store.readState("user")).toEqual({ at: 2 });
    expect(seenTables(store)).toEqual([{ name: "_connector_seen_user" }]);
    await store.close();
  });

  test("composite and integer keys; an empty source marks every row", async () => {
    const store = openSqlite(freshPath());
    const composite = { table: "orders", primaryKey: ["shop", "n"], cursorField: "updatedAt" };
    const order = (shop: string, n: number) => ({ shop, n, updatedAt: "2024-01-01T00:00:00Z" });
    await commitPage(store, composite, [order("x", 1), order("x", 2), order("y", 1)], {});
    expect((await commitPage(store, composite, [order("x", 2), order("y", 1)], {}, undefined, { start: true, finish: true })).deleted).toBe(1);
    expect(store.db.query("SELECT shop, n FROM orders WHERE _deleted = 1").all()).toEqual([{ shop: "x", n: 1 }]);
    expect((await commitPage(store, composite, [], {}, undefined, { start: true, finish: true })).deleted).toBe(2);
    expect(store.db.query("SELECT count(*) AS c FROM orders WHERE _deleted = 1").get()).toEqual({ c: 3 });
    await store.close();
  });

  test("keys compare as the table stores them: numbers in a TEXT key column, numeric strings in an INTEGER one", async () => {
    const store = openSqlite(freshPath());
    const textKey = { table: "t", primaryKey: ["id"], cursorField: "updatedAt", columns: { id: "STRING" as const } };
    const intKey = { table: "i", primaryKey: ["id"], cursorField: "updatedAt", columns: { id: "INT" as const } };
    const at = (id: unknown) => ({ id, updatedAt: "2024-01-01T00:00:00Z" });
    await commitPage(store, textKey, [at(7), at(8), at("9")], {});
    expect((await commitPage(store, textKey, [at(7), at("8")], {}, undefined, { start: true, finish: true })).deleted).toBe(1);
    expect(store.db.query("SELECT id FROM t WHERE _deleted = 1").all()).toEqual([{ id: "9" }]);
    await commitPage(store, intKey, [at("1"), at(2), at(3)], {});
    expect((await commitPage(store, intKey, [at(1), at("2")], {}, undefined, { start: true, finish: true })).deleted).toBe(1);
    expect(store.db.query("SELECT id FROM i WHERE _deleted = 1").all()).toEqual([{ id: 3 }]);
    await store.close();
  });

  test("a table from before soft deletes gains the column; a record's own _deleted field is not stored over it", async () => {
    const store = openSqlite(legacyDb());
    await commitPage(store, spec, [{ ...row("new"), _deleted: 1 }], {});
    expect(marks(store)).toEqual([
      { id: "new", d: 0 },
      { id: "old", d: 0 },
    ]);
    await store.close();
  });

  test("a refresh of an empty source over a table from before soft deletes marks every row", async () => {
    const store = openSqlite(legacyDb());
    expect((await commitPage(store, spec, [], {}, undefined, { start: true, finish: true })).deleted).toBe(1);
    expect(marks(store)).toEqual([{ id: "old", d: 1 }]);
    await store.close();
  });

  test("reset drops the keys of an unfinished refresh too", async () => {
    const store = openSqlite(freshPath());
    await commitPage(store, spec, [row("a")], { s: 1 }, undefined, { start: true, finish: false });
    await store.reset();
    expect(seenTables(store)).toEqual([]);
    await store.close();
  });
});
