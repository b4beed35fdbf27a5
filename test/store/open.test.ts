import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isPostgresUrl, openStore } from "../../src/store/open";

describe("openStore picks the store from --db", () => {
  test("postgres:// and postgresql:// URLs are PostgreSQL; anything else is an SQLite path", () => {
    expect(isPostgresUrl("postgres://u:p@127.0.0.1:5432/db")).toBe(true);
    expect(isPostgresUrl("PostgreSQL://127.0.0.1/db")).toBe(true);
    expect(isPostgresUrl("./postgres.db")).toBe(false);
    expect(isPostgresUrl("connector.db")).toBe(false);
  });

  test("a PostgreSQL URL is refused with exit 2 until that store is built", async () => {
    await expect(openStore("postgres://127.0.0.1/db", { mode: "writer", tables: ["user"] })).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining("PostgreSQL destination is not built in this version") });
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
