// The SQL of a page's upsert and of the two lookups beside it, as text (SqliteStore prepares and caches them),
// and the key and staleness checks that go with them.
import type { Statement } from "bun:sqlite";
import { DELETED } from "./refresh";
import { quoteId, SYNCED_AT, toSqlValue, type SqlValue } from "./sql";
import type { Row, TableSpec } from "./types";

/**
 * One row's upsert over `names` (then _synced_at). A row older than the stored one never overwrites it; an
 * identical row is left alone (counted unchanged), unless a full refresh had marked it deleted: it is back.
 */
export function upsertSql(spec: TableSpec, names: readonly string[]): string {
  const t = quoteId(spec.table);
  const cols = [...names, SYNCED_AT].map(quoteId);
  const nonKey = names.filter((n) => !spec.primaryKey.includes(n));
  const cursor = quoteId(spec.cursorField);
  const set = [...[...nonKey, SYNCED_AT].map((n) => `${quoteId(n)} = excluded.${quoteId(n)}`), `${DELETED} = 0`].join(", ");
  const differs = [...nonKey.map((n) => `excluded.${quoteId(n)} IS NOT ${t}.${quoteId(n)}`), `${t}.${DELETED} <> 0`].join(" OR ");
  return (
    `INSERT INTO ${t} (${cols.join(", ")}, ${DELETED}) VALUES (${cols.map(() => "?").join(", ")}, 0) ` +
    `ON CONFLICT (${spec.primaryKey.map(quoteId).join(", ")}) DO UPDATE SET ${set} ` +
    `WHERE (${t}.${cursor} IS NULL OR excluded.${cursor} >= ${t}.${cursor}) AND (${differs})`
  );
}

/** The keys (as keyOf gives them) of the rows of a JSON array of keys that the table already has. */
export function existingKeysSql(spec: TableSpec): string {
  const t = quoteId(spec.table);
  const keys = spec.primaryKey.map(quoteId);
  return keys.length === 1
    ? `SELECT json_array(${keys[0]}) AS k FROM ${t} WHERE ${keys[0]} IN (SELECT value FROM json_each(?))`
    : `SELECT json_array(${keys.join(", ")}) AS k FROM ${t} WHERE (${keys.join(", ")}) IN (SELECT ${keys.map((_, i) => `json_extract(value, '$[${i}]')`).join(", ")} FROM json_each(?))`;
}

/** The stored cursor of the row whose keyOf is ?1. */
export function storedCursorSql(spec: TableSpec): string {
  const where = spec.primaryKey.map((k, i) => `${quoteId(k)} = json_extract(?1, '$[${i}]')`).join(" AND ");
  return `SELECT ${quoteId(spec.cursorField)} AS c FROM ${quoteId(spec.table)} WHERE ${where}`;
}

/** The key of a row as the lookups take and return it: json_array(pk...). */
export function keyOf(spec: TableSpec, row: Row): string {
  return JSON.stringify(spec.primaryKey.map((k) => toSqlValue(row[k])));
}

/** A row not written because the stored one is newer (by the cursor field). */
export function isStale(check: Statement<{ c: SqlValue }, [string]>, spec: TableSpec, row: Row): boolean {
  const stored = check.get(keyOf(spec, row))?.c;
  const incoming = toSqlValue(row[spec.cursorField]);
  return stored !== null && stored !== undefined && incoming !== null && incoming < stored;
}
