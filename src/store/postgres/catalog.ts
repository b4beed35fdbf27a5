// The connector's own tables in the destination schema (state, run history) and what the catalog says about a
// synced table. Every name is quoted; every value is a bound parameter.
import type { SQL } from "bun";
import { pgTypeOf, type PgType } from "./column-types";
import type { RunEnd, RunRecord } from "../types";
import { quoteId } from "./fields";
import { qualified } from "./statements";

export const STATE_TABLE = "_connector_state";
export const RUNS_TABLE = "_connector_runs";
/** Runs kept per table: the history is for people, not an audit log. */
const KEEP = 50;
/** Serialises the CREATE ... IF NOT EXISTS of two writers starting at once (they would race in the catalog). */
const SETUP_LOCK = 1668247151;

export interface Catalog {
  schema: string;
  db: SQL;
}

const RUN_COLUMNS = `id::int AS id, stream, source, pid, started_at AS "startedAt", ended_at AS "endedAt", outcome, rows::int AS rows, pages::int AS pages, error_code AS "errorCode", error_message AS "errorMessage"`;

/**
 * Creates the schema and the connector's tables when missing, in one transaction. What exists is not created
 * again: CREATE ... IF NOT EXISTS checks the privilege first, and a user may own its tables without CREATE rights.
 */
export async function setUp({ db, schema }: Catalog): Promise<void> {
  const exists = async (sql: string, params: string[]) => (await db.unsafe(sql, params)).length > 0;
  const hasTable = (table: string) => exists(`SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = $1 AND tablename = $2`, [schema, table]);
  if ((await hasTable(STATE_TABLE)) && (await hasTable(RUNS_TABLE))) return;
  await db.unsafe("BEGIN");
  try {
    await db.unsafe(`SELECT pg_advisory_xact_lock(${SETUP_LOCK})`);
    if (!(await exists(`SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1`, [schema]))) await db.unsafe(`CREATE SCHEMA ${quoteId(schema)}`);
    await db.unsafe(
      `CREATE TABLE IF NOT EXISTS ${qualified(schema, STATE_TABLE)} (stream text PRIMARY KEY, state json NOT NULL, updated_at timestamptz NOT NULL)`,
    );
    await db.unsafe(
      `CREATE TABLE IF NOT EXISTS ${qualified(schema, RUNS_TABLE)} (id bigserial PRIMARY KEY, stream text NOT NULL, source text, pid integer NOT NULL, started_at text NOT NULL, ended_at text, outcome text NOT NULL, rows bigint, pages bigint, error_code text, error_message text)`,
    );
    await db.unsafe("COMMIT");
  } catch (error) {
    await db.unsafe("ROLLBACK").catch(() => {});
    throw error;
  }
}

export async function tableExists({ db, schema }: Catalog, table: string): Promise<boolean> {
  const rows = await db.unsafe(`SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = $1 AND tablename = $2`, [schema, table]);
  return rows.length > 0;
}

/** A table's columns and their types, in order (empty when it does not exist). */
export async function columnsOf({ db, schema }: Catalog, table: string): Promise<Map<string, PgType>> {
  const rows: { name: string; type: string }[] = await db.unsafe(
    `SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
    [schema, table],
  );
  return new Map(rows.map((r) => [r.name, pgTypeOf(r.type)]));
}

export async function startRun(catalog: Catalog, stream: string, source: string | null, startedAt: string): Promise<number> {
  const runs = qualified(catalog.schema, RUNS_TABLE);
  const [row] = await catalog.db.unsafe(
    `INSERT INTO ${runs} (stream, source, pid, started_at, outcome) VALUES ($1, $2, $3, $4, 'running') RETURNING id::int AS id`,
    [stream, source, process.pid, startedAt],
  );
  const id = Number(row.id);
  await catalog.db.unsafe(`DELETE FROM ${runs} WHERE stream = $1 AND id <= $2`, [stream, id - KEEP]);
  return id;
}

export async function finishRun(catalog: Catalog, id: number, end: RunEnd): Promise<void> {
  await catalog.db.unsafe(
    `UPDATE ${qualified(catalog.schema, RUNS_TABLE)} SET ended_at = $1, outcome = $2, rows = $3, pages = $4, error_code = $5, error_message = $6 WHERE id = $7`,
    [end.endedAt, end.outcome, end.rows, end.pages, end.error?.code ?? null, end.error?.message ?? null, id],
  );
}

export async function recentRuns(catalog: Catalog, stream: string, limit: number): Promise<RunRecord[]> {
  if (!(await tableExists(catalog, RUNS_TABLE))) return [];
  const rows: RunRecord[] = await catalog.db.unsafe(
    `SELECT ${RUN_COLUMNS} FROM ${qualified(catalog.schema, RUNS_TABLE)} WHERE stream = $1 ORDER BY id DESC LIMIT $2`,
    [stream, limit],
  );
  return [...rows];
}

export async function streamsWithRuns(catalog: Catalog): Promise<string[]> {
  if (!(await tableExists(catalog, RUNS_TABLE))) return [];
  const rows: { stream: string }[] = await catalog.db.unsafe(`SELECT DISTINCT stream FROM ${qualified(catalog.schema, RUNS_TABLE)} ORDER BY stream`);
  return rows.map((r) => r.stream);
}
