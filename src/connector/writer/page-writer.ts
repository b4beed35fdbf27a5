import type { Store, TableSpec } from "../../store/types";
import { Checkpoints, fulfilled, settlesWithin, type CheckpointPolicy } from "./checkpoints";
import type { Logger } from "../log";
import type { PageStep, ReadPage, ReadProgress } from "../reader/types";
import type { SlotState } from "../run-slot";
import type { SyncState } from "../state";
import { addCounts, emptySummary, timed, type SyncSummary } from "../summary";

/** One stream's table, its saved state as the run starts, and which run of it this is (forward or a window). */
export interface StreamTarget {
  spec: TableSpec;
  state: SyncState;
  slot: SlotState;
}

export interface WriterHooks {
  logger: Logger;
  now: () => number;
  timer: () => number;
  onStep?: (step: PageStep, page: number) => void;
  /** Called after each page is written (progress display). */
  onPage?: (summary: SyncSummary) => void;
}

/**
 * Writes one stream's pages: each page's rows with the state that covers them into the open checkpoint, committed
 * every N rows or seconds (checkpoints.ts), at the run's end and before whatever stops it. It keeps the summary's
 * counts and speaks only the Store interface.
 */
export class PageWriter {
  private readonly summary = emptySummary();
  private readonly checkpoints: Checkpoints;
  private state: SyncState;
  /** Timer ms spent in write() and in commits: the reader leaves it out of its HTTP wait. */
  private busy = 0;

  constructor(
    private readonly store: Pick<Store, "writePage" | "checkpoint" | "checkpointRows">,
    private readonly target: StreamTarget,
    policy: CheckpointPolicy,
    private readonly hooks: WriterHooks,
    private readonly started: number,
  ) {
    this.state = target.state;
    this.checkpoints = new Checkpoints(store, policy, hooks.timer, target.spec.table);
  }

  busyMs(): number {
    return this.busy;
  }

  /** Writes the page into the open checkpoint; the end of the run, and whatever stops it, commits at once. */
  async write(page: ReadPage): Promise<void> {
    const { hooks, summary, target } = this;
    const began = hooks.timer();
    const { number, rows, run, last } = page;
    const next = last ? target.slot.finished(this.state, run, summary.rows + rows.length, hooks.now()) : target.slot.during(this.state, run);
    this.state = { ...next, strategy: page.strategy, detected: page.detected };
    // A full refresh forgets an abandoned refresh's keys on its first page and marks what it did not see on its last.
    const refresh = run.refresh ? { start: run.pages === 1, finish: last, since: run.since } : undefined;
    const midTransaction = hooks.onStep && (() => hooks.onStep?.("mid-transaction", number));
    const writing = hooks.timer();
    // A store that wrote at once (SQLite) is not awaited: a prefetched response's continuation stays out of the write's time.
    const written = fulfilled(this.store.writePage({ spec: target.spec, rows, state: this.state, refresh, midTransaction }));
    const counts = written instanceof Promise ? await written : written;
    summary.timing.writeMs += hooks.timer() - writing;
    this.checkpoints.wrote(number, rows.length);
    hooks.onStep?.("after-write", number);
    addCounts(summary, counts, hooks.logger, number);
    summary.pages++;
    summary.rows += rows.length;
    this.took(page.progress);
    if (last || page.stopping || this.checkpoints.due()) await this.commit();
    summary.cursor = last ? this.state.cursor : run.maxCursor;
    const first = rows[0];
    const key = first ? target.spec.primaryKey.map((k) => String(first[k])).join(",") : undefined;
    hooks.logger.log("debug", `page ${run.pages}`, {
      strategy: page.strategy ?? undefined,
      rows: rows.length,
      first: key,
      inserted: counts.inserted,
      updated: counts.updated,
    });
    hooks.onPage?.(this.finish());
    this.busy += hooks.timer() - began;
  }

  /** While the reader waits for a response: once the checkpoint interval has passed, what is written is committed. */
  async whileWaiting(pending: Promise<unknown>): Promise<void> {
    if (!this.checkpoints.open || (await settlesWithin(pending, this.checkpoints.msLeft()))) return;
    const began = this.hooks.timer();
    await this.commit();
    this.busy += this.hooks.timer() - began;
  }

  /** After a failure: every page written before it is whole and good (a failing page leaves nothing), so keep them. */
  async salvage(redact: (text: string) => string): Promise<void> {
    try {
      await this.commit();
    } catch (failed) {
      this.hooks.logger.log("error", `could not commit the pages read before the failure: ${redact(String(failed))}; the last checkpoint is intact`);
    }
  }

  /** The run's summary as of now. */
  finish(): SyncSummary {
    return timed(this.summary, this.started, this.hooks.now());
  }

  /** Commits the open checkpoint; each page it made durable reaches its "after-commit" step. */
  private async commit(): Promise<void> {
    const writing = this.hooks.timer();
    const pages = await this.checkpoints.commit();
    this.summary.timing.writeMs += this.hooks.timer() - writing;
    if (pages.length > 0) this.summary.checkpoints++;
    for (const page of pages) this.hooks.onStep?.("after-commit", page);
  }

  /** The reader's half of the summary, as of the page just written. */
  private took(progress: ReadProgress): void {
    const { summary } = this;
    const { httpWaitMs, parseMs, ...counts } = progress;
    Object.assign(summary, counts);
    summary.timing.httpWaitMs = httpWaitMs;
    summary.timing.parseMs = parseMs;
  }
}
