import { remainingSeconds, syncedBack } from "../connector/history";
import { parseState, type SyncState } from "../connector/state";
import type { RunRecord, Store, StreamState } from "../store/types";

/** One table as `connector status` shows it: all read from the last committed checkpoint. */
export interface TableStatus {
  table: string;
  rows: { live: number; deleted: number } | null;
  cursor: string | number | null;
  strategy: string | null;
  source: string | null;
  /** A sync of this table running now (its process is alive). */
  running: (RunView & { pagesCommitted: number | null }) | null;
  /** The last run that ended; `killed` when its process died without saying how it ended. */
  lastRun: RunView | null;
  /** A run that stopped part way (killed, failed or interrupted); the next sync resumes it. */
  interrupted: { startedAt: string; pages: number; fullRefresh: boolean } | null;
  /** A child stream's pass through its parents that stopped part way (children.ts); the next sync resumes it. */
  children: { done: number; parents: number } | null;
  /** Priority-first only: history not synced yet. */
  history: { leftSeconds: number | null; syncedBack: string; limit: string | null } | null;
}

export interface RunView {
  startedAt: string;
  endedAt: string | null;
  outcome: string;
  rows: number | null;
  pages: number | null;
  pid: number;
  error: { code: string | null; message: string | null } | null;
}

export async function tableStatus(store: Store, table: string, raw: StreamState | undefined, alive: (pid: number) => boolean): Promise<TableStatus> {
  const state: SyncState | null = raw === undefined ? null : safeState(raw, table);
  const runs = await store.recentRuns(table, 2);
  const [newest, previous] = runs;
  const isRunning = (r: RunRecord | undefined): r is RunRecord => r !== undefined && r.outcome === "running" && alive(r.pid);
  const running = isRunning(newest) ? newest : null;
  const ended = running ? previous : newest;
  const saved = raw?.source; // the source identity, where the state keeps one
  const source = (typeof saved === "string" ? saved : saved ? JSON.stringify(saved) : null) ?? state?.run?.source ?? newest?.source ?? null;
  const backfill = state?.backfill ?? null;
  return {
    table,
    rows: await store.rowCounts(table),
    cursor: state?.cursor ?? null,
    strategy: state?.strategy ?? null,
    source,
    running: running ? { ...view(running), pagesCommitted: state?.run?.pages ?? null } : null,
    lastRun: ended ? view(ended, true) : lastRunFromState(state),
    interrupted: !running && state?.run ? { startedAt: state.run.startedAt, pages: state.run.pages, fullRefresh: state.run.refresh === true } : null,
    children: childrenPass(raw),
    history: backfill
      ? {
          leftSeconds: backfill.limit === null ? null : remainingSeconds(backfill.done, backfill.limit, backfill.anchor),
          syncedBack: syncedBack(backfill.done, backfill.limit, backfill.anchor),
          limit: backfill.limit,
        }
      : null,
  };
}

function safeState(raw: StreamState, table: string): SyncState | null {
  try {
    return parseState(raw, table);
  } catch {
    return null; // status still shows rows and runs; `connector state` prints the raw JSON
  }
}

function view(run: RunRecord, ended = false): RunView {
  // A row still `running` whose process is gone: the sync was killed (SIGKILL, power cut) and could not say so.
  const outcome = ended && run.outcome === "running" ? "killed" : run.outcome;
  const error = run.errorCode || run.errorMessage ? { code: run.errorCode, message: run.errorMessage } : null;
  return { startedAt: run.startedAt, endedAt: run.endedAt, outcome, rows: run.rows, pages: run.pages, pid: run.pid, error };
}

/** A database synced before runs were recorded: the state's own note of the last finished run. */
function lastRunFromState(state: SyncState | null): RunView | null {
  const last = state?.lastRun;
  return last ? { startedAt: "", endedAt: last.finishedAt, outcome: "ok", rows: last.rows, pages: last.pages, pid: 0, error: null } : null;
}

/** Whether a process exists (EPERM: it does, someone else's). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === "EPERM";
  }
}

/** The parents done of a child stream's unfinished pass, as its state keeps them (null: none unfinished). */
function childrenPass(raw: StreamState | undefined): { done: number; parents: number } | null {
  const pass = (raw?.children as { pass?: { done?: unknown; total?: unknown } } | undefined)?.pass;
  return pass && typeof pass.done === "number" && typeof pass.total === "number" ? { done: pass.done, parents: pass.total } : null;
}
