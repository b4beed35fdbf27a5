// The compiled binary against a real PostgreSQL server: sync, state, status and reset; `db` from the configuration
// with ${VAR}; a second writer refused at once while readers (psql) are not blocked; a server restart mid-sync.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectorBinary } from "../../testkit/binary";
import { dataset } from "../../testkit/oracle";
import { testPostgres, type TestPostgres } from "../helpers/postgres";
import { pgDiff, pgSavedState } from "../helpers/postgres-rows";
import { runBinary, startMockBinary, type RunningMock } from "../../testkit/processes";

const NO_DIFF = { missing: [], extra: [], wrong: [] };
let pg: TestPostgres;
let mock: RunningMock;
let slow: RunningMock;
const oracle = (m: RunningMock) => dataset((request) => fetch(request), m.url);

beforeAll(async () => {
  pg = await testPostgres();
  mock = await startMockBinary(["--records", "300", "--seed", "7"]);
  slow = await startMockBinary(["--records", "2000", "--seed", "8", "--latency-ms", "40"]);
});
afterAll(async () => {
  await mock?.stop();
  await slow?.stop();
});

const offset = (m: RunningMock) => ["--base-url", `${m.url}/pagination/offset`, "--strategy", "offset"];

/** Starts a sync in the background; resolves with its output when it ends. */
async function background(args: string[]) {
  const proc = Bun.spawn([await connectorBinary(), ...args], { stdout: "pipe", stderr: "pipe", stdin: "ignore", env: { ...process.env, NO_COLOR: "1" } });
  const done = Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]).then(([stdout, stderr, code]) => ({
    stdout,
    stderr,
    code,
  }));
  return { proc, done };
}

/** Waits until the saved state says at least `pages` pages are committed. */
async function committed(db: string, pages: number): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const state = (await pgSavedState(db).catch(() => null)) as { run?: { pages?: number } } | null;
    if ((state?.run?.pages ?? 0) >= pages) return;
    await Bun.sleep(50);
  }
  throw new Error(`no ${pages} pages committed in 15 s`);
}

describe("PostgreSQL destination, end to end", () => {
  test("sync, state, status and reset against a postgres:// URL", async () => {
    const db = await pg.createDatabase("cli");
    const first = await runBinary(["sync", ...offset(mock), "--db", db, "--log", "json", "--quiet"]);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ status: "ok", inserted: 300 });
    expect(await pgDiff(db, await oracle(mock))).toEqual(NO_DIFF);
    const again = await runBinary(["sync", ...offset(mock), "--db", db, "--log", "json", "--quiet"]);
    expect(JSON.parse(again.stdout)).toMatchObject({ status: "ok", inserted: 0, updated: 0 });

    const state = await runBinary(["state", "--db", db]);
    expect(state.code).toBe(0);
    expect(Object.keys(JSON.parse(state.stdout))).toEqual(["user"]);
    const status = await runBinary(["status", "--db", db]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain("300 live, 0 deleted");
    const reset = await runBinary(["reset", "--db", db, "--yes"]);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toContain("dropped user");
    expect(JSON.parse((await runBinary(["state", "--db", db])).stdout)).toEqual({});
  });

  test("db from configuration.json through ${DATABASE_URL}; a bad password is never printed", async () => {
    const db = await pg.createDatabase("config");
    const dir = mkdtempSync(join(tmpdir(), "connector-pgcfg-"));
    writeFileSync(
      join(dir, "configuration.json"),
      JSON.stringify({ base_url: `${mock.url}/pagination/offset`, strategy: "offset", db: "${DATABASE_URL}", schema: "raw" }),
    );
    const ok = await runBinary(["sync", "--log", "json", "--quiet"], { cwd: dir, env: { DATABASE_URL: db } });
    expect(ok.code).toBe(0);
    expect(await pgSavedState(db, "user", "raw")).not.toBeNull();
    const down = await runBinary(["sync", "--log", "json", "--quiet"], { cwd: dir, env: { DATABASE_URL: "postgres://ann:Very-s3cret@127.0.0.1:1/db" } });
    expect(down.code).toBe(1);
    const out = down.stdout + down.stderr;
    expect(out).toContain("@127.0.0.1:1/db: connection refused");
    expect(out).not.toContain("Very-s3cret");
    expect(out).not.toContain("    at ");
  });

  test("a second sync of the same table is refused at once while psql reads without waiting", async () => {
    const db = await pg.createDatabase("lock");
    // 100 pages of 40 ms each: it is still running when the checks below are done.
    const first = await background(["sync", ...offset(slow), "--page-size", "20", "--db", db, "--log", "json", "--quiet"]);
    await committed(db, 2);
    const started = performance.now();
    const second = await runBinary(["sync", ...offset(slow), "--db", db, "--log", "json", "--quiet"]);
    expect(second.code).toBe(1);
    expect(JSON.parse(second.stdout).error.code).toBe("db_locked");
    expect(second.stdout + second.stderr).toContain("in use by another sync");
    expect(performance.now() - started).toBeLessThan(5000);
    const psql = Bun.spawnSync([join(pg.bin, "psql"), db, "-Atc", 'SELECT count(*) FROM "user"'], { timeout: 5000 });
    expect(psql.exitCode).toBe(0);
    expect(Number(psql.stdout.toString())).toBeGreaterThan(0);
    // status sees the running sync by its lock (any machine's), and after it stops, not any more.
    expect((await runBinary(["status", "--db", db])).stdout).toContain("running now");
    first.proc.kill("SIGINT");
    expect((await first.done).code).not.toBe(0);
    expect((await runBinary(["status", "--db", db])).stdout).not.toContain("running now");
  });

  test("a server restart mid-sync: the sync fails clearly, the rerun is exact", async () => {
    const db = await pg.createDatabase("restart");
    const run = await background(["sync", ...offset(slow), "--page-size", "50", "--db", db, "--log", "json", "--quiet"]);
    await committed(db, 3);
    pg.restart();
    const failed = await run.done;
    expect(failed.code).toBe(1);
    const summary = JSON.parse(failed.stdout);
    expect(summary).toMatchObject({ status: "failed", error: { code: "db_connection_lost" } });
    expect(summary.error.message).toContain("run the same command again");
    const rerun = await runBinary(["sync", ...offset(slow), "--page-size", "50", "--db", db, "--log", "json", "--quiet"]);
    expect(rerun.code).toBe(0);
    expect(await pgDiff(db, await oracle(slow))).toEqual(NO_DIFF);
  }, 60_000);
});
