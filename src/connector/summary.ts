import type { TypeConflict, WriteCounts } from "../store/types";
import type { CursorValue } from "./cursor";
import type { HistorySummary } from "./history";
import type { PaginatedStrategy } from "./paginators";
import type { Logger } from "./log";

export interface SyncSummary {
  strategy: PaginatedStrategy | null;
  detected: string | null;
  resumed: boolean;
  requests: number;
  retries: number;
  pages: number;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  stale: number;
  checkpoints: number;
  restarts: number;
  seconds: number;
  rowsPerSecond: number;
  cursor: CursorValue | null;
  /** The total the API reported on the run's first page (fresh runs only). */
  expected: number | null;
  warnings: string[];
  /** The run stopped between pages because `stopBetweenPages` said so; its state is saved for the next one. */
  stoppedEarly: boolean;
  /** This run was (or finished) a full refresh; `deleted` rows were not found in the source. */
  fullRefresh: boolean;
  deleted: number;
  /** Priority-first runs only: how much history is synced and how much is left. */
  history?: HistorySummary;
  /**
   * Columns added to the table by this run (new fields in the source) and values that do not fit their column's
   * type, as Fivetran reports schema changes (snake_case: the name users read in --log json).
   */
  schema_changes?: SchemaChange[];
  timing: SyncTiming;
}

export type SchemaChange =
  | { change: "add_column"; column: string; type: string; page: number }
  | { change: "type_conflict"; column: string; type: string; found: string; rows: number; sample: string; page: number };

/** Where a run's time went, in ms: waiting for responses, parsing and validating pages, writing them. */
export interface SyncTiming {
  httpWaitMs: number;
  parseMs: number;
  writeMs: number;
}

export function emptySummary(): SyncSummary {
  return {
    strategy: null,
    detected: null,
    resumed: false,
    requests: 0,
    retries: 0,
    pages: 0,
    rows: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    stale: 0,
    checkpoints: 0,
    restarts: 0,
    seconds: 0,
    rowsPerSecond: 0,
    cursor: null,
    expected: null,
    warnings: [],
    stoppedEarly: false,
    fullRefresh: false,
    deleted: 0,
    timing: { httpWaitMs: 0, parseMs: 0, writeMs: 0 },
  };
}

export function addCounts(summary: SyncSummary, counts: WriteCounts, logger?: Logger, page?: number): void {
  for (const { column, type } of counts.addedColumns ?? []) {
    logger?.log("info", `schema change: new field '${column}' in the source; added column ${column} ${type}`);
    (summary.schema_changes ??= []).push({ change: "add_column", column, type, page: page ?? summary.pages + 1 });
  }
  for (const conflict of counts.typeConflicts ?? []) addConflict(summary, conflict, page ?? summary.pages + 1, logger);
  summary.inserted += counts.inserted;
  summary.updated += counts.updated;
  summary.unchanged += counts.unchanged;
  summary.stale += counts.stale;
  summary.deleted += counts.deleted ?? 0;
}

/** A value that does not fit its column: one warning per column and kind a run, the rows counted in the summary. */
function addConflict(summary: SyncSummary, conflict: TypeConflict, page: number, logger?: Logger): void {
  const { column, declared, found, count, sample } = conflict;
  const known = summary.schema_changes?.find((c) => c.change === "type_conflict" && c.column === column && c.found === found);
  if (known?.change === "type_conflict") {
    known.rows += count;
    return;
  }
  logger?.log(
    "warn",
    `schema change: field '${column}' has ${found} values (e.g. ${JSON.stringify(sample)}) in a ${declared} column; they are stored as they are, so queries that expect numbers must allow for them (declare the column in "columns" to make such values an error)`,
  );
  (summary.schema_changes ??= []).push({ change: "type_conflict", column, type: declared, found, rows: count, sample, page });
}

/** The summary with its duration and rate as of `now`. */
export function timed(summary: SyncSummary, started: number, now: number): SyncSummary {
  const seconds = Math.max(0, (now - started) / 1000);
  const ms = (value: number) => Math.round(value * 10) / 10;
  const { httpWaitMs, parseMs, writeMs } = summary.timing;
  const timing = { httpWaitMs: ms(httpWaitMs), parseMs: ms(parseMs), writeMs: ms(writeMs) };
  return { ...summary, seconds, rowsPerSecond: seconds > 0 ? Math.round(summary.rows / seconds) : summary.rows, timing };
}

/**
 * Says loudly (log and summary) that records carry cursor values too far in the future to become the cursor: they
 * are stored, the cursor stays below them. One summary line per run; the log names every page.
 */
export function warnFuture(summary: { warnings: string[] }, logger: Logger, where: string, field: string, future: readonly CursorValue[]): void {
  const message = `${where}: ${future.length} ${future.length === 1 ? "record has" : "records have"} ${field} more than a day in the future (e.g. ${JSON.stringify(future[0])}); stored, but not used as the cursor (saved, it would make every later sync read nothing): check the source's data or clock`;
  logger.log("warn", message);
  if (!summary.warnings.some((w) => w.includes("more than a day in the future"))) summary.warnings.push(message);
}
