// The one way the CLI opens a destination: the --db value picks the store, so nothing outside src/store knows
// which one it talks to.
import { AppError } from "../errors";
import { SqliteStore } from "./sqlite/sqlite-store";
import type { OpenOptions, Store } from "./types";

/** A PostgreSQL connection URL (anything else given to --db is an SQLite file path). */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

export async function openStore(db: string, options: OpenOptions): Promise<Store> {
  if (isPostgresUrl(db)) throw new AppError("db_unsupported", "PostgreSQL destination is not built in this version: give --db an SQLite file path");
  return SqliteStore.open(db, options);
}
