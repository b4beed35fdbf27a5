// What only the PostgreSQL store has to prove (the shared store contract covers the rest): its type mapping, the
// per-table advisory lock, readers beside an open checkpoint, and clear errors with the password masked.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SQL } from "bun";
import { PostgresStore } from "../../src/store/postgres/store";
import { testPostgres, type TestPostgres } from "../helpers/postgres";

let pg: TestPostgres;
let url: string;
let admin: SQL;
beforeAll(async () => {
  pg = await testPostgres();
  url = await pg.createDatabase("pgstore");
  admin = new SQL(url, { max: 1 });
});
afterAll(async () => {
  await admin?.close();
});

const spec = (table: string) => ({ table, primaryKey: ["id"], cursorField: "updatedAt" });

describe("types", () => {
  test("declared types map to PostgreSQL's; undeclared columns take their first value's; microseconds are kept", async () => {
    const store = await PostgresStore.open(url, { mode: "writer", tables: ["typed"] });
    const columns = {
      updatedAt: "UTC_DATETIME",
      n: "INT",
      big: "LONG",
      x: "DOUBLE",
      ok: "BOOLEAN",
      doc: "JSON",
      name: "STRING",
      local: "NAIVE_DATETIME",
    } as const;
    const row = {
      id: "a",
      updatedAt: "2024-03-01T10:00:00.123456Z",
      n: 7,
      big: 2 ** 40,
      x: 1.5,
      ok: true,
      doc: { k: [1, 2] },
      name: "Ann",
      local: "2024-03-01T10:00:00",
      later: 3,
      seen: "2024-03-01T10:00:00+01:00",
      flag: false,
      tags: ["a"],
    };
    await store.writePage({ spec: { ...spec("typed"), columns }, rows: [row], state: {} });
    await store.checkpoint();
    await store.close();
    const types: { column_name: string; data_type: string }[] =
      await admin`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'typed' ORDER BY ordinal_position`;
    expect(Object.fromEntries(types.map((t) => [t.column_name, t.data_type]))).toEqual({
      id: "text",
      updatedAt: "timestamp with time zone",
      n: "bigint",
      big: "bigint",
      x: "double precision",
      ok: "boolean",
      doc: "jsonb",
      name: "text",
      local: "timestamp without time zone",
      later: "bigint",
      seen: "timestamp with time zone",
      flag: "boolean",
      tags: "jsonb",
      _synced_at: "timestamp with time zone",
      _deleted: "boolean",
    });
    const [stored] =
      await admin`SELECT to_char("updatedAt", 'YYYY-MM-DD"T"HH24:MI:SS.US') AS at, big::text AS big, doc, seen = '2024-03-01T09:00:00Z'::timestamptz AS same FROM typed`;
    expect(stored).toEqual({ at: "2024-03-01T10:00:00.123456", big: String(2 ** 40), doc: { k: [1, 2] }, same: true });
  });

  test("a value its column cannot hold widens the column and is reported, not lost", async () => {
    const store = await PostgresStore.open(url, { mode: "writer", tables: ["widen"] });
    await store.writePage({ spec: spec("widen"), rows: [{ id: "a", updatedAt: "2024-01-01T00:00:00Z", n: 1 }], state: {} });
    const counts = await store.writePage({ spec: spec("widen"), rows: [{ id: "b", updatedAt: "2024-01-01T00:00:00Z", n: "n/a" }], state: {} });
    await store.checkpoint();
    await store.close();
    expect(counts.typeConflicts).toEqual([{ column: "n", declared: "bigint", found: "TEXT", count: 1, sample: "n/a" }]);
    expect(await admin`SELECT id, n FROM widen ORDER BY id`).toEqual([
      { id: "a", n: "1" },
      { id: "b", n: "n/a" },
    ]);
  });
});

describe("the stale guard in a text column", () => {
  test("timestamps kept as text (declared STRING) still compare as instants; other text byte by byte", async () => {
    const store = await PostgresStore.open(url, { mode: "writer", tables: ["texts"] });
    const texts = { ...spec("texts"), columns: { updatedAt: "STRING" } } as const;
    const write = async (updatedAt: string) => {
      const counts = await store.writePage({ spec: texts, rows: [{ id: "a", updatedAt }], state: {} });
      await store.checkpoint();
      return counts;
    };
    await write("2024-01-01T10:00:00+01:00");
    expect(await write("2024-01-01T09:30:00Z")).toMatchObject({ updated: 1 }); // later, though "09" < "10" as text
    expect(await write("2024-01-01T10:15:00+01:00")).toMatchObject({ stale: 1 }); // 09:15Z: earlier, though "10" > "09"
    await write("b");
    expect(await write("B")).toMatchObject({ stale: 1 }); // "B" < "b" in bytes (COLLATE "C"), whatever the locale
    await store.close();
  });
});

