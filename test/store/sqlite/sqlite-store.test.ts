import { afterAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commitPage, openSqlite } from "./helpers";

const dir = mkdtempSync(join(tmpdir(), "connector-store-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshPath = () => join(dir, `s${n++}.db`);
const spec = { table: "user", primaryKey: ["id"], cursorField: "updatedAt" };
const row = (id: string, updatedAt: string, name = `n-${id}`) => ({ id, name, updatedAt });

describe("SqliteStore", () => {
  test("counts inserted, updated, unchanged and stale rows, and never lets an older row overwrite a newer one", async () => {
    const store = openSqlite(freshPath());
    expect(await commitPage(store, spec, [row("a", "2024-01-02T00:00:00Z"), row("b", "2024-01-02T00:00:00Z")], { s: 1 })).toEqual({
      inserted: 2,
      updated: 0,
      unchanged: 0,
      stale: 0,
    });
    const second = await commitPage(
      store,
      spec,
      [row("a", "2024-01-02T00:00:00Z"), row("b", "2024-01-01T00:00:00Z", "old"), row("c", "2024-01-03T00:00:00Z"), row("a", "2024-01-05T00:00:00Z", "new")],
      { s: 2 },
    );
    expect(second).toEqual({ inserted: 1, updated: 1, unchanged: 1, stale: 1 });
    const rows = store.db.query("SELECT id, name, updatedAt FROM user ORDER BY id").all();
    expect(rows).toEqual([
      { id: "a", name: "new", updatedAt: "2024-01-05T00:00:00Z" },
      { id: "b", name: "n-b", updatedAt: "2024-01-02T00:00:00Z" },
      { id: "c", name: "n-c", updatedAt: "2024-01-03T00:00:00Z" },
    ]);
    expect(await store.readState("user")).toEqual({ s: 2 });
    await store.close();
  });

  test("a key twice in one page counts as inserted, then updated or unchanged", async () => {
    const store = openSqlite(freshPath());
    await commitPage(store, spec, [row("x", "2024-01-01T00:00:00Z")], {});
    const page = [
      row("a", "2024-01-01T00:00:00Z"),
      row("a", "2024-01-02T00:00:00Z", "newer"),
      row("b", "2024-01-01T00:00:00Z"),
      row("b", "2024-01-01T00:00:00Z"),
      row("c", "2024-01-03T00:00:00Z"),
    ];
    expect(await commitPage(store, spec, page, {})).toEqual({ inserted: 3, updated: 1, unchanged: 1, stale: 0 });
    expect(
      await commitPage(store, spec, [row("c", "2024-01-01T00:00:00Z", "older"), row("d", "2024-01-01T00:00:00Z"), row("a", "2024-01-03T00:00:00Z")], {}),
    ).toEqual({ inserted: 1, updated: 1, unchanged: 0, stale: 1 });
    await store.close();
  });

  test("exact counts when records carry rowid, _rowid_ or oid fields, or rowids are huge, or the table has none", async () => {
    const counts = async (path: string, fields: (i: number) => Record<string, unknown>) => {
      const store = openSqlite(path);
      const first = await commitPage(store, spec, [{ ...row("a", "2024-01-01T00:00:00Z"), ...fields(900) }], {});
      const second = await commitPage(
        store,
        spec,
        [
          { ...row("b", "2024-01-01T00:00:00Z"), ...fields(5) },
          { ...row("a", "2024-01-02T00:00:00Z"), ...fields(900) },
        ],
        {},
      );
      const third = await commitPage(
        store,
        spec,
        [
          { ...row("c", "2024-01-01T00:00:00Z"), ...fields(1) },
          { ...row("a", "2024-01-02T00:00:00Z"), ...fields(900) },
        ],
        {},
      );
      await store.close();
      return [first, second, third];
    };
    const expected = [
      { inserted: 1, updated: 0, unchanged: 0, stale: 0 },
      { inserted: 1, updated: 1, unchanged: 0, stale: 0 },
      { inserted: 1, updated: 0, unchanged: 1, stale: 0 },
    ];
    expect(await counts(freshPath(), (i) => ({ rowid: i }))).toEqual(expected);
    expect(await counts(freshPath(), (i) => ({ RowId: i, _ROWID_: i * 2 }))).toEqual(expected);
    expect(await counts(freshPath(), (i) => ({ rowid: i, _rowid_: i, oid: i }))).toEqual(expected);
    const huge = freshPath();
    const setup = new Database(huge);
    setup.run(`CREATE TABLE "user" (id TEXT NOT NULL, name TEXT, updatedAt TEXT, _synced_at TEXT NOT NULL, UNIQUE (id))`);
    setup.run(`INSERT INTO "user" (rowid, id, name, updatedAt, _synced_at) VALUES (${2 ** 53}, 'z', 'n', '2024-01-01T00:00:00Z', 'x')`);
    setup.close();
    expect(await counts(huge, () => ({}))).toEqual(expected);
    const withoutRowid = freshPath();
    const legacy = new Database(withoutRowid);
    legacy.run(`CREATE TABLE "user" (id TEXT NOT NULL PRIMARY KEY, name TEXT, updatedAt TEXT, _synced_at TEXT NOT NULL) WITHOUT ROWID`);
    legacy.close();
    expect(await counts(withoutRowid, () => ({}))).toEqual(expected);
  });

  test("rows and state commit together: a failure mid-page leaves neither", async () => {
    const store = openSqlite(freshPath());
    await commitPage(store, spec, [row("a", "2024-01-01T00:00:00Z")], { cursor: 1 });
    const bad = [
      row("b", "2024-01-02T00:00:00Z"),
      { id: "c", updatedAt: "2024-01-02T00:00:00Z", ...Object.fromEntries(Array.from({ length: 1200 }, (_, i) => [`f${i}`, i])) },
    ];
    expect(commitPage(store, spec, bad, { cursor: 2 })).rejects.toThrow("more than 1000 distinct fields");
    expect(await store.readState("user")).toEqual({ cursor: 1 });
    expect((await store.rowCounts("user"))?.live).toBe(1);
    await store.close();
  });

  test("exact counts after a rolled-back page and after another table's inserts (rowids they left behind)", async () => {
    const store = openSqlite(freshPath());
    const other = { ...spec, table: "other" };
    await commitPage(store, spec, [row("a", "2024-01-01T00:00:00Z"), row("b", "2024-01-01T00:00:00Z")], {});
    const many = Array.from({ length: 30 }, (_, i) => row(`x${i}`, "2024-01-01T00:00:00Z"));
    await expect(
      store.writePage({
        spec,
        rows: many,
        state: {},
        midTransaction: () => {
          throw new Error("boom");
        },
      }),
    ).rejects.toThrow("boom");
    // The rolled-back inserts took rowids up to 32; the table's largest is 2 again.
    expect(await commitPage(store, spec, [row("a", "2024-01-02T00:00:00Z"), row("b", "2024-01-02T00:00:00Z")], {})).toEqual({
      inserted: 0,
      updated: 2,
      unchanged: 0,
      stale: 0,
    });
    await commitPage(store, other, many, {});
    expect(await commitPage(store, spec, [row("b", "2024-01-03T00:00:00Z"), row("a", "2024-01-03T00:00:00Z")], {})).toEqual({
      inserted: 0,
      updated: 2,
      unchanged: 0,
      stale: 0,
    });
    await store.close();
  });

  test("new fields add columns; nested values are stored as JSON text; hostile names are quoted", async () => {
    const store = openSqlite(freshPath());
    await commitPage(store, spec, [{ id: "a", updatedAt: "t1", tags: ["x"], 'we"ird; DROP TABLE user;--': 1, flag: true }], {});
    const got = store.db.query(`SELECT tags, "we""ird; DROP TABLE user;--" AS w, flag FROM user`).get();
    expect(got).toEqual({ tags: '["x"]', w: 1, flag: 1 });
    await store.close();
  });

  test("composite primary keys", async () => {
    const store = openSqlite(freshPath());
    const events = { table: "ev", primaryKey: ["a", "b"], cursorField: "t" };
    expect(
      await commitPage(
        store,
        events,
        [
          { a: 1, b: "x", t: 1 },
          { a: 1, b: "y", t: 1 },
        ],
        {},
      ),
    ).toMatchObject({ inserted: 2 });
    expect(
      await commitPage(
        store,
        events,
        [
          { a: 1, b: "x", t: 2 },
          { a: 2, b: "x", t: 1 },
        ],
        {},
      ),
    ).toMatchObject({ inserted: 1, updated: 1 });
    expect((await store.rowCounts("ev"))?.live).toBe(3);
    await store.close();
  });

  test("one writer: a second exclusive open fails at once; the lock dies with its holder", async () => {
    const path = freshPath();
    const first = openSqlite(path);
    const started = performance.now();
    expect(() => openSqlite(path)).toThrow("is in use by another sync");
    expect(performance.now() - started).toBeLessThan(2000);
    await first.close();
    openSqlite(path).close();
  });

  test("readers are welcome: a bun:sqlite reader reads the writer's last checkpoint, and an open reader never blocks a writer", async () => {
    const path = freshPath();
    const writer = openSqlite(path);
    await commitPage(writer, spec, [row("a", "t1")], { c: 1 });
    const reader = new Database(path, { readonly: true });
    reader.run("BEGIN");
    expect(reader.query("SELECT count(*) AS n FROM user").get()).toEqual({ n: 1 });
    await writer.writePage({ spec, rows: [row("b", "t2")], state: { c: 2 } }); // written, not committed: invisible
    const fresh = new Database(path, { readonly: true });
    expect(fresh.query("SELECT count(*) AS n FROM user").get()).toEqual({ n: 1 });
    fresh.close();
    await writer.checkpoint();
    expect(reader.query("SELECT count(*) AS n FROM user").get()).toEqual({ n: 1 }); // its snapshot
    await writer.close();
    // The reader is still in its transaction: the next writer opens and commits all the same.
    const next = openSqlite(path);
    await commitPage(next, spec, [row("c", "t3")], { c: 3 });
    const status = openSqlite(path, { mode: "reader" });
    expect(await status.allStates()).toEqual({ user: { c: 3 } });
    await status.close();
    await next.close();
    reader.run("COMMIT");
    expect(reader.query("SELECT count(*) AS n FROM user").get()).toEqual({ n: 3 });
    reader.close();
  });

  test("reset drops synced tables and state together", async () => {
    const path = freshPath();
    const store = openSqlite(path);
    await commitPage(store, spec, [row("a", "t")], { c: 1 });
    expect(await store.reset()).toEqual(["user"]);
    expect(await store.tableExists("user")).toBe(false);
    expect(await store.allStates()).toEqual({});
    await store.close();
    const check = new Database(path);
    expect(check.query("PRAGMA integrity_check").get()).toEqual({ integrity_check: "ok" });
    check.close();
  });

  test("bad --db paths are clear errors", async () => {
    expect(() => openSqlite(dir)).toThrow("is a directory");
    expect(() => openSqlite(join(dir, "missing", "x.db"))).toThrow("does not exist; create it first");
    expect(() => openSqlite(join(dir, "none.db"), { mustExist: true })).toThrow("does not exist");
  });
});
