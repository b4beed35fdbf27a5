// Reads what a sync left in PostgreSQL, for the end-to-end tests: the live rows, the saved state, and the diff
// against the mock's oracle (timestamps compared as instants, JSON as values: PostgreSQL types them).
import { SQL } from "bun";
import type { Diff, User } from "../../testkit/oracle";

async function withDb<T>(url: string, work: (db: SQL) => Promise<T>): Promise<T> {
  const db = new SQL(url, { max: 1 });
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

/** Every live row of a synced table (not marked deleted), keyed by id, without the connector's own columns. */
export function pgTableRows(url: string, table = "user", schema = "public"): Promise<Map<string, Record<string, unknown>>> {
  return withDb(url, async (db) => {
    const [exists] = await db`SELECT to_regclass(${`"${schema}"."${table}"`}) IS NOT NULL AS ok`;
    if (!exists.ok) return new Map();
    const rows: Record<string, unknown>[] = await db.unsafe(`SELECT * FROM "${schema}"."${table}" WHERE NOT _deleted`);
    return new Map(rows.map(({ _synced_at, _deleted, ...row }) => [String(row.id), row]));
  });
}

/** The ids a full refresh marked deleted. */
export function pgDeletedIds(url: string, table = "user"): Promise<Set<string>> {
  return withDb(url, async (db) => new Set(((await db.unsafe(`SELECT id FROM "${table}" WHERE _deleted`)) as { id: string }[]).map((r) => r.id)));
}

export function pgSavedState(url: string, table = "user", schema = "public"): Promise<Record<string, unknown> | null> {
  return withDb(url, async (db) => {
    const [exists] = await db`SELECT to_regclass(${`"${schema}"."_connector_state"`}) IS NOT NULL AS ok`;
    if (!exists.ok) return null;
    const [row] = await db.unsafe(`SELECT state FROM "${schema}"._connector_state WHERE stream = $1`, [table]);
    return row ? (row.state as Record<string, unknown>) : null;
  });
}

/** A stored value equals the source's: a timestamptz as the same instant, jsonb as the same JSON value. */
function sameValue(got: unknown, want: unknown): boolean {
  if (got instanceof Date) return typeof want === "string" && got.getTime() === Date.parse(want);
  if (typeof got === "object" && got !== null) return Bun.deepEquals(got, typeof want === "string" ? JSON.parse(want) : want);
  return got === want;
}

/** Differences between a PostgreSQL table and the expected rows (as test/helpers/oracle.ts's diff for SQLite). */
export async function pgDiff(url: string, expected: Map<string, User>, table = "user"): Promise<Diff> {
  const rows = await pgTableRows(url, table);
  const result: Diff = { missing: [], extra: [], wrong: [] };
  for (const [id, want] of expected) {
    const got = rows.get(id);
    if (!got) result.missing.push(id);
    else if (!Object.keys(want).every((k) => sameValue(got[k], want[k]))) result.wrong.push(id);
  }
  for (const id of rows.keys()) if (!expected.has(id)) result.extra.push(id);
  return result;
}
