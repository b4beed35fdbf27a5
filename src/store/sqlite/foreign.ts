// Another program's database is never touched: before the store opens --db for writing (which switches it to
// WAL and adds _connector_state), an existing file is read, read-only, and refused when it is not SQLite or when
// the sync's table exists without the connector's _synced_at column (a table the connector did not create).
import { Database } from "bun:sqlite";
import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import { AppError } from "../../errors";
import { columnsOf } from "./schema";
import { SYNCED_AT } from "./sql";

const MAGIC = "SQLite format 3\0";

function header(path: string): string {
  const fd = openSync(path, "r");
  try {
    const bytes = Buffer.alloc(16);
    const read = readSync(fd, bytes, 0, 16, 0);
    return bytes.subarray(0, read).toString("latin1");
  } finally {
    closeSync(fd);
  }
}

/** Throws (exit 2) when `path` holds something the connector must not write into; a new or empty file passes. */
export function refuseForeign(path: string, full: string, table: string): void {
  if (!existsSync(full) || statSync(full).size === 0) return;
  if (header(full) !== MAGIC) throw new AppError("db_foreign", `--db '${path}' is not an SQLite database; it is left as it is: choose another file`);
  let db: Database | undefined;
  let columns: { name: string }[];
  try {
    db = new Database(full, { readonly: true });
    columns = columnsOf(db, table);
  } catch {
    return; // locked or unreadable: opening it for writing reports that (e.g. "in use by another sync")
  } finally {
    db?.close();
  }
  if (columns.length > 0 && !columns.some((c) => c.name === SYNCED_AT)) {
    throw new AppError(
      "db_foreign",
      `--db '${path}' already has a table '${table}' that the connector did not create (it has no ${SYNCED_AT} column); nothing was changed: choose another --db or set table to another name`,
    );
  }
}
