// The PostgreSQL store: one connection per process (Bun's built-in client), a transaction that spans the pages of
// a checkpoint, and one writer per table by a session advisory lock that the server drops with a dead connection.
import { SQL } from "bun";
import { AppError } from "../../errors";
import { StoreError } from "../store-error";
import * as catalog from "./catalog";
import { parseTarget, pgError, type PostgresTarget } from "./connection";
import type { OpenOptions, PageWrite, Row, RunEnd, RunRecord, Store, StreamState, SyncedRows, WriteCounts } from "../types";
import { quoteId } from "./fields";
import { DELETED, qualified, SYNCED_AT } from "./statements";
import { seenTable, TableWriter } from "./table-writer";

/** The first half of every table lock's key ('conn'); the second is hashtext('<schema>.<table>'). */
const LOCK_CLASS = 1668247150;

export class PostgresStore implements Store {
  readonly location: string;
  private open = false;
  private closed = false;
  private readonly writer: TableWriter;
  private readonly catalog: catalog.Catalog;

  private constructor(
    private readonly pool: SQL,
    private readonly db: SQL,
    private readonly target: PostgresTarget,
    private readonly now: () => Date,
  ) {
    this.location = target.shown;
    this.catalog = { db, schema: target.schema };
    this.writer = new TableWriter(this.catalog);
  }

  get pending(): boolean {
    return this.open;
  }

  /** Connects, and for a writer takes the tables' locks at once (a second sync is refused before any request). */
  static async open(url: string, options: OpenOptions): Promise<PostgresStore> {
    const target = parseTarget(url, options.schema);
    const reader = options.mode === "reader";
    // A reader never waits long behind a writer's schema change; the session's time zone makes timestamps UTC.
    const connection: Record<string, string> = { TimeZone: "UTC", application_name: `connector${reader ? " (reader)" : ""}` };
    if (reader) connection.lock_timeout = "5s";
    const pool = new SQL(target.url, { max: 1, connectionTimeout: 15, idleTimeout: 0, connection });
    let store: PostgresStore | undefined;
    try {
      const db = await pool.reserve();
      store = new PostgresStore(pool, db, target, options.now ?? (() => new Date()));
      // The destination is the schema's connector tables: state, status and reset never create them.
      if (options.mustExist && !(await catalog.tableExists(store.catalog, catalog.STATE_TABLE))) {
        throw new StoreError("db_missing", `nothing has been synced into ${target.shown} yet (schema '${target.schema}' has no ${catalog.STATE_TABLE} table)`);
      }
      if (!reader) {
        for (const table of options.tables ?? []) await store.lock(table);
        if (options.mode === "writer") await catalog.setUp(store.catalog);
        for (const table of options.tables ?? []) await store.checkTable(table);
      }
      return store;
    } catch (error) {
      if (store) await store.close();
      else await pool.close({ timeout: 0 }).catch(() => {});
      throw pgError(error, target, "connecting");
    }
  }

  /** One writer per table: a session lock, held until close, released by the server if this process dies. */
  private async lock(table: string): Promise<void> {
    const [row] = await this.db.unsafe(`SELECT pg_try_advisory_lock(${LOCK_CLASS}, hashtext($1)) AS ok`, [`${this.target.schema}.${table}`]);
    if (!row.ok) {
      // exit 1 like SQLite's lock (the landed contract), so a scheduler sees the same code from either destination.
      throw new StoreError(
        "db_locked",
        `table '${table}' in ${this.target.shown} is in use by another sync (it holds the table's advisory lock); wait for it to finish, or sync into another table or schema`,
      );
    }
  }

  /**
   * Whether a sync holds the table's lock now, on any machine: a run recorded as running whose writer no longer
   * holds it was killed (its pid means nothing on another machine).
   */
  isWriting(table: string): Promise<boolean> {
    return this.guard("reading the locks", async () => {
      const [row] = await this.db.unsafe(
        `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_locks WHERE locktype = 'advisory' AND granted AND classid = ${LOCK_CLASS} AND objsubid = 2 AND objid::bigint = (hashtext($1)::bigint + 4294967296) % 4294967296) AS held`,
        [`${this.target.schema}.${table}`],
      );
      return row.held === true;
    });
  }

