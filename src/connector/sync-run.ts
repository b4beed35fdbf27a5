import type { SyncConfig } from "../config/schema";
import { SyncError } from "../errors";
import type { Row, StreamState, TableSpec } from "../store/types";
import { advanceCursor, type CursorValue } from "./cursor";
import { convertRecords } from "./columns";
import type { RunOptions, SyncDeps } from "./driver";
import { belowBound } from "./history";
import { fetchPage } from "./fetch-page";
import { PageGuards, Restarts } from "./guards";
import { checkpointPolicy, Checkpoints, fulfilled, settlesWithin } from "./checkpoints";
import { AbortedError } from "../errors";
import type { HttpClient, JsonResponse } from "./http/client";
import { openSession, type HttpSession } from "./http/session";
import { Redactor } from "../secrets";
import { savedPosition, withConfigSecrets } from "./saved-urls";
import { addCounts, emptySummary, timed, warnFuture, type SyncSummary } from "./summary";
import { checkRecords, cursorOf, dedupe, extractPage, hasPath, type Page, type ResponseShape } from "./page";
import { createPaginator, type PaginatedStrategy, type Paginator, type PaginatorContext, type Position, type Step } from "./paginators";
import { detectStrategy, findTotalField } from "./paginators/detect";
import { buildUrl } from "./paginators/types";
import { contextOf } from "./run-context";
import { slotState, type SlotState } from "./run-slot";
import { resumeOrStart } from "./run-start";
import { claimSource, sourceIdentity } from "./source";
import { parseState, type RunState, type SyncState } from "./state";

/** A page read and checked: its rows as the paginator returns them, and where the paging goes next. */
interface ReadPage {
  page: Page;
  step: Step;
  where: string;
}

/** A page ready to write: its rows deduplicated and converted, and whether it ends the run. */
interface ReadyPage {
  rows: Row[];
  stored: Row[];
  maxCursor: CursorValue | null;
  finished: boolean;
}

/**
 * One sync run: resume or start, then page until the end, committing pages' rows with the state that covers
 * them in checkpoints. The loop reads a page, requests the next one, then writes this one (pipelining), so each
 * step is a method; the mutable position of the run lives in the fields.
 */
export class SyncRun {
  private readonly started: number;
  private readonly timer: () => number;
  private readonly redactor: Redactor;
  private readonly redact: (text: string) => string;
  private readonly origin: string;
  private readonly spec: TableSpec;
  private readonly ctx: PaginatorContext;
  private readonly summary = emptySummary();
  private readonly session: HttpSession;
  private readonly client: HttpClient;
  private readonly retriesBefore: number;
  private readonly slot: SlotState;
  private readonly guards: PageGuards;
  private readonly restarts: Restarts;
  private readonly checkpoints: Checkpoints;
  private readonly seen = new Set<string>();
  private state: SyncState;
  private run: RunState;
  private strategy: PaginatedStrategy | null;
  private detected: SyncState["detected"];
  private shape: ResponseShape;
  private paginator: Paginator | null;
  private position: Position;
  /** The request in flight re-reads a page on purpose (a tie proof, a restart, a corrected page size). */
  private rereads = false;
  private url = "";
  private pending: Promise<JsonResponse> | null = null;

