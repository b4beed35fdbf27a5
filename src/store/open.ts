// The one way the CLI opens a destination: the --db value picks the store, so nothing outside src/store knows
// which one it talks to.
import { maskUrl } from "../secrets";
import { PostgresStore } from "./postgres/store";
import { SqliteStore } from "./sqlite/sqlite-store";
import type { OpenOptions, Store } from "./types";

/** A PostgreSQL connection URL (anything else given to --db is an SQLite file path). */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

/** The --db value fit for a message: a URL's password masked (before a store is open; after, store.location). */
export function shownDb(db: string): string {
  return isPostgresUrl(db) ? maskUrl(db) : db;
}

export async function openStore(db: string, options: OpenOptions): Promise<Store> {
  if (isPostgresUrl(db)) return PostgresStore.open(db, options);
  return SqliteStore.open(db, options);
}
