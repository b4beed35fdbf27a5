// The disk or the file failing under a sync: a full disk, a damaged file, a file that is not a database. Each ends
// with a message that says what happened and what to do (not "internal error"), the right exit code, and a database
// that is whole: the next sync, with room again, resumes and ends exact against the mock's oracle.
import { Database } from "bun:sqlite";
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { memoryIo } from "../../../src/cli/io";
import { reportError } from "../../../src/cli/report-error";
import { runCli } from "../../../src/cli/run";
import { sqliteFailure } from "../../../src/store/sqlite/failures";
import type { SqliteStore } from "../../../src/store/sqlite/sqlite-store";
import { inProcessMock } from "../../helpers/mock";
import { oracleRows } from "../../helpers/streams";
import { integrityOk, syncOnce, tableRows, tempDb } from "../../helpers/sync";

const root = mkdtempSync(join(tmpdir(), "connector-disk-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const config = { base_url: "http://mock.test/pagination/offset", strategy: "offset", page_size: 50, checkpoint_rows: 500 };

/** SQLite's own "database or disk is full", as a full disk gives it: the file may not grow past `pages` pages. */
const fullAt = (pages: number) => (store: unknown) => (store as SqliteStore).db.run(`PRAGMA max_page_count = ${pages}`);

describe("a full disk", () => {
  test("stops the sync with exit 1 and a message naming the disk; what was committed is whole, and the next sync ends exact", async () => {
    const { fetch } = inProcessMock({ records: 3000, seed: 4 });
    const db = tempDb();
    const run = await syncOnce(db, config, fetch, { prepare: fullAt(120) });
    expect(run.error?.code).toBe("db_full");
    expect(run.error?.exitCode).toBe(1);
    const io = memoryIo({ cwd: root, env: {} });
    expect(reportError(run.error, io)).toBe(1);
    const said = io.err.join("");
    expect(said).toStartWith("connector: the disk is full: database '");
    expect(said).toContain("run the same command again");
    expect(said).not.toContain("internal error");
    // Some checkpoints were committed before the disk filled; the file is whole.
    expect(integrityOk(db)).toBe(true);
    const kept = tableRows(db).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(3000);
    const again = await syncOnce(db, config, fetch);
    expect(again.error).toBeUndefined();
    expect(again.summary?.resumed).toBe(true);
    expect(tableRows(db)).toEqual(await oracleRows(fetch, "users"));
  });
});

describe("a file that is not whole", () => {
  test("a damaged table page: status says the file is damaged and how to recover, exit 2", async () => {
    const { fetch } = inProcessMock({ records: 3000, seed: 5 });
    const db = tempDb();
    expect((await syncOnce(db, config, fetch)).error).toBeUndefined();
    const sqlite = new Database(db);
    const { root: page } = sqlite.query("SELECT rootpage AS root FROM sqlite_master WHERE name = 'user'").get() as { root: number };
    const { size } = sqlite.query("SELECT page_size AS size FROM pragma_page_size").get() as { size: number };
    sqlite.close();
    const bytes = Bun.file(db);
    const data = new Uint8Array(await bytes.arrayBuffer());
    data.fill(0xff, (page - 1) * size, page * size);
    writeFileSync(db, data);
    const io = memoryIo({ cwd: root, env: {} });
    const code = await runCli(["status", "--db", db], io);
    expect(code).toBe(2);
    expect(io.err.join("")).toContain(`database '${db}' is damaged (SQLite: database disk image is malformed); the connector cannot repair it`);
  });

  test("a text file given as --db: status and sync say it is not an SQLite database and leave it as it is, exit 2", async () => {
    const file = join(root, "notes.db");
    writeFileSync(file, "not a database, a user's notes\n");
    for (const argv of [
      ["status", "--db", file],
      ["sync", "--mock", "--db", file],
    ]) {
      const io = memoryIo({ cwd: root, env: {} });
      expect(await runCli(argv, io)).toBe(2);
      expect(io.err.join("")).toContain("is not an SQLite database");
      expect(io.err.join("")).not.toContain("internal error");
    }
    expect(await Bun.file(file).text()).toBe("not a database, a user's notes\n");
  });
});

test("other errors are not taken for the disk's", () => {
  expect(sqliteFailure(new Error("boom"), "x.db")).toBeNull();
  const sqlite = new Database(":memory:");
  sqlite.run("CREATE TABLE t (id INTEGER PRIMARY KEY)");
  sqlite.run("INSERT INTO t VALUES (1)");
  let constraint: unknown;
  try {
    sqlite.run("INSERT INTO t VALUES (1)");
  } catch (error) {
    constraint = error;
  }
  expect(String((constraint as { code?: string }).code)).toStartWith("SQLITE_CONSTRAINT");
  expect(sqliteFailure(constraint, "x.db")).toBeNull();
  sqlite.close();
});
