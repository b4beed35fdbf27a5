import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isPostgresUrl, openStore } from "../../src/store/open";
import { testPostgres } from "../helpers/postgres";

describe("openStore picks the store from --db", () => {
  test("postgres:// and postgresql:// URLs are PostgreSQL; anything else is an SQLite path", () => {
    expect(isPostgresUrl("postgres://u:p@127.0.0.1:5432/db")).toBe(true);
    expect(isPostgresUrl("PostgreSQL://127.0.0.1/db")).toBe(true);
    expect(isPostgresUrl("./postgres.db")).toBe(false);
    expect(isPostgresUrl("connector.db")).toBe(false);
  });

  test("a PostgreSQL URL opens the PostgreSQL store; its location and errors mask the password", async () => {
    const url = await (await testPostgres()).createDatabase("open");
    const store = await openStore(url.replace("postgres@", "postgres:pw-secret@"), { mode: "writer", tables: ["user"] });
    expect(store.location).toBe(url.replace("postgres@", "postgres:***@"));
    await store.close();
    const refused = await openStore("postgresql://ann:pw-secret@127.0.0.1:1/db", { mode: "reader" }).catch((e) => e);
    expect(refused).toMatchObject({ code: "db_connect", exitCode: 1 });
    expect(refused.message).toContain("postgresql://ann:***@127.0.0.1:1/db");
    expect(refused.message).not.toContain("pw-secret");
  });

  test("a path opens SQLite there", async () => {
    const dir = mkdtempSync(join(tmpdir(), "connector-open-"));
    try {
      const store = await openStore(join(dir, "x.db"), { mode: "writer", tables: ["user"] });
      expect(store.location).toBe(join(dir, "x.db"));
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