  constructor(
    private readonly config: SyncConfig,
    private readonly deps: SyncDeps,
    private readonly options: RunOptions,
    saved: StreamState | null,
  ) {
    this.started = deps.now();
    this.timer = deps.timer ?? performance.now.bind(performance);
    this.redactor = deps.redactor ?? new Redactor();
    this.redact = this.redactor.redact;
    this.origin = new URL(config.base_url).origin;
    this.spec = { table: config.table, primaryKey: config.primary_key, cursorField: config.cursor_field, columns: config.columns };
    this.ctx = contextOf(config);
    this.session = options.session ?? openSession(config, deps, this.redactor);
    this.retriesBefore = this.session.retries();
    this.client = this.session.client;
    this.state = claimSource(parseState(saved, config.table), sourceIdentity(config, deps.source ?? {}, this.redact), config, deps.source ?? {}, deps.logger);
    this.slot = slotState(options.slot ?? { kind: "forward", fullRefresh: options.fullRefresh }, this.state, config);
    const resumed = resumeOrStart(config, deps, this.slot, this.state, this.summary);
    this.run = resumed.run;
    // A resumed run, and a history window (the forward run has just detected the API), page as the state says.
    const known = config.strategy === "auto" && (resumed.resumed || options.slot?.kind === "backfill");
    this.strategy = config.strategy === "auto" ? (known ? this.state.strategy : null) : config.strategy;
    this.detected = known ? (this.state.detected ?? null) : null;
    this.shape = { ...config.response, ...(this.detected?.response ?? {}) };
    this.guards = new PageGuards(config, this.ctx.names, deps.logger);
    this.paginator = this.strategy ? this.paginate(this.strategy) : null;
    this.position = this.run.position;
    this.restarts = new Restarts(config.cursor_field);
    this.checkpoints = new Checkpoints(deps.store, checkpointPolicy(config), this.timer);
  }

  /** Paged by the server's real page size once a page shows it is smaller than page_size (guards.ts). */
  private paginate(strategy: PaginatedStrategy): Paginator {
    const names = { ...this.ctx.names, token_param: this.detected?.tokenParam ?? this.ctx.names.token_param };
    return createPaginator(strategy, { ...this.ctx, pageSize: this.guards.pageSize, until: this.slot.until, names });
  }

  /** The URL for a position, refusing one already read (a repeated or cyclic token/URL) unless re-reading after a shift. */
  private urlFor(at: Position, rereading: boolean): string {
    const { config, origin, redact } = this;
    const url = withConfigSecrets(this.paginator ? this.paginator.url(at) : buildUrl(this.ctx, at.since, {}), config, origin, this.redactor);
    const target = new URL(url);
    if (target.username || target.password) throw new SyncError("origin", `refusing to follow ${redact(url)}: it carries user:password@`);
    if (target.origin !== origin && !config.allow_origins.includes(target.origin)) {
      throw new SyncError("origin", `refusing to follow ${redact(url)}: it is not on ${origin}, the origin of base_url (list it in allow_origins to allow it; credentials and headers still go only to base_url)`);
    }
    // A verification re-reads a page on purpose (next-link paging inside a tie group); restarts bound it.
    if (this.seen.has(url) && !rereading && !at.verify) {
      throw new SyncError("loop", `the API sent the sync back to a page it already read (${redact(url)}): a repeated or cyclic ${this.strategy === "keyset" ? "token" : "URL"}; stopping before looping forever`);
    }
    this.seen.add(url);
    this.rereads = rereading || Boolean(at.verify);
    return url;
  }

  /** Puts the request for a position on the wire; the loop awaits it. */
  private send(at: Position, rereading: boolean, page: number): void {
    this.url = this.urlFor(at, rereading);
    this.deps.onStep?.("before-fetch", page);
    this.summary.requests++;
    const pending = fetchPage(this.client, this.url, this.paginator, this.deps.logger);
    pending.catch(() => {}); // awaited below; this only keeps a failure during a commit from being "unhandled"
    this.pending = pending;
  }

  /** Commits the open checkpoint; returns the ms it took (writing time). */
  private async commit(): Promise<number> {
    const writing = this.timer();
    const pages = await this.checkpoints.commit();
    const ms = this.timer() - writing;
    this.summary.timing.writeMs += ms;
    if (pages.length > 0) this.summary.checkpoints++;
    for (const page of pages) this.deps.onStep?.("after-commit", page);
    return ms;
  }

