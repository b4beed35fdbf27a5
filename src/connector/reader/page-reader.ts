import { AbortedError, HttpError, SyncError } from "../../errors";
import type { Row } from "../../store/types";
import { startBelow } from "../cursor";
import type { JsonResponse } from "../http/client";
import { PageGuards, Restarts } from "../guards";
import { checkRecords, hasPath, pageOf, type ResponseShape } from "../page";
import type { PaginatedStrategy, Paginator, Position, Step } from "../paginators";
import { detectStrategy, findTotalField } from "../paginators/detect";
import { buildUrl, startPosition, verifying } from "../paginators/types";
import { contextOf } from "../run-context";
import { savedPosition, withConfigSecrets } from "../saved-urls";
import type { RunState } from "../state";
import { fetchPage } from "./fetch-page";
import { checkEmptyStart, checkFilteredOut, ignoresFilter, filterIgnored } from "./filter-checks";
import { preparePage, type CheckedPage } from "./prepare";
import { paginatorOf, shapeOf, type Detected } from "./paging";
import { UrlGuard } from "./url-guard";
import type { PageSource, ReadHooks, ReadPage, ReadProgress, ReadStart } from "./types";

/** Statuses that say a saved token or link is no longer valid (not a server that is down). */
const STALE = new Set([400, 404, 410, 422]);

/**
 * The mutable half of reading: where the run stands, how it pages, the request in flight and the guards' memory.
 * readPages (read-pages.ts) drives it; each method is one step of a page.
 */
export class PageReader {
  readonly progress: ReadProgress;
  readonly guards: PageGuards;
  readonly until: ReadStart["until"];
  private readonly restarts: Restarts;
  private readonly urls: UrlGuard;
  private readonly retriesBefore: number;
  run: RunState;
  strategy: PaginatedStrategy | null;
  detected: Detected;
  shape: ResponseShape;
  paginator: Paginator<Position> | null;
  position: Position;
  /** Pages read (and handed on) by this run. */
  read = 0;
  url = "";
  /** The request in flight re-reads a page on purpose (a tie proof, a restart, a corrected page size). */
  private rereads = false;
  private pending: Promise<JsonResponse> | null = null;
  private sentAt = 0;
  private busyAtSend = 0;
  /** A resumed run's saved token or link was refused once, and the run went on from its newest value. */
  private resumeRefused = false;
  private readonly startChecks: boolean;
  /** The next request waits this long: a restart at a group still being written (guards.ts settleMs). */
  private settleMs = 0;

  constructor(
    readonly source: PageSource,
    start: ReadStart,
    private readonly hooks: ReadHooks,
  ) {
    const { config } = source;
    this.urls = new UrlGuard(config, source.redactor);
    this.run = start.run;
    this.strategy = start.strategy;
    this.detected = start.detected;
    this.shape = shapeOf(config, this.detected);
    this.guards = new PageGuards(config, contextOf(config).names, source.logger);
    this.until = start.until;
    this.startChecks = start.startChecks !== false;
    this.paginator = this.strategy ? this.paginate(this.strategy) : null;
    this.position = start.run.position;
    this.restarts = new Restarts(config.cursor_field);
    this.retriesBefore = source.session.retries();
    const fullRefresh = start.run.refresh === true;
    this.progress = {
      strategy: this.strategy,
      detected: null,
      resumed: start.resumed,
      fullRefresh,
      expected: null,
      requests: 0,
      retries: 0,
      restarts: 0,
      warnings: [],
      stoppedEarly: false,
      httpWaitMs: 0,
      parseMs: 0,
    };
  }

  /** Paged by the server's real page size once a page shows it is smaller than page_size (guards.ts). */
  private paginate(strategy: PaginatedStrategy): Paginator<Position> {
    return paginatorOf(this.source.config, strategy, this.detected, { pageSize: this.guards.pageSize, until: this.until });
  }

  /** The URL for a position, with the configuration's secret params put back; the URL guard checks it. */
  private urlFor(at: Position, rereading: boolean): string {
    const { config, redactor } = this.source;
    const url = withConfigSecrets(this.paginator ? this.paginator.url(at) : buildUrl(contextOf(config), at.since, {}), config, this.urls.origin, redactor);
    // A verification re-reads a page on purpose (next-link paging inside a tie group); restarts bound it.
    this.rereads = rereading || verifying(at);
    this.urls.check(url, this.rereads, this.strategy);
    return url;
  }

