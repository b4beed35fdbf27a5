import type { SyncConfig } from "../config/schema";
import type { Store } from "../store/types";
import type { HttpDeps } from "./http/client";
import type { HttpSession } from "./http/session";
import type { Logger } from "./log";
import type { Redactor } from "../secrets";
import type { RunSlot } from "./run-slot";
import type { SourceOptions } from "./source";
import type { SyncSummary } from "./summary";
import { SyncRun } from "./sync-run";

/**
 * The steps of one page, for tests that kill the process at each of them: its request is sent, its response is
 * in, its rows are half written, it is written into the open checkpoint, and it is committed (with the other
 * pages of its checkpoint: each of them gets "after-commit" then).
 */
export type PageStep = "before-fetch" | "after-fetch" | "mid-transaction" | "after-write" | "after-commit";

export interface SyncDeps extends HttpDeps {
  /** Test hook: called at each step of each page (1-based page number of this process's run). */
  onStep?: (step: PageStep, page: number) => void;
  store: Store;
  logger: Logger;
  /** Called after each committed page (progress display). */
  onPage?: (summary: SyncSummary) => void;
  /** Knows every secret value; the session login adds its token. */
  redactor?: Redactor;
  /** The source's name when its URL does not say it (the embedded mock), and whether it moved (source.ts). */
  source?: SourceOptions;
}

export type { SyncSummary, SyncTiming } from "./summary";
export { timed } from "./summary";
export { contextOf, sourceOf } from "./run-context";

/** What one call of runSync does beyond the plain forward run (the priority-first sync's windows). */
export interface RunOptions {
  slot?: RunSlot;
  /** Asked after each page: true ends the run there, committed and resumable (a time budget). */
  stopBetweenPages?: () => boolean;
  /** An HTTP session to share between runs (one login for many windows). */
  session?: HttpSession;
  /** Read everything from initial_cursor and mark rows the source no longer has `_deleted = 1` (forward runs). */
  fullRefresh?: boolean;
}

/**
 * One sync run: resume or start, then page until the end, committing pages' rows with the state that covers
 * them in checkpoints. Throws AppError subclasses on failure; the last committed page stays intact.
 */
export async function runSync(config: SyncConfig, deps: SyncDeps, options: RunOptions = {}): Promise<SyncSummary> {
  return new SyncRun(config, deps, options, await deps.store.readState(config.table)).execute();
}