  /** Runs to the end (or a stop between pages). Throws AppError subclasses on failure; the last committed page stays intact. */
  async execute(): Promise<SyncSummary> {
    this.send(this.position, false, 1);
    try {
      for (;;) {
        const { response, received } = await this.receive();
        const read = this.readPage(response);
        if (read === null) continue;
        const ready = this.prepare(read, received);
        const stop = ready.finished ? null : this.requestNext(read.step);
        const written = fulfilled(this.write(ready, stop !== null)); // no await for a write done at once: the wait for the next response starts here
        if (written instanceof Promise) await written;
        if (ready.finished || this.summary.stoppedEarly) break;
        if (stop) throw stop;
        this.position = read.step.next as Position;
      }
    } catch (error) {
      // Every page written before the failure is whole and good (a failing page leaves nothing): keep them.
      try {
        await this.commit();
      } catch (failed) {
        this.deps.logger.log("error", `could not commit the pages read before the failure: ${this.redact(String(failed))}; the last checkpoint is intact`);
      }
      throw error;
    }
    return timed(this.summary, this.started, this.deps.now());
  }

  /** Awaits the response in flight; past the checkpoint interval, written pages are committed while it is awaited. */
  private async receive(): Promise<{ response: JsonResponse; received: number }> {
    const { summary, checkpoints } = this;
    const pending = this.pending as Promise<JsonResponse>;
    const waiting = this.timer();
    const committing = checkpoints.open && !(await settlesWithin(pending, checkpoints.msLeft())) ? await this.commit() : 0;
    const response = await pending;
    const received = this.timer();
    // The body is parsed while this loop awaits it: that part of the wait is parsing, not HTTP.
    summary.timing.httpWaitMs += received - waiting - response.parseMs - committing;
    summary.timing.parseMs += response.parseMs;
    summary.requests += response.attempts - 1;
    this.deps.onStep?.("after-fetch", summary.pages + 1);
    return { response, received };
  }

  /** Detects the strategy on the first page, extracts and checks the page, and advances; null when it is asked again. */
  private readPage(response: JsonResponse): ReadPage | null {
    const { config, summary } = this;
    const where = `page ${this.run.pages + 1} (${this.redact(this.url)})`;
    if (!this.paginator) this.detect(response, where);
    if (this.run.pages === 0 && !hasPath(response.body, this.shape.total) && !this.shape.total_header) {
      const total = findTotalField(response.body);
      if (total) this.shape = { ...this.shape, total };
    }
    const page = extractPage(response.body, response.headers, this.shape, where, response.url);
    if (this.run.pages === 0 && !summary.resumed && page.total !== undefined) summary.expected = page.total;
    const recordLimit = config.limits.max_record_bytes;
    checkRecords(page.records, config.primary_key, config.cursor_field, where, response.bytes > recordLimit ? recordLimit : Infinity);
    let paginator = this.paginator as Paginator;
    let { step, resized } = this.guards.step(paginator, this.position, page, { url: this.url, rereads: this.rereads, response }, this.shape, where);
    if (resized !== undefined) {
      paginator = this.paginator = this.paginate(paginator.strategy);
      // Page numbers count in pages of the old size: this position is asked again at the real one.
      if (paginator.strategy === "page_number") {
        this.send(this.position, true, summary.pages + 1);
        return null;
      }
      step = paginator.advance(this.position, page, where);
    }
    if (step.next) step.next = savedPosition(step.next, config, this.redactor);
    if (step.restarted !== undefined) {
      this.deps.logger.log("warn", `${where}: ${step.restarted}`);
      this.restarts.note(step.next?.since ?? null);
      summary.restarts = this.restarts.total;
      // Re-reading retraces pages already read: that is not a loop (the restart caps bound it).
      this.seen.clear();
    }
    return { page, step, where };
  }

  private detect(response: JsonResponse, where: string): void {
    const detection = detectStrategy(response.body, response.headers, response.url, this.config.response, where);
    this.strategy = detection.strategy;
    this.detected = { response: detection.response, ...(detection.tokenParam ? { tokenParam: detection.tokenParam } : {}) };
    this.shape = { ...this.config.response, ...detection.response };
    this.paginator = this.paginate(detection.strategy);
    this.summary.detected = detection.reason;
    this.deps.logger.log("info", `detected strategy ${detection.strategy}: ${detection.reason}`);
  }