  /** Puts the request for a position on the wire; receive() awaits it. */
  send(at: Position, rereading: boolean, page: number): void {
    const { source } = this;
    this.url = this.urlFor(at, rereading);
    source.onStep?.("before-fetch", page);
    this.progress.requests++;
    const url = this.url;
    const fetch = () => fetchPage(source.session.client, url, this.paginator, source.logger);
    const pending = this.settleMs > 0 ? settle(this.settleMs, source.signal).then(fetch) : fetch();
    this.settleMs = 0;
    pending.catch(() => {}); // awaited in receive(); this only keeps a failure during a write from being "unhandled"
    this.pending = pending;
    // The wait starts once the request is handed to the client (its setting out is not waiting), as before the split.
    this.sentAt = source.timer();
    this.busyAtSend = this.hooks.busyMs?.() ?? 0;
  }

  /**
   * Awaits the response in flight (the writer may commit meanwhile). The wait counts from the request's sending,
   * less what the consumer was busy with in between and the body's parsing: what is left is waiting for HTTP.
   */
  async receive(): Promise<{ response: JsonResponse; received: number }> {
    const { progress, source } = this;
    const pending = this.pending as Promise<JsonResponse>;
    await this.hooks.whileWaiting?.(pending);
    let response: JsonResponse;
    try {
      response = await pending;
    } catch (error) {
      const fresh = this.staleResume(error);
      if (fresh === null) throw error;
      this.send(fresh, true, this.read + 1);
      return this.receive();
    }
    const received = source.timer();
    const busy = (this.hooks.busyMs?.() ?? 0) - this.busyAtSend;
    progress.httpWaitMs += received - this.sentAt - busy - response.parseMs;
    progress.parseMs += response.parseMs;
    progress.requests += response.attempts - 1;
    source.onStep?.("after-fetch", this.read + 1);
    return { response, received };
  }

  /**
   * A resumed run whose first request, on a token or link the server made, is refused (400, 404, 410, 422): the
   * token expired meanwhile (or the server restarted), and every resume would be refused again. The run goes on
   * from the newest value it committed instead, where no unread row can be older (the read is ascending).
   */
  private staleResume(error: unknown): Position | null {
    if (!(error instanceof HttpError) || !STALE.has(error.status ?? 0) || !this.progress.resumed || this.read > 0 || this.resumeRefused) return null;
    const saved = this.position as Position & { token?: unknown; url?: unknown };
    if (!saved.token && !saved.url) return null;
    this.resumeRefused = true;
    const { config, logger } = this.source;
    const since = config.request.since_param === null ? null : (this.run.maxCursor ?? this.run.since);
    const from = since === null ? null : startBelow(since, 0, this.run.belowCursor);
    logger.log(
      "warn",
      `the interrupted run's saved ${saved.token ? "token" : "next link"} was refused (${error.message}); it goes on from ${from === null ? "the first page" : `${config.request.since_param}=${from}`} instead`,
    );
    return startPosition(from);
  }

  /** Detects the strategy on the first page, extracts and checks the page, and advances; null when it is asked again. */
  check(response: JsonResponse): CheckedPage | null {
    const { config, logger, redactor } = this.source;
    const { progress } = this;
    const where = `page ${this.run.pages + 1} (${redactor.redact(this.url)})`;
    if (!this.paginator) this.detect(response, where);
    if (this.run.pages === 0 && response.status !== 204 && !hasPath(response.body, this.shape.total) && !this.shape.total_header) {
      const total = findTotalField(response.body);
      if (total) this.shape = { ...this.shape, total };
    }
    const page = pageOf(response, this.shape, where);
    if (this.run.pages === 0 && !progress.resumed && page.total !== undefined) progress.expected = page.total;
    const recordLimit = config.limits.max_record_bytes;
    checkRecords(page.records, config.primary_key, config.cursor_field, where, response.bytes > recordLimit ? recordLimit : Infinity);
    if (ignoresFilter(config, this.url, page.records)) return this.unfiltered(page.records, where);
    let paginator = this.paginator as Paginator<Position>;
    let { step, resized } = this.guards.step(paginator, this.position, page, { url: this.url, rereads: this.rereads, response }, this.shape, where);
    if (resized !== undefined) {
      paginator = this.paginator = this.paginate(paginator.strategy);
      // Page numbers count in pages of the old size: this position is asked again at the real one.
      if (paginator.strategy === "page_number") {
        this.send(this.position, true, this.read + 1);
        return null;
      }
      step = paginator.advance(this.position, page, where);
    }
    if (step.next) step.next = savedPosition(step.next, config, redactor);
    if (step.notice !== undefined) {
      logger.log("warn", `${where}: ${step.notice}`);
      this.urls.forget(); // the pages read again are asked again on purpose
    }
    if (step.restarted !== undefined) {
      // Where the list moved: the group read, or the one a probe of the value before it came from.
      const shifted = ("from" in this.position ? this.position.from : undefined) ?? this.position.since;
      this.settleMs = this.restarts.note(step.next?.since ?? null, shifted, this.source.now());
      const wait = this.settleMs > 0 ? ` (in ${this.settleMs} ms: rows are being written at that value this second)` : "";
      logger.log("warn", `${where}: ${step.restarted}${wait}`);
      progress.restarts = this.restarts.total;
      this.urls.forget();
    }
    return { page, step, where };
  }