  /**
   * Before any request: a table the connector did not create (no _synced_at column) is never written into, and a
   * user who could not create or write the table is told now rather than after the first page.
   */
  private async checkTable(table: string): Promise<void> {
    const columns = await catalog.columnsOf(this.catalog, table);
    if (columns.size > 0 && !columns.has(SYNCED_AT)) {
      throw new AppError(
        "db_foreign",
        `${this.target.shown} already has a table '${this.target.schema}.${table}' that the connector did not create (it has no ${SYNCED_AT} column); nothing was changed: set table to another name or use another schema`,
        { exitCode: 2 },
      );
    }
    const [row] =
      columns.size > 0
        ? await this.db.unsafe(`SELECT has_table_privilege($1, 'SELECT, INSERT, UPDATE') AS ok`, [qualified(this.target.schema, table)])
        : await this.db.unsafe(`SELECT has_schema_privilege($1, 'CREATE') AS ok`, [this.target.schema]);
    if (!row.ok) {
      const need = columns.size > 0 ? `SELECT, INSERT and UPDATE on table '${this.target.schema}.${table}'` : `CREATE on schema '${this.target.schema}'`;
      throw new StoreError("db_permission", `${this.target.shown}: permission denied: the user needs ${need} (GRANT it, or use a role that owns the schema)`);
    }
  }