  /** The page's rows as they are written, the cursor they reach, and the run and state that cover them. */
  private prepare({ page, step, where }: ReadPage, received: number): ReadyPage {
    const { config, deps, slot, summary } = this;
    // A history window ends at the first row at or past its upper bound: that row and the pages after it are not its own.
    const bounded = slot.until === null ? { rows: step.rows, reached: false } : belowBound(step.rows, slot.until, config.cursor_field, where);
    const rows = dedupe(bounded.rows, config.primary_key);
    const stored = convertRecords(rows, config.columns, where);
    const { max: maxCursor, future } = advanceCursor(rows.map((row) => cursorOf(row, config.cursor_field)), this.run.maxCursor, deps.now());
    if (future.length > 0) warnFuture(summary, deps.logger, where, config.cursor_field, future);
    const finished = step.next === null || bounded.reached;
    const shortfall = slot.until === null ? this.guards.totals((this.paginator as Paginator).strategy, this.position, step, page, this.run.rows, this.url, where) : null;
    if (shortfall) summary.warnings.push(shortfall);
    const run = this.run;
    this.run = { ...run, position: step.next ?? this.position, maxCursor, pages: run.pages + 1, ...(run.rows === undefined ? {} : { rows: run.rows + page.records.length }) };
    const next = finished ? slot.finished(this.state, this.run, summary.rows + rows.length, deps.now()) : slot.during(this.state, this.run);
    this.state = { ...next, strategy: this.strategy, detected: this.detected };
    summary.timing.parseMs += this.timer() - received;
    return { rows, stored, maxCursor, finished };
  }

  /**
   * Pipelining: the next request is on the wire while this page is written; writes stay strictly in order, and
   * whatever stops the run (a guard, a signal, the page cap) is returned, to take effect after this page is committed.
   */
  private requestNext(step: Step): Error | null {
    const { config, summary } = this;
    try {
      if (this.deps.signal?.aborted) throw new AbortedError();
      if (config.max_pages !== null && summary.pages + 1 >= config.max_pages) {
        throw new SyncError("max_pages", `stopped after max_pages=${config.max_pages} pages; the checkpoint is kept, so running the sync again continues from there`);
      }
      if (this.options.stopBetweenPages?.()) summary.stoppedEarly = true;
      else this.send(step.next as Position, step.restarted !== undefined, summary.pages + 2);
      return null;
    } catch (error) {
      return error as Error;
    }
  }

  /** Writes the page into the open checkpoint; the end of the run, and whatever stops it, commits at once. */
  private async write({ rows, stored, maxCursor, finished }: ReadyPage, stopping: boolean): Promise<void> {
    const { config, deps, summary, run } = this;
    const writing = this.timer();
    const written = fulfilled(deps.store.writePage({ spec: this.spec, rows: stored, state: this.state, refresh: run.refresh ? { start: run.pages === 1, finish: finished, since: run.since } : undefined, midTransaction: deps.onStep && (() => deps.onStep?.("mid-transaction", summary.pages + 1)) }));
    const counts = written instanceof Promise ? await written : written;
    summary.timing.writeMs += this.timer() - writing;
    this.checkpoints.wrote(summary.pages + 1, rows.length);
    deps.onStep?.("after-write", summary.pages + 1);
    addCounts(summary, counts, deps.logger, summary.pages + 1);
    summary.pages++;
    summary.rows += rows.length;
    if (finished || summary.stoppedEarly || stopping || this.checkpoints.due()) await this.commit();
    summary.retries = this.session.retries() - this.retriesBefore;
    summary.strategy = this.strategy;
    summary.cursor = finished ? this.state.cursor : maxCursor;
    const first = rows[0];
    deps.logger.log("debug", `page ${run.pages}`, { strategy: this.strategy ?? undefined, rows: rows.length, first: first ? config.primary_key.map((k) => String(first[k])).join(",") : undefined, inserted: counts.inserted, updated: counts.updated });
    deps.onPage?.(timed(summary, this.started, deps.now()));
  }
}