describe("one writer per table", () => {
  test("a second writer of the same table is refused at once; another table, or after close, is fine", async () => {
    const first = await PostgresStore.open(url, { mode: "writer", tables: ["locked"] });
    const reader = await PostgresStore.open(url, { mode: "reader" });
    expect(await reader.isWriting("locked")).toBe(true);
    expect(await reader.isWriting("unlocked")).toBe(false);
    const refused = await PostgresStore.open(url, { mode: "writer", tables: ["locked"] }).catch((e) => e);
    expect(refused).toMatchObject({ code: "db_locked", exitCode: 1 });
    expect(refused.message).toContain("in use by another sync");
    const other = await PostgresStore.open(url, { mode: "writer", tables: ["unlocked"] });
    await other.close();
    await first.close();
    expect(await reader.isWriting("locked")).toBe(false);
    await reader.close();
    const next = await PostgresStore.open(url, { mode: "writer", tables: ["locked"] });
    await next.close();
  });

  test("the server drops a dead writer's lock: once its connection is gone, the next writer gets in", async () => {
    const crashed = await PostgresStore.open(url, { mode: "writer", tables: ["orphan"] });
    await expect(PostgresStore.open(url, { mode: "writer", tables: ["orphan"] })).rejects.toMatchObject({ code: "db_locked" });
    const gone = await admin`SELECT pid FROM pg_stat_activity WHERE application_name = 'connector' AND datname = current_database()`;
    const pids = gone.map((r: { pid: number }) => r.pid);
    await admin`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ANY(${pids})`;
    // Termination is a signal: the backend (and its advisory lock) goes a moment later, as after a real crash.
    for (let i = 0; i < 100; i++) {
      const [{ n }] = await admin`SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = ANY(${pids})`;
      if (n === 0) break;
      await Bun.sleep(50);
    }
    const next = await PostgresStore.open(url, { mode: "writer", tables: ["orphan"] });
    await next.close();
    await crashed.close();
  });

  test("a reader is never blocked by an open checkpoint, and sees only what was committed", async () => {
    const writer = await PostgresStore.open(url, { mode: "writer", tables: ["busy"] });
    await writer.writePage({ spec: spec("busy"), rows: [{ id: "a", updatedAt: "2024-01-01T00:00:00Z" }], state: { page: 1 } });
    await writer.checkpoint();
    await writer.writePage({ spec: spec("busy"), rows: [{ id: "b", updatedAt: "2024-01-01T00:00:00Z" }], state: { page: 2 } });
    const reader = await PostgresStore.open(url, { mode: "reader" });
    const started = performance.now();
    expect(await reader.readState("busy")).toEqual({ page: 1 });
    expect(await reader.rowCounts("busy")).toEqual({ live: 1, deleted: 0 });
    expect(performance.now() - started).toBeLessThan(2000);
    await writer.checkpoint();
    expect(await reader.rowCounts("busy")).toEqual({ live: 2, deleted: 0 });
    await reader.close();
    await writer.close();
  });

  test("a table the connector did not create is refused before anything changes", async () => {
    await admin`CREATE TABLE theirs (id text PRIMARY KEY)`;
    await expect(PostgresStore.open(url, { mode: "writer", tables: ["theirs"] })).rejects.toMatchObject({ code: "db_foreign", exitCode: 2 });
  });
});

describe("errors name the URL, never the password", () => {
  test("nothing listening", async () => {
    const error = await PostgresStore.open(`postgres://ann:s3cret-pw@127.0.0.1:1/db`, { mode: "reader" }).catch((e) => e);
    expect(error).toMatchObject({ code: "db_connect" });
    expect(error.message).toContain("postgres://ann:***@127.0.0.1:1/db");
    expect(error.message).not.toContain("s3cret");
  });

  test("a missing database", async () => {
    const error = await PostgresStore.open(`postgres://postgres:s3cret-pw@127.0.0.1:${pg.port}/no_such_db`, { mode: "writer", tables: ["t"] }).catch((e) => e);
    expect(error).toMatchObject({ code: "db_missing" });
    expect(error.message).toContain("database 'no_such_db' does not exist");
    expect(error.message).not.toContain("s3cret");
  });

  test("a role that may not log in, and one without rights on the schema", async () => {
    await admin.unsafe(`CREATE ROLE nologin_role NOLOGIN; CREATE ROLE plain_role LOGIN`);
    const login = await PostgresStore.open(url.replace("postgres@", "nologin_role:pw-s3cret@"), { mode: "reader" }).catch((e) => e);
    expect(login).toMatchObject({ code: "db_auth" });
    expect(login.message).not.toContain("pw-s3cret");
    const denied = await PostgresStore.open(url.replace("postgres@", "plain_role@"), { mode: "writer", tables: ["t"] }).catch((e) => e);
    expect(denied).toMatchObject({ code: "db_permission" });
    expect(denied.message).toContain("schema 'public'");
  });
});

describe("a server restart", () => {
  test("mid-checkpoint: the next write fails clearly, the last checkpoint survives and a new store resumes from it", async () => {
    const store = await PostgresStore.open(url, { mode: "writer", tables: ["restarted"] });
    await store.writePage({ spec: spec("restarted"), rows: [{ id: "a", updatedAt: "2024-01-01T00:00:00Z" }], state: { page: 1 } });
    await store.checkpoint();
    await store.writePage({ spec: spec("restarted"), rows: [{ id: "b", updatedAt: "2024-01-01T00:00:00Z" }], state: { page: 2 } });
    pg.restart();
    const error = await store
      .writePage({ spec: spec("restarted"), rows: [{ id: "c", updatedAt: "2024-01-01T00:00:00Z" }], state: { page: 3 } })
      .catch((e) => e);
    expect(error).toMatchObject({ code: "db_connection_lost" });
    expect(error.message).toContain("run the same command again");
    expect(store.pending).toBe(false);
    await store.close();
    const next = await PostgresStore.open(url, { mode: "writer", tables: ["restarted"] });
    expect(await next.readState("restarted")).toEqual({ page: 1 });
    expect(await next.rowCounts("restarted")).toEqual({ live: 1, deleted: 0 });
    await next.close();
  });
});
