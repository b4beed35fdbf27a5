// The SQL of a page's write, as text over bound parameters only: a page's rows travel as one text[] parameter per
// column, unnested into typed rows, so a 1000-row page is one statement and one round trip, whatever its width.
import { quoteId } from "./fields";
import type { PgType } from "./column-types";
import type { TableSpec } from "../types";

export const SYNCED_AT = "_synced_at";
export const DELETED = "_deleted";

/** An ISO 8601 timestamp in a text column (the stale guard compares two of them as instants). */
const INSTANT_TEXT = "'^\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?([Zz]|[+-]\\d{2}(:?\\d{2})?)?$'";

export const qualified = (schema: string, table: string): string => `${quoteId(schema)}.${quoteId(table)}`;

/**
 * The page's rows as a typed record set over `columns`: one text[] parameter per column ($first, $first+1, ...),
 * unnested side by side and cast to each column's type (PostgreSQL parses arrays of text faster than JSON).
 */
export function recordSet(columns: readonly string[], types: ReadonlyMap<string, PgType>, alias = "i", first = 1): string {
  const casts = columns.map((name, k) => `u.c${k}::${types.get(name) ?? "text"} AS ${quoteId(name)}`);
  const arrays = columns.map((_, k) => `$${first + k}::text[]`);
  return `(SELECT ${casts.join(", ")} FROM unnest(${arrays.join(", ")}) AS u(${columns.map((_, k) => `c${k}`).join(", ")})) AS ${alias}`;
}

/**
 * The stale-write guard: `incoming` is not older than `stored`. Typed columns compare natively (timestamptz as
 * instants); timestamps kept in a text column compare as instants too, other text byte by byte (COLLATE "C", not
 * the database's locale). A NULL incoming cursor never overwrites a stored one (as in SQLite).
 */
export function notOlder(incoming: string, stored: string, type: PgType | undefined): string {
  if (type === undefined) return "TRUE"; // no such column: nothing to compare
  if (type === "text") {
    const instants = `${incoming} ~ ${INSTANT_TEXT} AND ${stored} ~ ${INSTANT_TEXT}`;
    return `(${stored} IS NULL OR CASE WHEN ${instants} THEN ${incoming}::timestamptz >= ${stored}::timestamptz ELSE ${incoming} COLLATE "C" >= ${stored} COLLATE "C" END)`;
  }
  if (type === "jsonb") return `(${stored} IS NULL OR ${incoming}::text COLLATE "C" >= ${stored}::text COLLATE "C")`;
  return `(${stored} IS NULL OR ${incoming} >= ${stored})`;
}

/**
 * One page's upsert ($1..$n the columns of `names`, $n+1 the time written), answering how many rows it inserted and updated.
 * A row older than the stored one never overwrites it; an identical one is left alone, unless a full refresh had
 * marked it deleted. `xmax = 0` tells an inserted row from an updated one (an update leaves the locker's xid).
 */
export function upsertSql(table: string, spec: TableSpec, names: readonly string[], types: ReadonlyMap<string, PgType>): string {
  const cols = names.map(quoteId);
  const nonKey = names.filter((n) => !spec.primaryKey.includes(n));
  const set = [...[...nonKey, SYNCED_AT].map((n) => `${quoteId(n)} = excluded.${quoteId(n)}`), `${quoteId(DELETED)} = false`].join(", ");
  const differs = [...nonKey.map((n) => `excluded.${quoteId(n)} IS DISTINCT FROM t.${quoteId(n)}`), `t.${quoteId(DELETED)}`].join(" OR ");
  const cursor = quoteId(spec.cursorField);
  const guard = notOlder(`excluded.${cursor}`, `t.${cursor}`, types.get(spec.cursorField));
  return (
    `WITH up AS (INSERT INTO ${table} AS t (${cols.join(", ")}, ${quoteId(SYNCED_AT)}, ${quoteId(DELETED)}) ` +
    `SELECT ${cols.map((c) => `i.${c}`).join(", ")}, $${names.length + 1}::timestamptz, false FROM ${recordSet(names, types)} ` +
    `ON CONFLICT (${spec.primaryKey.map(quoteId).join(", ")}) DO UPDATE SET ${set} WHERE ${guard} AND (${differs}) ` +
    `RETURNING (t.xmax = 0) AS inserted) ` +
    `SELECT (count(*) FILTER (WHERE inserted))::int AS inserted, (count(*) FILTER (WHERE NOT inserted))::int AS updated FROM up`
  );
}

/** How many of the page's rows (the columns of staleColumns(spec), as arrays) are older than their stored row: the rows the upsert left alone as stale. */
export function staleCountSql(table: string, spec: TableSpec, types: ReadonlyMap<string, PgType>): string {
  const match = spec.primaryKey.map((k) => `t.${quoteId(k)} = i.${quoteId(k)}`).join(" AND ");
  const cursor = quoteId(spec.cursorField);
  const type = types.get(spec.cursorField);
  if (type === undefined) return "SELECT 0 AS n";
  return `SELECT count(*)::int AS n FROM ${recordSet(staleColumns(spec), types)} JOIN ${table} AS t ON ${match} WHERE i.${cursor} IS NOT NULL AND NOT ${notOlder(`i.${cursor}`, `t.${cursor}`, type)}`;
}

/** The columns the stale count reads: the key and the cursor. */
export function staleColumns(spec: TableSpec): string[] {
  return [...new Set([...spec.primaryKey, spec.cursorField])];
}