  /** Runs `work`, turning a driver or server error into a clear StoreError. */
  private async guard<T>(doing: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw pgError(error, this.target, doing);
    }
  }

  readState(stream: string): Promise<StreamState | null> {
    return this.guard("reading the state", async () => {
      if (!(await catalog.tableExists(this.catalog, catalog.STATE_TABLE))) return null;
      const [row] = await this.db.unsafe(`SELECT state FROM ${qualified(this.target.schema, catalog.STATE_TABLE)} WHERE stream = $1`, [stream]);
      return row ? (row.state as StreamState) : null;
    });
  }

  allStates(): Promise<Record<string, StreamState>> {
    return this.guard("reading the state", async () => {
      if (!(await catalog.tableExists(this.catalog, catalog.STATE_TABLE))) return {};
      const rows: { stream: string; state: StreamState }[] = await this.db.unsafe(
        `SELECT stream, state FROM ${qualified(this.target.schema, catalog.STATE_TABLE)} ORDER BY stream`,
      );
      return Object.fromEntries(rows.map((r) => [r.stream, r.state]));
    });
  }

  saveState(stream: string, state: StreamState): Promise<void> {
    return this.guard("saving the state", () => this.putState(stream, state));
  }

  private async putState(stream: string, state: StreamState): Promise<void> {
    await this.db.unsafe(
      `INSERT INTO ${qualified(this.target.schema, catalog.STATE_TABLE)} (stream, state, updated_at) VALUES ($1, $2::text::json, $3::timestamptz) ON CONFLICT (stream) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
      [stream, JSON.stringify(state), this.now().toISOString()],
    );
  }

  /**
   * Writes one page's rows and the state that covers them into the open checkpoint, opening one if none is.
   * Nothing is visible to readers until checkpoint() commits. A page that fails rolls the whole checkpoint back:
   * the state on the server is still the last checkpoint's, so the next sync reads those pages again.
   */
  async writePage(page: PageWrite): Promise<WriteCounts> {
    const { spec, rows, state, refresh } = page;
    const now = this.now().toISOString();
    try {
      if (!this.open) {
        await this.db.unsafe("BEGIN");
        this.open = true;
      }
      const counts: WriteCounts = rows.length > 0 ? await this.writer.upsert(spec, rows, now) : { inserted: 0, updated: 0, unchanged: 0, stale: 0 };
      if (refresh) counts.deleted = await this.writer.refresh(spec, rows, refresh, now);
      page.midTransaction?.();
      await this.putState(spec.table, state);
      return counts;
    } catch (error) {
      await this.rollback();
      throw pgError(error, this.target, `writing a page into '${spec.table}'`);
    }
  }

  async checkpoint(): Promise<boolean> {
    if (!this.open) return false;
    try {
      await this.db.unsafe("COMMIT");
      this.open = false;
      return true;
    } catch (error) {
      await this.rollback();
      throw pgError(error, this.target, "committing a checkpoint");
    }
  }

  /** Takes back the open checkpoint (a lost connection has already lost it) and what this writer knew of its tables. */
  private async rollback(): Promise<void> {
    if (this.open) await this.db.unsafe("ROLLBACK").catch(() => {});
    this.open = false;
    this.writer.forget();
  }

  tableExists(table: string): Promise<boolean> {
    return this.guard("reading the catalog", () => catalog.tableExists(this.catalog, table));
  }

  rowCounts(table: string): Promise<{ live: number; deleted: number } | null> {
    return this.guard(`counting the rows of '${table}'`, async () => {
      if (!(await catalog.tableExists(this.catalog, table))) return null;
      const [row] = await this.db.unsafe(
        `SELECT (count(*) FILTER (WHERE NOT "_deleted"))::int AS live, (count(*) FILTER (WHERE "_deleted"))::int AS deleted FROM ${qualified(this.target.schema, table)}`,
      );
      return { live: row.live, deleted: row.deleted };
    });
  }

  syncedSince(table: string, columns: readonly string[], after: string | null, until: string | null = null): Promise<SyncedRows> {
    return this.guard(`reading the rows of '${table}' written since ${after ?? "the start"}`, async () => {
      if (!(await catalog.tableExists(this.catalog, table))) return { rows: [], newest: null };
      const cols = columns.map(quoteId).join(", ");
      const params = [after, until].filter((x): x is string => x !== null);
      const since = `${after === null ? "" : ` AND ${quoteId(SYNCED_AT)} > $1::timestamptz`}${until === null ? "" : ` AND ${quoteId(SYNCED_AT)} <= $${params.length}::timestamptz`}`;
      const newest = `to_char(max(${quoteId(SYNCED_AT)}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "_newest"`;
      const found = await this.db.unsafe(
        `SELECT ${cols}, ${newest} FROM ${qualified(this.target.schema, table)} WHERE NOT ${quoteId(DELETED)}${since} GROUP BY ${cols} ORDER BY ${cols}`,
        params,
      );
      const rows = [...found].map(({ _newest, ...row }) => row as Row);
      const latest = [...found].reduce<string | null>((max, row) => (max === null || row._newest > max ? row._newest : max), null);
      return { rows, newest: latest };
    });
  }

  /** Drops synced tables (all, or `only`) with their state and runs, in one transaction; returns those dropped. */
  reset(only?: string): Promise<string[]> {
    return this.guard("resetting", async () => {
      const streams = only === undefined ? Object.keys(await this.allStates()) : [only];
      for (const stream of streams) await this.lock(stream);
      const dropped: string[] = [];
      for (const stream of streams) if (await catalog.tableExists(this.catalog, stream)) dropped.push(stream);
      await this.db.unsafe("BEGIN");
      try {
        for (const stream of dropped) await this.db.unsafe(`DROP TABLE ${qualified(this.target.schema, stream)}`);
        for (const stream of streams) await this.db.unsafe(`DROP TABLE IF EXISTS ${qualified(this.target.schema, seenTable(stream))}`);
        for (const table of [catalog.STATE_TABLE, catalog.RUNS_TABLE]) {
          if (!(await catalog.tableExists(this.catalog, table))) continue;
          if (only === undefined) await this.db.unsafe(`DELETE FROM ${qualified(this.target.schema, table)}`);
          else await this.db.unsafe(`DELETE FROM ${qualified(this.target.schema, table)} WHERE stream = $1`, [only]);
        }
        await this.db.unsafe("COMMIT");
      } catch (error) {
        await this.db.unsafe("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        this.writer.forget();
      }
      return dropped;
    });
  }

  startRun(stream: string, source: string | null, startedAt: string): Promise<number> {
    return this.guard("recording the run", () => catalog.startRun(this.catalog, stream, source, startedAt));
  }

  finishRun(id: number, end: RunEnd): Promise<void> {
    return this.guard("recording the run", () => catalog.finishRun(this.catalog, id, end));
  }

  recentRuns(stream: string, limit = 2): Promise<RunRecord[]> {
    return this.guard("reading the runs", () => catalog.recentRuns(this.catalog, stream, limit));
  }

  streamsWithRuns(): Promise<string[]> {
    return this.guard("reading the runs", () => catalog.streamsWithRuns(this.catalog));
  }

  /** Rolls back what was not checkpointed and closes the connection (which also drops the table locks). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.rollback();
    // Released before the socket closes: the server ends a closed session a moment later, and a writer that
    // opens right after this one (the next scheduled run) must not find the lock still held.
    await this.db.unsafe("SELECT pg_advisory_unlock_all()").catch(() => {});
    await this.pool.close({ timeout: 0 }).catch(() => {});
  }
}
