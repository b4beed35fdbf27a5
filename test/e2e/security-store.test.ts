// What --db points at is checked before anything touches it: another program's database, a file that is not
// SQLite, a device. Run with the compiled binary.
import { Database } from "bun:sqlite";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { describe, expect, test } from "bun:test";
import { runBinary } from "../../testkit/processes";
import { tempDb } from "../helpers/sync";

/** The file's bytes and mode, and every file in its folder: what "left exactly as it was" means. */
function snapshot(path: string) {
  return { bytes: readFileSync(path).toString("base64"), mode: statSync(path).mode, files: readdirSync(dirname(path)).sort() };
}

describe("--db at something the connector did not create", () => {
  test("another program's database with a table of the same name: exit 2, the file byte-identical (journal mode too)", async () => {
    const path = tempDb();
    const other = new Database(path);
    other.run("CREATE TABLE user (id TEXT PRIMARY KEY, name TEXT)");
    other.run("INSERT INTO user VALUES ('u1', 'theirs')");
    other.close();
    const before = snapshot(path);
    const run = await runBinary(["sync", "--mock", "--db", path]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("already has a table 'user' that the connector did not create");
    expect(run.stderr).not.toContain("internal error");
    expect(snapshot(path)).toEqual(before);
    const after = new Database(path, { readonly: true });
    expect(after.query("PRAGMA journal_mode").get()).toEqual({ journal_mode: "delete" });
    after.close();
  });

  test("a file that is not SQLite is refused and left as it was", async () => {
    const path = tempDb();
    writeFileSync(path, "name,email\nann,ann@example.com\n");
    const before = snapshot(path);
    const run = await runBinary(["sync", "--mock", "--db", path]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("is not an SQLite database");
    expect(snapshot(path)).toEqual(before);
  });

  test("--db /dev/null (not a regular file) is refused and leaves no /dev/null-journal behind", async () => {
    const leftBefore = existsSync("/dev/null-journal");
    const run = await runBinary(["sync", "--mock", "--db", "/dev/null"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("is not a regular file");
    if (!leftBefore) expect(existsSync("/dev/null-journal")).toBe(false);
  });

  test("the connector's own database is still synced into again", async () => {
    const path = tempDb();
    expect((await runBinary(["sync", "--mock", "--db", path])).code).toBe(0);
    expect((await runBinary(["sync", "--mock", "--db", path])).code).toBe(0);
    const db = new Database(path, { readonly: true });
    expect(db.query("SELECT count(*) AS n FROM user").get()).toEqual({ n: 200 });
    db.close();
  });
});
