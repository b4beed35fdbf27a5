import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { memoryIo } from "../../src/cli/io";
import { runCli } from "../../src/cli/run";

const dir = mkdtempSync(join(tmpdir(), "connector-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[], env: Record<string, string> = {}, isTTY = false) {
  const io = memoryIo({ env, cwd: dir, isTTY });
  const code = await runCli(argv, io);
  return { code, out: io.out.join(""), err: io.err.join("") };
}

describe("sync, state and reset on the command line", () => {
  test("sync --mock runs the main job end to end and prints a summary", async () => {
    const db = join(dir, "main.db");
    const r = await run(["sync", "--mock", "--mock-records", "120", "--mock-seed", "4", "--db", db, "--quiet"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^rows inserted +120$/m);
    expect(r.out).toMatch(/^strategy +keyset \(auto:/m);
    expect(r.err).toBe("");
    const state = await run(["state", "--db", db]);
    expect(state.code).toBe(0);
    expect(JSON.parse(state.out).user).toMatchObject({ version: 2, strategy: "keyset", run: null });
  });

  test("bad flags and configuration exit 2, name the problem, and create no database", async () => {
    const db = join(dir, "never.db");
    const cases: [string[], string][] = [
      [["sync", "--db", db], "base_url is required"],
      [["sync", "--db", db, "--base-url", "notaurl"], "base_url must be an absolute http"],
      [["sync", "--db", db, "--base-url", "http://127.0.0.1:9/x", "--strategy", "magic"], "strategy must be one of"],
      [["sync", "--db", db, "--base-url", "http://127.0.0.1:9/x", "--page-size", "0"], "page_size must be at least 1, got 0"],
      [["sync", "--db", db, "--base-url", "http://127.0.0.1:9/x", "--page-size", "ten"], "--page-size must be a whole number, got 'ten'"],
      [["sync", "--db", db, "--base-url", "http://127.0.0.1:9/x", "--table", "drop table"], "table must be a SQL identifier"],
      [["sync", "--db", db, "--base-url", "http://127.0.0.1:9/x", "--log", "xml"], "--log must be text or json"],
      [["sync", "--db", db, "--mock", "--base-url", "http://127.0.0.1:9/x"], "--mock and --base-url cannot be combined"],
      [["sync", "--db", db, "--config", "missing.json"], "configuration file 'missing.json' does not exist"],
      [["sync", "--db", join(dir, "no", "such", "dir.db"), "--base-url", "http://127.0.0.1:9/x"], "does not exist; create it first"],
      [["sync", "--db", dir, "--base-url", "http://127.0.0.1:9/x"], "is a directory"],
      [
        ["sync", "--db", db, "--base-url", "http://127.0.0.1:9/x", "--full-refresh", "--priority-first"],
        "--full-refresh cannot be combined with a priority-first sync",
      ],
    ];
    for (const [argv, message] of cases) {
      const r = await run(argv);
      expect({ argv, code: r.code }).toEqual({ argv, code: 2 });
      expect(r.err).toContain(message);
      expect(r.err.split("\n").filter(Boolean)).toHaveLength(1);
    }
    expect(existsSync(db)).toBe(false);
  });

  test("a ${VAR} missing from the environment is a configuration error", async () => {
    writeFileSync(join(dir, "env.json"), JSON.stringify({ base_url: "http://127.0.0.1:9/x", headers: { Authorization: "Bearer ${API_TOKEN}" } }));
    const r = await run(["sync", "--config", "env.json", "--db", join(dir, "env.db")]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("headers.Authorization refers to ${API_TOKEN}, which is not set in the environment");
  });

  test("an unreachable API fails with exit 1 after retries, naming the URL", async () => {
    writeFileSync(join(dir, "down.json"), JSON.stringify({ base_url: "http://127.0.0.1:9/x", retry: { max_attempts: 2, base_delay_ms: 1 } }));
    const r = await run(["sync", "--config", "down.json", "--db", join(dir, "down.db"), "--quiet"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("GET http://127.0.0.1:9/x?");
    expect(r.err).toContain("gave up after 2 attempts");
  });

  test("state and reset on a database that does not exist say so and create nothing", async () => {
    const db = join(dir, "absent.db");
    for (const argv of [
      ["state", "--db", db],
      ["reset", "--db", db, "--yes"],
    ]) {
      const r = await run(argv);
      expect(r.code).toBe(1);
      expect(r.err).toContain("does not exist");
    }
    expect(existsSync(db)).toBe(false);
  });

  test("reset needs --yes without a terminal, asks on one, and drops data and state together", async () => {
    const db = join(dir, "reset.db");
    expect((await run(["sync", "--mock", "--mock-records", "30", "--db", db, "--quiet"])).code).toBe(0);
    const refused = await run(["reset", "--db", db]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain("pass --yes");
    const declined = memoryIo({ cwd: dir, isTTY: true, confirm: async () => false });
    expect(await runCli(["reset", "--db", db], declined)).toBe(1);
    expect(JSON.parse((await run(["state", "--db", db])).out).user).toBeDefined();
    const r = await run(["reset", "--db", db, "--yes"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("dropped user");
    expect(JSON.parse((await run(["state", "--db", db])).out)).toEqual({});
  });

  test("on a terminal stderr carries a progress line redrawn in place; --log json gives JSON lines and a JSON summary", async () => {
    const tty = memoryIo({ cwd: dir, isTTY: true });
    expect(await runCli(["sync", "--mock", "--mock-records", "120", "--db", join(dir, "tty.db")], tty)).toBe(0);
    const err = tty.err.join("");
    expect(err).toContain("\r\x1b[Ksyncing: 50 rows, 1 pages");
    // Cleared before the summary, and no page lines (those are --verbose).
    expect(err.endsWith("\r\x1b[K")).toBe(true);
    expect(err).not.toContain("page 1");
    const json = await run(["sync", "--mock", "--mock-records", "60", "--db", join(dir, "json.db"), "--log", "json", "--verbose"]);
    expect(json.code).toBe(0);
    const lines = json.err
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.some((l) => l.message === "page 1" && l.rows === 50 && l.level === "debug")).toBe(true);
    expect(JSON.parse(json.out)).toMatchObject({ status: "ok", inserted: 60, pages: 2, strategy: "keyset" });
  });

  test("sync --full-refresh on the command line: the summary says what it marked deleted", async () => {
    const db = join(dir, "refresh.db");
    expect((await run(["sync", "--mock", "--mock-records", "80", "--db", db, "--quiet"])).code).toBe(0);
    const r = await run(["sync", "--mock", "--mock-records", "80", "--db", db, "--quiet", "--full-refresh"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^rows deleted +0 \(full refresh: not in the source any more; marked _deleted = 1\)$/m);
    expect(r.out).toMatch(/^rows unchanged +80$/m);
    const plain = await run(["sync", "--mock", "--mock-records", "80", "--db", db, "--quiet"]);
    expect(plain.out).not.toContain("rows deleted");
  });

  test("--help of sync documents every flag", async () => {
    const r = await run(["sync", "--help"]);
    for (const flag of ["--config", "--base-url", "--strategy", "--page-size", "--db", "--mock", "--log", "--quiet"]) expect(r.out).toContain(flag);
    expect(readdirSync(dir).some((f) => f.endsWith(".db-wal"))).toBe(false);
  });
});
