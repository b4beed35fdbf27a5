// Readers during a sync (issue 15): the sqlite3 shell, bun:sqlite and `connector status`/`state` read the last
// committed checkpoint while a sync writes, without waiting and without holding it up; one writer stays one.
import { Database } from "bun:sqlite";
import { describe, expect, test } from "bun:test";
import { connectorBinary } from "../../testkit/binary";
import { runBinary, startMockBinary, type RunningMock } from "../../testkit/processes";
import { tempDb } from "../helpers/sync";

const RECORDS = 1000;

/** A sync that commits every page of 10 rows against a mock that answers in ~50 ms: it runs for 5 s or more. */
async function slowSync(mock: RunningMock, db: string) {
  const args = ["sync", "--base-url", `${mock.url}/pagination/offset`, "--page-size", "10", "--db", db, "--checkpoint-rows", "1", "--quiet"];
  const proc = Bun.spawn([await connectorBinary(), ...args], { stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const done = Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]).then(([stdout, stderr, code]) => ({
    stdout,
    stderr,
    code,
  }));
  return { args, proc, done };
}

/** Waits (bounded) until a reader sees some committed rows. */
async function untilRows(db: string, min: number): Promise<number> {
  for (let i = 0; i < 300; i++) {
    const n = await sqlite3(db, "SELECT count(*) FROM user").then((r) => (r.code === 0 ? Number(r.stdout.trim()) : 0));
    if (n >= min) return n;
    await Bun.sleep(50);
  }
  throw new Error(`no reader saw ${min} rows`);
}

async function sqlite3(db: string, sql: string) {
  const proc = Bun.spawn(["sqlite3", db, sql], { stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { stdout, stderr, code };
}

describe("readers during a sync", () => {
  test("the sqlite3 shell, bun:sqlite, state and status read while the sync writes; a second sync is refused at once", async () => {
    const mock = await startMockBinary(["--records", String(RECORDS), "--seed", "15", "--latency-ms", "50"]);
    try {
      const db = tempDb();
      const sync = await slowSync(mock, db);
      const seen = await untilRows(db, 20);
      expect(seen).toBeLessThan(RECORDS);

      // The shell, with no .timeout: a locked database would fail at once with "database is locked".
      const shell = await sqlite3(db, "SELECT count(*) FROM user WHERE _deleted = 0");
      expect(shell).toMatchObject({ code: 0, stderr: "" });
      expect(Number(shell.stdout.trim())).toBeGreaterThanOrEqual(seen);

      // bun:sqlite holding a read transaction open across checkpoints: its snapshot stays, the sync goes on.
      const reader = new Database(db, { readonly: true });
      reader.run("BEGIN");
      const snapshot = reader.query<{ n: number }, []>("SELECT count(*) AS n FROM user").get()?.n ?? 0;
      const later = await untilRows(db, snapshot + 30);
      expect(reader.query<{ n: number }, []>("SELECT count(*) AS n FROM user").get()?.n).toBe(snapshot);
      expect(later).toBeGreaterThan(snapshot);

      const status = await runBinary(["status", "--db", db, "--json"]);
      expect(status.code).toBe(0);
      const user = JSON.parse(status.stdout).user;
      expect(user.running).toMatchObject({ pid: sync.proc.pid });
      expect(user.running.pagesCommitted).toBeGreaterThan(0);
      expect(user.rows.live).toBeGreaterThan(0);
      const state = await runBinary(["state", "--db", db]);
      expect(state.code).toBe(0);
      expect(JSON.parse(state.stdout).user.run.pages).toBeGreaterThan(0);

      const started = performance.now();
      const second = await runBinary(sync.args);
      expect(performance.now() - started).toBeLessThan(3000);
      expect(second.code).toBe(1);
      expect(second.stderr).toContain("is in use by another sync");

      const first = await sync.done;
      reader.run("COMMIT");
      reader.close();
      expect(first.code).toBe(0);
      expect(Number((await sqlite3(db, "SELECT count(*) FROM user")).stdout.trim())).toBe(RECORDS);
      const after = JSON.parse((await runBinary(["status", "--db", db, "--json"])).stdout).user;
      expect(after).toMatchObject({ running: null, interrupted: null, lastRun: { outcome: "ok", rows: RECORDS } });
    } finally {
      await mock.stop();
    }
  }, 60_000);

  test("readers open before a sync starts (bun:sqlite in a transaction, a sqlite3 shell) do not stop it", async () => {
    const mock = await startMockBinary(["--records", "120", "--seed", "16", "--max-page-size", "100"]);
    try {
      const db = tempDb();
      const args = ["sync", "--base-url", `${mock.url}/pagination/keyset`, "--page-size", "20", "--db", db, "--quiet"];
      expect((await runBinary(args)).code).toBe(0);
      const reader = new Database(db);
      reader.run("BEGIN");
      expect(reader.query<{ n: number }, []>("SELECT count(*) AS n FROM user").get()?.n).toBe(120);
      // An interactive shell left open with a read transaction.
      const shell = Bun.spawn(["sqlite3", db], { stdin: "pipe", stdout: "pipe", stderr: "pipe" });
      shell.stdin.write("BEGIN;\nSELECT count(*) FROM user;\n");
      await shell.stdin.flush();
      await Bun.sleep(200);
      try {
        const again = await runBinary([...args, "--full-refresh"]);
        expect(again.stderr).not.toContain("in use");
        expect(again.code).toBe(0);
        expect(again.stdout).toMatch(/^rows unchanged +120$/m);
      } finally {
        shell.stdin.end();
        shell.kill();
        await shell.exited;
        reader.run("COMMIT");
        reader.close();
      }
    } finally {
      await mock.stop();
    }
  }, 60_000);

  test("a program holding a write transaction is named as such, never as 'another sync'", async () => {
    const mock = await startMockBinary(["--records", "50", "--seed", "18"]);
    try {
      const db = tempDb();
      const args = ["sync", "--base-url", `${mock.url}/pagination/offset`, "--page-size", "10", "--db", db, "--quiet"];
      expect((await runBinary(args)).code).toBe(0);
      const writer = new Database(db);
      writer.run("BEGIN IMMEDIATE");
      const blocked = await runBinary(args);
      writer.run("ROLLBACK");
      writer.close();
      expect(blocked.code).toBe(1);
      expect(blocked.stderr).toContain("is locked by another program's write transaction (not a sync");
      expect(blocked.stderr).not.toContain("another sync");
      expect((await runBinary(args)).code).toBe(0);
    } finally {
      await mock.stop();
    }
  }, 60_000);

  test("a killed sync's lock dies with it: the next sync runs at once, and status says the last run was killed", async () => {
    const mock = await startMockBinary(["--records", "100", "--seed", "17"]);
    try {
      const db = tempDb();
      const args = ["sync", "--base-url", `${mock.url}/pagination/offset`, "--page-size", "10", "--db", db, "--checkpoint-rows", "1", "--quiet"];
      const killed = await runBinary(args, { env: { CONNECTOR_TEST_KILL_AT: "after-commit:3" } });
      expect(killed.signal).toBe("SIGKILL");
      const status = await runBinary(["status", "--db", db]);
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/^ {2}last run +killed, /m);
      expect(status.stdout).toMatch(/^ {2}interrupted +a run started \S+ stopped after 3 pages; the next sync resumes it$/m);
      const resumed = await runBinary(args);
      expect(resumed.code).toBe(0);
      expect(resumed.stdout).toMatch(/^resumed +yes/m);
    } finally {
      await mock.stop();
    }
  }, 60_000);
});
