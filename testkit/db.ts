// Reads a synced SQLite database the way a user would, for tests and the torture harness alike.
import { Database } from "bun:sqlite";

/** Every live row of a synced table (not marked deleted), keyed by id, without the connector's own columns. */
export function tableRows(db: string, table = "user"): Map<string, Record<string, unknown>> {
  const sqlite = new Database(db);
  try {
    const exists = sqlite.query("SELECT 1 FROM sqlite_master WHERE name = ?").get(table);
    if (!exists) return new Map();
    const rows = sqlite.query(`SELECT * FROM "${table}" WHERE _deleted = 0`).all() as Record<string, unknown>[];
    return new Map(rows.map(({ _synced_at, _deleted, ...row }) => [String(row.id), row]));
  } finally {
    sqlite.close();
  }
}

/** The ids a full refresh marked deleted (`_deleted = 1`). */
export function deletedIds(db: string, table = "user"): Set<string> {
  const sqlite = new Database(db);
  try {
    const rows = sqlite.query(`SELECT id FROM "${table}" WHERE _deleted = 1`).all() as { id: string }[];
    return new Set(rows.map((row) => row.id));
  } finally {
    sqlite.close();
  }
}

export function savedState(db: string, table = "user"): Record<string, unknown> | null {
  const sqlite = new Database(db);
  try {
    const row = sqlite.query("SELECT state FROM _connector_state WHERE stream = ?").get(table) as { state: string } | null;
    return row ? JSON.parse(row.state) : null;
  } finally {
    sqlite.close();
  }
}

export function integrityOk(db: string): boolean {
  const sqlite = new Database(db);
  try {
    return (sqlite.query("PRAGMA integrity_check").get() as { integrity_check: string }).integrity_check === "ok";
  } finally {
    sqlite.close();
  }
}