  /**
   * A fresh run's first page, for a filter every row passes (filter-checks.ts): an empty one is asked again without
   * the filter; one with a total is compared with the list's own total.
   */
  async checkFirstPage(response: JsonResponse): Promise<void> {
    if (this.read > 0 || this.progress.resumed || !this.startChecks) return;
    const requests = await checkEmptyStart(this.source, this.url, response, this.shape);
    const [more, warning] = requests > 0 ? [0, null] : await checkFilteredOut(this.source, this.url, response, this.shape);
    this.progress.requests += requests + more;
    if (warning) {
      this.source.logger.log("warn", warning);
      this.progress.warnings.push(warning);
    }
  }

  /** The API ignores the since filter (filter-checks.ts): the run reads the whole list from its first page, without it. */
  private unfiltered(records: readonly Row[], where: string): null {
    const warning = filterIgnored(this.source.config, this.url, records, where, this.until ?? null);
    this.source.logger.log("warn", warning);
    // A new list, not a re-read: its first page may show a capped page size (guards.ts skips that on re-reads).
    this.urls.forget();
    this.guards.startOver();
    this.position = startPosition(null);
    this.send(this.position, false, this.read + 1);
    return null;
  }

  private detect(response: JsonResponse, where: string): void {
    const { config, logger } = this.source;
    if (response.status === 204)
      throw new SyncError("detect", `${where}: HTTP 204 (no content): an empty answer cannot show how the API pages; set "strategy" in the configuration`);
    const detection = detectStrategy(response.body, response.headers, response.url, config.response, where);
    this.strategy = detection.strategy;
    this.detected = { response: detection.response, ...(detection.tokenParam ? { tokenParam: detection.tokenParam } : {}) };
    this.shape = shapeOf(config, this.detected);
    this.paginator = this.paginate(detection.strategy);
    this.progress.strategy = detection.strategy;
    this.progress.detected = detection.reason;
    logger.log("info", `detected strategy ${detection.strategy}: ${detection.reason}`);
  }

  /** The checked page as the writer takes it: its rows, the run after it, whether it ends the run. */
  prepare(checked: CheckedPage, received: number): Omit<ReadPage, "stopping" | "progress"> {
    const ready = preparePage(this, checked);
    this.run = ready.run;
    this.read++;
    this.progress.parseMs += this.source.timer() - received;
    return { ...ready, number: this.read, strategy: this.strategy, detected: this.detected };
  }

  /**
   * Pipelining: the next request is on the wire while this page is written; whatever stops the run (a signal,
   * the page cap) is returned, to take effect after this page is committed.
   */
  requestNext(step: Step<Position>): Error | null {
    const { config, signal, stopBetweenPages } = this.source;
    try {
      if (signal?.aborted) throw new AbortedError();
      if (config.max_pages !== null && this.read >= config.max_pages) {
        throw new SyncError(
          "max_pages",
          `stopped after max_pages=${config.max_pages} pages; the checkpoint is kept, so running the sync again continues from there`,
        );
      }
      if (stopBetweenPages?.()) this.progress.stoppedEarly = true;
      else this.send(step.next as Position, step.restarted !== undefined || step.notice !== undefined, this.read + 1);
      return null;
    } catch (error) {
      return error as Error;
    }
  }

  /** The progress as of now, for the page about to be handed on. */
  snapshot(): ReadProgress {
    return { ...this.progress, retries: this.source.session.retries() - this.retriesBefore };
  }
}

/** A wait that a signal ends at once (the run is then interrupted, as during a request). */
function settle(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortedError());
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(timer), reject(new AbortedError())), { once: true });
  });
}
