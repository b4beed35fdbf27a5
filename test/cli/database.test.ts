// state, status and reset open the database sync writes: --db, else the configuration's db (${VAR} filled), else connector.db.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { memoryIo } from "../../src/cli/io";
import { runCli } from "../../src/cli/run";

const root = mkdtempSync(join(tmpdir(), "connector-database-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function run(cwd: string, argv: string[], env: Record<string, string> = {}) {
  const io = memoryIo({ cwd, env });
  const code = await runCli(argv, io);
  return { code, out: io.out.join(""), err: io.err.join("") };
}

/** A folder whose configuration.json puts the database at ${SYNC_DB}, synced once from the embedded mock. */
async function syncedFolder(name: string) {
  const cwd = join(root, name);
  const db = join(cwd, "from-config.db");
  const env = { SYNC_DB: db };
  rmSync(cwd, { recursive: true, force: true });
  mkdirSync(cwd);
  writeFileSync(join(cwd, "configuration.json"), JSON.stringify({ db: "${SYNC_DB}", table: "people" }));
  const synced = await run(cwd, ["sync", "--mock", "--mock-records", "30", "--quiet"], env);
  expect(synced.code).toBe(0);
  expect(existsSync(db)).toBe(true);
  return { cwd, db, env };
}

describe("the database of state, status and reset", () => {
  test("without --db they read the configuration's db, as sync wrote it", async () => {
    const { cwd, env } = await syncedFolder("implicit");
    const state = await run(cwd, ["state"], env);
    expect(state.code).toBe(0);
    expect(Object.keys(JSON.parse(state.out))).toEqual(["people"]);
    const status = await run(cwd, ["status", "--json"], env);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.out).people.rows.live).toBe(30);
    expect(existsSync(join(cwd, "connector.db"))).toBe(false);
    const reset = await run(cwd, ["reset", "--yes"], env);
    expect(reset.code).toBe(0);
    expect((await run(cwd, ["state"], env)).out.trim()).toBe("{}");
  });

  test("--config names another file; --db wins over both", async () => {
    const { cwd, env } = await syncedFolder("explicit");
    const elsewhere = join(root, "elsewhere");
    mkdirSync(elsewhere, { recursive: true });
    const viaFlag = await run(elsewhere, ["state", "--config", join(cwd, "configuration.json")], env);
    expect(viaFlag.code).toBe(0);
    expect(Object.keys(JSON.parse(viaFlag.out))).toEqual(["people"]);
    const other = join(root, "missing.db");
    const dbWins = await run(cwd, ["status", "--db", other], env);
    expect(dbWins.code).not.toBe(0);
    expect(dbWins.err).toContain(other);
  });

  test("a configuration whose ${VAR} is not set is a clear error, not a new empty database", async () => {
    const { cwd } = await syncedFolder("unset");
    const status = await run(cwd, ["status"], {});
    expect(status.code).not.toBe(0);
    expect(status.err).toContain("SYNC_DB");
    expect(existsSync(join(cwd, "connector.db"))).toBe(false);
  });
});
