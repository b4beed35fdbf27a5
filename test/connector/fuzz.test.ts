// Fuzz-style: generated malformed pages and configurations. Every one must end in a clear error (an AppError
// with exit 1 or 2, never an internal error or a crash), and the database must be exactly as it was.
import { afterAll, describe, expect, test } from "bun:test";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { memoryIo } from "../../src/cli/io";
import { runCli } from "../../src/cli/run";
import type { FetchLike } from "../../src/connector/http/client";
import { AppError } from "../../src/errors";
import { syncOnce } from "../helpers/sync";

const dir = mkdtempSync(join(tmpdir(), "connector-fuzz-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** mulberry32: the cases are the same on every run. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(20261122);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
const junk = () => pick([null, true, false, 0, -1, 1.5, "", "x", "\u0000", [], [1], {}, { a: { b: [] } }, "9".repeat(400)]);

const user = (i: number) => ({
  id: `u${i}`,
  name: `n${i}`,
  updatedAt: `2025-01-01T00:${String(Math.floor(i / 60)).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}Z`,
});
const validPage = () => ({ data: Array.from({ length: 5 }, (_, i) => user(100 + i)), offset: 0, limit: 5, total: 5 });

type Case = { name: string; body: string; type?: string };

/** Each mutation makes a page that is wrong for an offset sync whose cursor stands at 2025-01-01T00:01:40Z. */
const pageMutations: ((page: ReturnType<typeof validPage>) => Case)[] = [
  (p) => ({ name: "truncated JSON", body: JSON.stringify(p).slice(0, 1 + Math.floor(random() * (JSON.stringify(p).length - 2))) }),
  (p) => ({ name: "garbage bytes", body: JSON.stringify(p).replace(/[{"]/, () => pick(["\u0001", "<", "'", "}"])) }),
  () => ({ name: "not JSON at all", body: pick(["<html>oops</html>", "", "null garbage", "{]", "undefined"]) }),
  // JSON labelled as something else is read (client.ts); a body that is not JSON, labelled as what it is, is not.
  () => ({
    name: "not JSON, labelled as what it is",
    ...pick([
      { body: "<html><body>Sign in</body></html>", type: "text/html" },
      { body: '<?xml version="1.0"?><rows/>', type: "application/xml" },
      { body: "\u0089PNG\r\n", type: "image/png" },
    ]),
  }),
  (p) => ({ name: "data is not a list", body: JSON.stringify({ ...p, data: pick([null, 5, "rows", { id: 1 }, true]) }) }),
  () => ({ name: "body is a scalar", body: JSON.stringify(pick([5, "x", true, null])) }),
  (p) => {
    const data: unknown[] = [...p.data];
    data[Math.floor(random() * data.length)] = pick([null, 5, "row", [1, 2], true]);
    return { name: "a record is not an object", body: JSON.stringify({ ...p, data }) };
  },
  (p) => {
    const data = p.data.map((r) => ({ ...r })) as Record<string, unknown>[];
    const at = data[Math.floor(random() * data.length)] as Record<string, unknown>;
    if (random() < 0.3) delete at.id;
    else at.id = pick([null, {}, [], { x: 1 }]);
    return { name: "a record without a usable id", body: JSON.stringify({ ...p, data }) };
  },
  (p) => {
    const data = p.data.map((r) => ({ ...r })) as Record<string, unknown>[];
    const at = data[Math.floor(random() * data.length)] as Record<string, unknown>;
    if (random() < 0.3) delete at.updatedAt;
    else at.updatedAt = pick([null, "", {}, [], true]);
    return { name: "a record without a usable cursor", body: JSON.stringify({ ...p, data }) };
  },
  (p) => ({ name: "total is not a count", body: JSON.stringify({ ...p, total: pick([-1, 1.5, "many", {}, [], true]) }) }),
  (p) => {
    const data = [...p.data].reverse();
    return { name: "records out of cursor order", body: JSON.stringify({ ...p, data }) };
  },
  // (First on its page, such a record shows an API that ignores the filter: the list is then read whole, see since-ignored.test.ts.)
  (p) => ({
    name: "a record older than updated_since inside the page",
    body: JSON.stringify({ ...p, data: [...p.data.slice(0, 1), user(1 + Math.floor(random() * 90)), ...p.data.slice(1)] }),
  }),
  (p) => ({ name: "a huge record", body: JSON.stringify({ ...p, data: [...p.data, { ...user(200), blob: "x".repeat(3000 + Math.floor(random() * 5000)) }] }) }),
  (p) => {
    const depth = 20_000 + Math.floor(random() * 100_000);
    return { name: "deep nesting", body: JSON.stringify(p).replace('"n100"', `${"[".repeat(depth)}${"]".repeat(depth)}`) };
  },
];

function snapshot(db: string): string {
  const files = ["", "-wal"].map((s) => (existsSync(db + s) ? readFileSync(db + s).toString("base64") : "-"));
  return files.join("|");
}

describe("fuzz", () => {
  test("200+ malformed pages: each a clear error with exit 1, the database unchanged", async () => {
    // A template database with a finished first sync (cursor at u99's updatedAt).
    const template = join(dir, "template.db");
    const first: FetchLike = async () => Response.json({ data: Array.from({ length: 100 }, (_, i) => user(i)), offset: 0, limit: 100, total: 100 });
    const config = { base_url: "http://fuzz.test/items", strategy: "offset", page_size: 5, retry: { max_attempts: 1 }, limits: { max_record_bytes: 2048 } };
    expect((await syncOnce(template, config, first)).summary?.inserted).toBe(100);

    const seen = new Map<string, number>();
    for (let i = 0; i < 224; i++) {
      const mutation = pageMutations[i % pageMutations.length] as (p: ReturnType<typeof validPage>) => Case;
      const c = mutation(validPage());
      const db = join(dir, `page-${i}.db`);
      copyFileSync(template, db);
      const before = snapshot(db);
      const fetch: FetchLike = async () => new Response(c.body, { headers: { "content-type": c.type ?? "application/json" } });
      const run = await syncOnce(db, config, fetch);
      const verdict = { case: i, name: c.name, appError: run.error instanceof AppError, exit: run.error?.exitCode, unchanged: snapshot(db) === before };
      expect(verdict).toEqual({ case: i, name: c.name, appError: true, exit: 1, unchanged: true });
      expect(run.error?.message ?? "").not.toMatch(/internal error|got undefined|\[object Object\]/);
      seen.set(c.name, (seen.get(c.name) ?? 0) + 1);
      rmSync(db, { force: true });
    }
    expect(seen.size).toBe(pageMutations.length);
  }, 120_000);

  test("200+ bad configurations: each exit 2 naming the problem, no database created or touched", async () => {
    const bad: [string, unknown][] = [
      ...[0, -1, 10_001, 1.5, "50", null, true, [], {}].map((v) => ["page_size", v] as [string, unknown]),
      ...["cursor", "OFFSET", "", 1, null, ["offset"]].map((v) => ["strategy", v] as [string, unknown]),
      ...["a b", "1abc", "", "x".repeat(64), "_connector_x", "sqlite_master", 5, "drop;table", 'tab"le'].map((v) => ["table", v] as [string, unknown]),
      ...[[], "id", [1], ["a b"], [null], {}].map((v) => ["primary_key", v] as [string, unknown]),
      ...["", "a-b", 3, "x y", null].map((v) => ["cursor_field", v] as [string, unknown]),
      ...["yesterday", "2024-13-01T00:00:00Z", "5", true, "2024-01-01", "2024-01-01T00:00:00", ""].map((v) => ["initial_cursor", v] as [string, unknown]),
      ...[-1, 1e9, "1", 0.5].map((v) => ["lookback_seconds", v] as [string, unknown]),
      ...[5, "x", { a: {} }, { a: [1] }, { a: null }].map((v) => ["params", v] as [string, unknown]),
      ...[{ a: 1 }, "x", { a: null }, [1]].map((v) => ["headers", v] as [string, unknown]),
      ...[
        { type: "magic" },
        { type: "bearer" },
        { type: "bearer", token: "" },
        { type: "basic", username: 1, password: "p" },
        { type: "api_key" },
        { type: "session_token", login_url: "ftp://x", username: "u", password: "p" },
        { token: "x" },
        "bearer",
        5,
      ].map((v) => ["auth", v] as [string, unknown]),
      ...[{ first_page: 2 }, { since_param: "" }, { limit_param: 5 }, { nope: "x" }, { first_page: -1 }, "x"].map((v) => ["request", v] as [string, unknown]),
      ...[{ records: 5 }, { nope: 1 }, { total_header: "" }, { next_url: [] }].map((v) => ["response", v] as [string, unknown]),
      ...[{ max_attempts: 0 }, { max_attempts: 10_001 }, { timeout_seconds: 0 }, { max_elapsed_seconds: -5 }, { base_delay_ms: 0 }, { extra: 1 }].map(
        (v) => ["retry", v] as [string, unknown],
      ),
      ...[{ max_response_bytes: 10 }, { max_record_bytes: 1 }, { other: 1 }].map((v) => ["limits", v] as [string, unknown]),
      ...[["http://x/path"], "x", [5], ["ftp://x"]].map((v) => ["allow_origins", v] as [string, unknown]),
      ...[0, -3, "10", 1.5].map((v) => ["max_pages", v] as [string, unknown]),
      ...["yes", 1, null].map((v) => ["strict_totals", v] as [string, unknown]),
      ...[{ a: "TEXT" }, { "": "STRING" }, { _synced_at: "STRING" }, "x"].map((v) => ["columns", v] as [string, unknown]),
      ...["notaurl", "ftp://x", "http://u:p@h/x", "", 5, null, "javascript:alert(1)", "file:///etc/passwd"].map((v) => ["base_url", v] as [string, unknown]),
    ];
    const base = { base_url: "http://127.0.0.1:9/x" };
    const cases: Record<string, unknown>[] = bad.map(([key, value]) => ({ ...base, [key]: value }));
    // Pairs of bad values and unknown keys until there are well over 200.
    while (cases.length < 230) {
      const [k1, v1] = pick(bad);
      const extra = random() < 0.5 ? { [`unknown_${Math.floor(random() * 1e6)}`]: junk() } : Object.fromEntries([pick(bad)]);
      cases.push({ ...base, ...extra, [k1]: v1 });
    }
    const existing = join(dir, "existing.db");
    const seed: FetchLike = async () => Response.json({ data: [user(1)], scroll_param: null });
    await syncOnce(existing, { base_url: "http://fuzz.test/items", strategy: "keyset" }, seed);
    const before = snapshot(existing);
    const files = ["{", '{"base_url": ', "[]", "null", '"x"', "{}}", "\u0000"];
    for (const [i, c] of [...cases, ...files].entries()) {
      const file = join(dir, `config-${i}.json`);
      writeFileSync(file, typeof c === "string" ? c : JSON.stringify(c));
      for (const db of [join(dir, `never-${i}.db`), existing]) {
        const io = memoryIo({ cwd: dir });
        const code = await runCli(["sync", "--config", file, "--db", db], io);
        const err = io.err.join("");
        expect({ i, code, clear: err.startsWith("connector: configuration") && err.split("\n").filter(Boolean).length === 1 }).toEqual({
          i,
          code: 2,
          clear: true,
        });
      }
      expect(existsSync(join(dir, `never-${i}.db`))).toBe(false);
    }
    expect(snapshot(existing)).toBe(before);
  }, 120_000);
});
