// The SQL of a page's upsert and of the two lookups beside it, as text (SqliteStore prepares and caches them),
// and the key and staleness checks that go with them.
import type { Statement } from "bun:sqlite";
import { compareCursor } from "../../instants";
import { DELETED, quoteId, SYNCED_AT, toSqlValue, type SqlValue } from "./sql";
import type { Row, TableSpec } from "../types";

/** Where an upsert writes and what it reads, when not one row's values into the synced table (the pending rows of merge.ts). */
export interface UpsertTarget {
  /** The table written, qualified (`temp."…"`). */
  into: string;
  /** Its name in expressions (the upsert's target row). */
  name: string;
  /** Rows from a SELECT of the same columns (then _deleted), instead of one row's values. */
  select?: string;
  /** Marks what it inserts or updates: `_connector_changed = 1`. */
  mark?: boolean;
}

/** The column the pending rows mark changed rows with (pending.ts); a table with a column of that name never merges. */
export const CHANGED = "_connector_changed";

/**
 * One row's upsert over `names` (then _synced_at). A row older than the stored one never overwrites it; an
 * identical row is left alone (counted unchanged), unless a full refresh had marked it deleted: it is back.
 */
export function upsertSql(spec: TableSpec, names: readonly string[], target?: UpsertTarget): string {
  const t = target?.name ?? quoteId(spec.table);
  const cols = [...names, SYNCED_AT].map(quoteId);
  const nonKey = names.filter((n) => !spec.primaryKey.includes(n));
  const cursor = quoteId(spec.cursorField);
  const mark = target?.mark ? `, ${CHANGED}` : "";
  const set = [...[...nonKey, SYNCED_AT].map((n) => `${quoteId(n)} = excluded.${quoteId(n)}`), `${DELETED} = 0`, ...(mark ? [`${CHANGED} = 1`] : [])].join(
    ", ",
  );
  const differs = [...nonKey.map((n) => `excluded.${quoteId(n)} IS NOT ${t}.${quoteId(n)}`), `${t}.${DELETED} <> 0`].join(" OR ");
  const source = target?.select ?? `VALUES (${cols.map(() => "?").join(", ")}, 0${mark ? ", 1" : ""})`;
  return (
    `INSERT INTO ${target?.into ?? t} (${cols.join(", ")}, ${DELETED}${mark}) ${source} ` +
    `ON CONFLICT (${spec.primaryKey.map(quoteId).join(", ")}) DO UPDATE SET ${set} ` +
    `WHERE (${notOlder(`excluded.${cursor}`, `${t}.${cursor}`)}) AND (${differs})`
  );
}

/**
 * A timestamp's instant as fixed-width UTC text to the nanosecond (`YYYY-MM-DDTHH:MM:SS` + 9 digits), or NULL when
 * it is not one. strftime applies a `+01:00` offset but keeps only milliseconds, so the fraction is copied from the
 * text (offsets are whole minutes: they never move it).
 */
function instantSql(x: string): string {
  const digits = `(length(${x}) - 20 - length(ltrim(substr(${x}, 21), '0123456789')))`;
  return `(strftime('%Y-%m-%dT%H:%M:%S', ${x}) || substr(substr(${x}, 21, (substr(${x}, 20, 1) = '.') * ${digits}) || '000000000', 1, 9))`;
}

/**
 * The stale-write guard: `incoming` is not older than `stored`. Timestamps compare as instants (`10:00:00Z` is
 * older than `10:00:00.5Z`, `11:00:00+01:00` equals `10:00:00Z`); two plain `YYYY-MM-DDTHH:MM:SSZ` texts compare as
 * text (the same order, and the common case); numbers as numbers, anything else as text. Evaluated only when a
 * key is already stored.
 */
export function notOlder(incoming: string, stored: string): string {
  const plain = (x: string) => `length(${x}) = 20 AND substr(${x}, 20) = 'Z'`;
  const instants = `typeof(${incoming}) = 'text' AND typeof(${stored}) = 'text' AND NOT (${plain(incoming)} AND ${plain(stored)}) AND ${instantSql(incoming)} IS NOT NULL AND ${instantSql(stored)} IS NOT NULL`;
  return `${stored} IS NULL OR CASE WHEN ${instants} THEN ${instantSql(incoming)} >= ${instantSql(stored)} ELSE ${incoming} >= ${stored} END`;
}

/** The keys (as keyOf gives them) of the rows of a JSON array of keys that the table already has. */
export function existingKeysSql(spec: TableSpec): string {
  const keys = spec.primaryKey.map(quoteId);
  return `SELECT json_array(${keys.join(", ")}) AS k FROM ${quoteId(spec.table)} WHERE ${keyInJsonSql(spec)}`;
}

/** The condition "the row's key is in the JSON array of keys ?" (one key: its values; several: arrays of them). */
export function keyInJsonSql(spec: TableSpec): string {
  const keys = spec.primaryKey.map(quoteId);
  return keys.length === 1
    ? `${keys[0]} IN (SELECT value FROM json_each(?))`
    : `(${keys.join(", ")}) IN (SELECT ${keys.map((_, i) => `json_extract(value, '$[${i}]')`).join(", ")} FROM json_each(?))`;
}

/** The stored cursor of the row whose keyOf is ?1. */
export function storedCursorSql(spec: TableSpec, from = quoteId(spec.table)): string {
  const where = spec.primaryKey.map((k, i) => `${quoteId(k)} = json_extract(?1, '$[${i}]')`).join(" AND ");
  return `SELECT ${quoteId(spec.cursorField)} AS c FROM ${from} WHERE ${where}`;
}

/** The key of a row as the lookups take and return it: json_array(pk...). */
export function keyOf(spec: TableSpec, row: Row): string {
  return JSON.stringify(spec.primaryKey.map((k) => toSqlValue(row[k])));
}

/** A row not written because the stored one is newer (by the cursor field). */
export function isStale(check: Statement<{ c: SqlValue }, [string]>, spec: TableSpec, row: Row): boolean {
  const stored = check.get(keyOf(spec, row))?.c;
  const incoming = toSqlValue(row[spec.cursorField]);
  if (stored === null || stored === undefined || incoming === null) return false;
  return (typeof incoming === "string" || typeof incoming === "number") && (typeof stored === "string" || typeof stored === "number")
    ? compareCursor(incoming, stored) < 0
    : incoming < stored;
}
