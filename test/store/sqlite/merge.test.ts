// A large table's pages are held and merged in key order at the checkpoint (src/store/sqlite/merge.ts). With the
// threshold lowered by CONNECTOR_SQLITE_MERGE_FROM_ROWS, small tables take that path: every count and every stored
// row must be what the direct path gives for the same pages.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SqliteStore } from "../../../src/store/sqlite/sqlite-store";
import type { Row, TableSpec, WriteCounts } from "../../../src/store/types";
import { openSqlite } from "./helpers";

const dir = mkdtempSync(join(tmpdir(), "connector-merge-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshPath = () => join(dir, `m${n++}.db`);
const spec: TableSpec = { table: "user", primaryKey: ["id"], cursorField: "updatedAt" };

/** A store whose tables merge from `from` rows (the direct path's store when undefined). */
function open(path: string, from?: number): SqliteStore {
  if (from === undefined) return openSqlite(path);
  process.env.CONNECTOR_SQLITE_MERGE_FROM_ROWS = String(from);
  try {
    return openSqlite(path);
  } finally {
    delete process.env.CONNECTOR_SQLITE_MERGE_FROM_ROWS;
  }
}

/** Pages drawn from a small pool of keys, cursors and names: new, updated, unchanged, stale and repeated keys. */
function pages(seed: number, count: number, size: number, pool: number): Row[][] {
  let x = seed;
  const next = (m: number) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) % m;
  };
  return Array.from({ length: count }, (_, p) =>
    Array.from({ length: size }, () => {
      const row: Row = { id: `k${next(pool)}`, name: `n${next(3)}`, updatedAt: `2024-01-0${1 + next(4)}T00:00:00Z` };
      if (p >= count / 2 && next(4) === 0) row.score = next(10); // a column added half-way, inside a checkpoint
      return row;
    }),
  );
}

/** Writes the pages, committing every `every` pages; page `fail` (if any) fails inside its transaction. */
async function write(store: SqliteStore, all: Row[][], every: number, fail = -1): Promise<(WriteCounts | "failed")[]> {
  const counts: (WriteCounts | "failed")[] = [];
  for (const [i, rows] of all.entries()) {
    const midTransaction =
      i === fail
        ? () => {
            throw new Error("boom");
          }
        : undefined;
    try {
      counts.push(await store.writePage({ spec, rows, state: { page: i }, midTransaction }));
    } catch {
      counts.push("failed");
    }
    if ((i + 1) % every === 0) await store.checkpoint();
  }
  await store.checkpoint();
  return counts;
}

const contents = (store: SqliteStore) => store.db.query(`SELECT id, name, updatedAt, score, _deleted FROM "user" ORDER BY id`).all();

describe("pages merged in key order", () => {
  test("give the same counts, rows and state as the direct path: repeats within and across pages, a failed page, an added column", async () => {
    const all = pages(7, 40, 50, 600);
    const direct = open(freshPath());
    const merged = open(freshPath(), 100);
    const expected = await write(direct, all, 6, 17);
    const counts = await write(merged, all, 6, 17);
    expect(counts).toEqual(expected);
    expect(expected.filter((c) => c !== "failed" && c.updated > 0 && c.stale > 0 && c.unchanged > 0 && c.inserted > 0).length).toBeGreaterThan(5);
    expect(contents(merged)).toEqual(contents(direct));
    expect(await merged.readState("user")).toEqual(await direct.readState("user"));
    expect(await merged.rowCounts("user")).toEqual(await direct.rowCounts("user"));
    await direct.close();
    await merged.close();
  });

  test("a table of rows already held is merged once its keys are read; a refresh marks the same rows", async () => {
    const first = pages(11, 10, 50, 500);
    const second = pages(12, 30, 40, 900);
    const [directPath, mergedPath] = [freshPath(), freshPath()];
    for (const path of [directPath, mergedPath]) {
      const store = open(path);
      await write(store, first, 3);
      await store.close();
    }
    const direct = open(directPath);
    const merged = open(mergedPath, 100);
    const expected = await write(direct, second, 4);
    expect(await write(merged, second, 4)).toEqual(expected);
    // A tenth of the table (as of the last page written, before its merge).
    expect(Math.abs(merged.checkpointRows("user") - (await merged.rowCounts("user"))!.live / 10)).toBeLessThan(2);
    expect(direct.checkpointRows("user")).toBe(0);
    for (const store of [direct, merged]) {
      const refresh = [second[0] as Row[], second[1] as Row[]];
      for (const [i, rows] of refresh.entries())
        await store.writePage({ spec, rows, state: { refresh: i }, refresh: { start: i === 0, finish: i === refresh.length - 1 } });
      await store.checkpoint();
    }
    expect(contents(merged)).toEqual(contents(direct));
    expect((await merged.rowCounts("user"))!.deleted).toBeGreaterThan(0);
    await direct.close();
    await merged.close();
  });

  test("rows stay pending until the checkpoint, and a close without one keeps none of them", async () => {
    const path = freshPath();
    const store = open(path, 10);
    await write(store, pages(3, 2, 20, 1000), 1);
    const before = contents(store);
    await store.writePage({ spec, rows: pages(4, 1, 20, 1000)[0] as Row[], state: { page: "open" } });
    expect(store.db.query(`SELECT count(*) AS c FROM temp."_connector_pending_user"`).get()).toEqual({ c: 20 });
    expect(contents(store)).toEqual(before); // not merged yet
    await store.close();
    const reopened = open(path);
    expect(contents(reopened)).toEqual(before);
    expect(await reopened.readState("user")).toEqual({ page: 1 });
    await reopened.close();
  });

  test("keys the filter cannot speak for (numbers, lone surrogates) keep the direct path, counted the same", async () => {
    for (const key of [(i: number) => i, (i: number) => `\uD800${i % 7}`]) {
      const all = pages(5, 8, 30, 40).map((rows) => rows.map((row) => ({ ...row, id: key(Number(String(row.id).slice(1))) })));
      const direct = open(freshPath());
      const merged = open(freshPath(), 10);
      expect(await write(merged, all, 2)).toEqual(await write(direct, all, 2));
      expect(contents(merged)).toEqual(contents(direct));
      expect(merged.checkpointRows("user")).toBe(0);
      await direct.close();
      await merged.close();
    }
  });
});
