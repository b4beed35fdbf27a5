import type { Database } from "bun:sqlite";
import { quoteId } from "./sql";

export function tableExists(db: Database, table: string): boolean {
  return db.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== null;
}

/** A table's columns with their declared types (none when the table does not exist). */
export function columnsOf(db: Database, table: string): { name: string; type: string }[] {
  return db.query<{ name: string; type: string }, []>(`PRAGMA table_info(${quoteId(table)})`).all();
}
