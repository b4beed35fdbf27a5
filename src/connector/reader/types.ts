import type { SyncConfig } from "../../config/schema";
import type { Row } from "../../store/types";
import type { CursorValue } from "../cursor";
import type { HttpSession } from "../http/session";
import type { Logger } from "../log";
import type { PaginatedStrategy } from "../paginators";
import type { Redactor } from "../../secrets";
import type { RunState } from "../state";
import type { Detected } from "./paging";

/**
 * The steps of one page, for tests that kill the process at each of them: its request is sent, its response is
 * in, its rows are half written, it is written into the open checkpoint, and it is committed (with the other
 * pages of its checkpoint: each of them gets "after-commit" then).
 */
export type PageStep = "before-fetch" | "after-fetch" | "mid-transaction" | "after-write" | "after-commit";

/** What the reader has counted so far (the summary's reading half), as of the page it comes with. */
export interface ReadProgress {
  strategy: PaginatedStrategy | null;
  /** Why auto-detection chose the strategy, once it has. */
  detected: string | null;
  resumed: boolean;
  fullRefresh: boolean;
  /** The total the API reported on a fresh run's first page. */
  expected: number | null;
  requests: number;
  retries: number;
  restarts: number;
  warnings: string[];
  /** The run stops after this page because `stopBetweenPages` said so. */
  stoppedEarly: boolean;
  httpWaitMs: number;
  parseMs: number;
}

/** One page read, checked and advanced past: the rows to store and the run they bring the stream to. */
export interface ReadPage {
  /** 1-based number of the page in this run (the kill steps and progress count these). */
  number: number;
  /** The rows as they are stored: below a window's bound, deduplicated, converted to their declared types. */
  rows: Row[];
  /** The run after this page: where paging continues, the newest cursor value, pages and rows read. */
  run: RunState;
  /** How the stream pages, and what detection changed of the configured names (saved with the state). */
  strategy: PaginatedStrategy | null;
  detected: Detected;
  /** The run's last page: the stream's state moves on from the run. */
  last: boolean;
  /** Something stops the run after this page (a guard, a signal, max_pages, the time budget): commit it at once. */
  stopping: boolean;
  progress: ReadProgress;
}

/** Where a run starts: its saved (or new) run, and how it pages when that is already known. */
export interface ReadStart {
  run: RunState;
  /** Null: detect the strategy on the first page. */
  strategy: PaginatedStrategy | null;
  detected: Detected;
  /** A history window's exclusive upper bound (null: the end of the list). */
  until: CursorValue | null;
  resumed: boolean;
  /** false: no first-page checks that cost requests (filter-checks.ts): a child's parents after the first. */
  startChecks?: boolean;
}

/** What the reader needs from the outside: the source's configuration, its HTTP session, the hooks of a run. */
export interface PageSource {
  config: SyncConfig;
  session: HttpSession;
  logger: Logger;
  redactor: Redactor;
  now: () => number;
  timer: () => number;
  signal?: AbortSignal;
  onStep?: (step: PageStep, page: number) => void;
  /** Asked after each page: true ends the run there (a time budget). */
  stopBetweenPages?: () => boolean;
}

/** What the consumer of the pages does meanwhile, so the reader's wait can make room for it and leave it out. */
export interface ReadHooks {
  /** Called while a response is awaited (the writer commits there once the checkpoint interval has passed). */
  whileWaiting?: (pending: Promise<unknown>) => Promise<void>;
  /** The consumer's busy time so far, in timer ms: time that is not spent waiting for HTTP. */
  busyMs?: () => number;
}
