import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../src/store/open";
import { SQL_TYPE } from "../../src/store/sqlite/sql";
import { storeContract } from "./contract";

/** A fresh SQLite file (not created yet), opened through openStore as the CLI opens it. */
storeContract("sqlite", async () => {
  const dir = mkdtempSync(join(tmpdir(), "connector-contract-"));
  const path = join(dir, "contract.db");
  const peek = <T>(read: (db: Database) => T): T => {
    const db = new Database(path, { readonly: true });
    try {
      return read(db);
    } finally {
      db.close();
    }
  };
  return {
    open: (options) => openStore(path, options),
    typeName: (type) => SQL_TYPE[type],
    columnType: async (table, column) =>
      peek((db) => (db.query(`SELECT type FROM pragma_table_info(?) WHERE name = ?`).get(table, column) as { type: string } | null)?.type ?? null),
    createForeignTable: async (table) => {
      const db = new Database(path, { create: true });
      db.run(`CREATE TABLE "${table}" (id TEXT PRIMARY KEY, name TEXT)`);
      db.close();
    },
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
});
