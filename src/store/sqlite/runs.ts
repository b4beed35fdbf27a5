import type { Database } from "bun:sqlite";
import type { RunEnd, RunRecord } from "../types";
import { tableExists } from "./schema";

/**
 * Every sync's outcome, so `connector status` can say how the last one ended (a failure included) and whether
 * one is running now. A row is written when a run starts (outcome `running`, with its pid) and completed when it
 * ends; a row still `running` whose process is gone was killed.
 */
const RUNS_TABLE = "_connector_runs";
/** Runs kept per table: the history is for people, not an audit log. */
const KEEP = 50;

const COLUMNS =
  "id, stream, source, pid, started_at AS startedAt, ended_at AS endedAt, outcome, rows, pages, error_code AS errorCode, error_message AS errorMessage";

/** Records a run that starts now; returns its id. Committed at once (no checkpoint is open before a run). */
export function startRun(db: Database, stream: string, source: string | null, startedAt: string): number {
  db.run(
    `CREATE TABLE IF NOT EXISTS ${RUNS_TABLE} (id INTEGER PRIMARY KEY, stream TEXT NOT NULL, source TEXT, pid INTEGER NOT NULL, started_at TEXT NOT NULL, ended_at TEXT, outcome TEXT NOT NULL, rows INTEGER, pages INTEGER, error_code TEXT, error_message TEXT)`,
  );
  const { lastInsertRowid } = db
    .query(`INSERT INTO ${RUNS_TABLE} (stream, source, pid, started_at, outcome) VALUES (?, ?, ?, ?, 'running')`)
    .run(stream, source, process.pid, startedAt);
  db.query(`DELETE FROM ${RUNS_TABLE} WHERE stream = ? AND id <= ?`).run(stream, Number(lastInsertRowid) - KEEP);
  return Number(lastInsertRowid);
}

export function finishRun(db: Database, id: number, end: RunEnd): void {
  db.query(`UPDATE ${RUNS_TABLE} SET ended_at = ?, outcome = ?, rows = ?, pages = ?, error_code = ?, error_message = ? WHERE id = ?`).run(
    end.endedAt,
    end.outcome,
    end.rows,
    end.pages,
    end.error?.code ?? null,
    end.error?.message ?? null,
    id,
  );
}

/** A table's runs, newest first. */
export function recentRuns(db: Database, stream: string, limit = 2): RunRecord[] {
  if (!tableExists(db, RUNS_TABLE)) return [];
  return db.query<RunRecord, [string, number]>(`SELECT ${COLUMNS} FROM ${RUNS_TABLE} WHERE stream = ? ORDER BY id DESC LIMIT ?`).all(stream, limit);
}

/** Every table that has a run recorded. */
export function streamsWithRuns(db: Database): string[] {
  if (!tableExists(db, RUNS_TABLE)) return [];
  return db
    .query<{ stream: string }, []>(`SELECT DISTINCT stream FROM ${RUNS_TABLE} ORDER BY stream`)
    .all()
    .map((r) => r.stream);
}

/** Drops the run history of one table, or all of it (reset). */
export function forgetRuns(db: Database, only?: string): void {
  if (!tableExists(db, RUNS_TABLE)) return;
  if (only === undefined) db.run(`DELETE FROM ${RUNS_TABLE}`);
  else db.query(`DELETE FROM ${RUNS_TABLE} WHERE stream = ?`).run(only);
}
