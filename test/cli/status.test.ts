// `connector status`, `state --table`, `reset --table`, and control characters from an API never printed raw.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { memoryIo } from "../../src/cli/io";
import { runCli } from "../../src/cli/run";
import { escapeControl } from "../../src/connector/escape";

const dir = mkdtempSync(join(tmpdir(), "connector-status-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[], isTTY = false) {
  const io = memoryIo({ cwd: dir, isTTY });
  const code = await runCli(argv, io);
  return { code, out: io.out.join(""), err: io.err.join("") };
}

/** An API that answers with terminal control sequences: in an error body, and in record ids. */
function hostileApi() {
  const evil = "\x1b[2J\x1b]0;pwned\x07\x9b31m\u202e";
  return Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      const url = new URL(request.url);
      if (url.pathname === "/fail") return new Response(`{"error":"${evil}"}`, { status: 400, headers: { "content-type": "application/json" } });
      const offset = Number(url.searchParams.get("offset") ?? 0);
      const data = offset > 0 ? [] : [{ id: `r1${evil}`, updatedAt: "2026-01-01T00:00:00Z" }];
      return Response.json({ data, offset, limit: 10, total: 1 });
    },
  });
}

describe("status, state and reset per table", () => {
  test("status shows each table's rows, cursor, source and last run; --table and --json pick one; state and reset take --table", async () => {
    const db = join(dir, "two.db");
    for (const table of ["alpha", "beta"])
      expect((await run(["sync", "--mock", "--mock-records", "40", "--table", table, "--db", db, "--quiet"])).code).toBe(0);
    const all = await run(["status", "--db", db]);
    expect(all.code).toBe(0);
    expect(all.out).toMatch(
      /^alpha\n {2}rows +40 live, 0 deleted\n {2}cursor +\d{4}-\S+Z\n {2}strategy +keyset\n {2}source +the embedded mock \(seed 1, 40 records\)[^\n]*\n {2}last run +ok, \S+ to \S+, 40 rows in 1 pages\n/,
    );
    expect(all.out).toContain("\nbeta\n");
    const one = JSON.parse((await run(["status", "--db", db, "--table", "beta", "--json"])).out);
    expect(Object.keys(one)).toEqual(["beta"]);
    expect(one.beta).toMatchObject({ rows: { live: 40, deleted: 0 }, running: null, interrupted: null, lastRun: { outcome: "ok", rows: 40 } });
    expect(Object.keys(JSON.parse((await run(["state", "--db", db, "--table", "alpha"])).out))).toEqual(["alpha"]);
    const missing = await run(["status", "--db", db, "--table", "gamma"]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("--table 'gamma': nothing synced into it");
    expect(missing.err).toContain("synced tables: alpha, beta");

    const reset = await run(["reset", "--db", db, "--table", "alpha", "--yes"]);
    expect(reset).toMatchObject({ code: 0, out: "reset: dropped alpha and the saved state\n" });
    expect(Object.keys(JSON.parse((await run(["state", "--db", db])).out))).toEqual(["beta"]);
    expect((await run(["status", "--db", db, "--json"])).out).not.toContain("alpha");
    expect((await run(["reset", "--db", db, "--table", "alpha", "--yes"])).err).toContain("--table 'alpha'");
  });

  test("after a priority-first sync status says how much history is left", async () => {
    const db = join(dir, "pfs.db");
    expect((await run(["sync", "--mock", "--mock-records", "300", "--priority-first", "--window", "7d", "--db", db, "--quiet"])).code).toBe(0);
    const status = await run(["status", "--db", db]);
    expect(status.out).toMatch(/^ {2}history left +none: complete back to \S+Z$/m);
    expect(JSON.parse((await run(["status", "--db", db, "--json"])).out).user.history).toMatchObject({ leftSeconds: 0 });
  });
});

describe("control characters from an API", () => {
  test("escapeControl turns C0, DEL, C1 and bidi overrides into visible escapes and leaves text alone", () => {
    expect(escapeControl("a\x1b[2Jb\x07c\r\nd\x9b\u202e\te ü")).toBe("a\\e[2Jb\\x07c\\r\\nd\\x9b\\u202e\te ü");
  });

  test("an error body and record ids full of escape sequences reach neither stderr nor status raw", async () => {
    const api = hostileApi();
    try {
      const db = join(dir, "hostile.db");
      const failed = await run(["sync", "--base-url", `http://127.0.0.1:${api.port}/fail`, "--strategy", "offset", "--db", db], true);
      expect(failed.code).toBe(1);
      expect(failed.err).toContain("\\e[2J\\e]0;pwned\\x07");
      const ok = await run(["sync", "--base-url", `http://127.0.0.1:${api.port}/ok`, "--strategy", "offset", "--db", join(dir, "ids.db"), "--verbose"]);
      expect(ok.code).toBe(0);
      expect(ok.err).toContain("first=r1\\e[2J");
      const status = await run(["status", "--db", db]);
      expect(status.out).toContain("\\e[2J");
      const json = await run(["sync", "--base-url", `http://127.0.0.1:${api.port}/fail`, "--strategy", "offset", "--db", db, "--log", "json"]);
      for (const text of [failed.err, ok.err, status.out, json.out, json.err]) {
        expect(text).not.toMatch(/[\x07\x1b\x9b\u202e]/);
        expect(text.replace(/\r\x1b\[K/g, "")).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
      }
    } finally {
      api.stop(true);
    }
  });
});
