// What a sync takes (deps) and what one call of runSync does (options): here, not in driver.ts, because
// driver.ts re-exports runSync from sync.ts and sync.ts needs these types (the two imported each other).
import type { Store } from "../store/types";
import type { Redactor } from "../secrets";
import type { HttpDeps } from "./http/client";
import type { HttpSession } from "./http/session";
import type { Logger } from "./log";
import type { PageStep } from "./reader/types";
import type { RunSlot } from "./run-slot";
import type { SourceOptions } from "./source";
import type { SyncSummary } from "./summary";

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
