import type { SyncConfig } from "../config/schema";
import { SyncError } from "../errors";
import type { Row, Store, TableSpec } from "../store/types";
import { advanceCursor } from "./cursor";
import { convertRecords, SQL_TYPE } from "./columns";
import { belowBound } from "./history";
import { fetchPage } from "./fetch-page";
import { PageGuards, Restarts, unhonoured } from "./guards";
import { checkpointPolicy, Checkpoints, settlesWithin } from "./checkpoints";
import { AbortedError, type HttpDeps, type JsonResponse } from "./http/client";
import { openSession, type HttpSession } from "./http/session";
import { Redactor } from "./redact";
import { savedPosition, withConfigSecrets } from "./saved-urls";
import { addCounts, emptySummary, timed, warnFuture, type SyncSummary } from "./summary";
import type { Logger } from "./log";
import { checkRecords, cursorOf, dedupe, extractPage, hasPath, type ResponseShape } from "./page";
import { createPaginator, type PaginatedStrategy, type Paginator, type PaginatorContext, type Position } from "./paginators";
import { detectStrategy, findTotalField } from "./paginators/detect";
import { buildUrl, startPosition } from "./paginators/types";
import { slotState, type RunSlot } from "./run-slot";
import { claimSource, sourceIdentity, type SourceOptions } from "./source";
import { parseState, type RunState, type SyncState } from "./state";

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

export function contextOf(config: SyncConfig): PaginatorContext {
  return {
    baseUrl: config.base_url,
    params: config.params,
    pageSize: config.page_size,
    primaryKey: config.primary_key,
    cursorField: config.cursor_field,
    names: config.request,
  };
}

/** What identifies the source: a run in progress is only resumed against the same one. */
export function sourceOf(config: SyncConfig): string {
  const url = new URL(config.base_url);
  return `${url.origin}${url.pathname}`;
}

/**
 * One sync run: resume or start, then page until the end, committing pages' rows with the state that covers
 * them in checkpoints. Throws AppError subclasses on failure; the last committed page stays intact.
 */
export async function runSync(config: SyncConfig, deps: SyncDeps, options: RunOptions = {}): Promise<SyncSummary> {
  const started = deps.now();
  const timer = deps.timer ?? performance.now.bind(performance);
  const redactor = deps.redactor ?? new Redactor();
  const redact = redactor.redact;
  const origin = new URL(config.base_url).origin;
  const columnTypes = Object.fromEntries(Object.entries(config.columns).map(([name, type]) => [name, SQL_TYPE[type]]));
  const spec: TableSpec = { table: config.table, primaryKey: config.primary_key, cursorField: config.cursor_field, columnTypes };
  const ctx = contextOf(config);
  const summary = emptySummary();
  const session = options.session ?? openSession(config, deps, redactor);
  const retriesBefore = session.retries();
  const client = session.client;

  let state: SyncState = claimSource(parseState(deps.store.readState(config.table), config.table), sourceIdentity(config, deps.source ?? {}, redact), config, deps.source ?? {}, deps.logger);
  const slot = slotState(options.slot ?? { kind: "forward", fullRefresh: options.fullRefresh }, state, config);
  const source = sourceOf(config);
  let run: RunState;
  const canResume = slot.saved !== null && slot.saved.source === source && (config.strategy === "auto" || config.strategy === state.strategy);
  if (canResume && slot.saved) {
    run = slot.saved;
    summary.resumed = true;
    deps.logger.log("info", `resuming the interrupted ${slot.label} after page ${run.pages}`, { strategy: state.strategy ?? undefined, since: run.position.since ?? undefined });
  } else {
    if (slot.saved) deps.logger.log("warn", `the interrupted ${slot.label} was for another source or strategy; it is dropped and a new ${slot.refresh ? "full refresh" : "run"} starts`);
    else if (slot.refresh && state.run) deps.logger.log("info", "the interrupted incremental run is dropped: the full refresh reads everything it would have");
    run = { since: slot.since, position: startPosition(slot.since), maxCursor: null, startedAt: new Date(deps.now()).toISOString(), pages: 0, rows: 0, source, ...(slot.refresh ? { refresh: true } : {}) };
  }
  summary.fullRefresh = run.refresh === true;
  for (const note of unhonoured(config)) deps.logger.log("warn", note);
  if (summary.fullRefresh) deps.logger.log("info", `full refresh: reading every row from ${String(run.since ?? "the first page")}; rows not found are marked _deleted = 1 when it finishes`);

  // A resumed run, and a history window (the forward run has just detected the API), page as the state says.
  const known = config.strategy === "auto" && (canResume || options.slot?.kind === "backfill");
  let strategy: PaginatedStrategy | null = config.strategy === "auto" ? (known ? state.strategy : null) : config.strategy;
  let detected: SyncState["detected"] = known ? (state.detected ?? null) : null;
  let shape: ResponseShape = { ...config.response, ...(detected?.response ?? {}) };
  const guards = new PageGuards(config, ctx.names, deps.logger);
  // Paged by the server's real page size once a page shows it is smaller than page_size (guards.ts).
  const paginate = (s: PaginatedStrategy) => createPaginator(s, { ...ctx, pageSize: guards.pageSize, until: slot.until, names: { ...ctx.names, token_param: detected?.tokenParam ?? ctx.names.token_param } });
  let paginator: Paginator | null = strategy ? paginate(strategy) : null;
  let position: Position = run.position;
  const seen = new Set<string>();
  /** The request in flight re-reads a page on purpose (a tie proof, a restart, a corrected page size). */
  let rereads = false;
  const restarts = new Restarts(config.cursor_field);
  /** The URL for a position, refusing one already read (a repeated or cyclic token/URL) unless re-reading after a shift. */
  const urlFor = (at: Position, rereading: boolean): string => {
    const url = withConfigSecrets(paginator ? paginator.url(at) : buildUrl(ctx, at.since, {}), config, origin, redactor);
    const target = new URL(url);
    if (target.username || target.password) throw new SyncError("origin", `refusing to follow ${redact(url)}: it carries user:password@`);
    if (target.origin !== origin && !config.allow_origins.includes(target.origin)) {
      throw new SyncError("origin", `refusing to follow ${redact(url)}: it is not on ${origin}, the origin of base_url (list it in allow_origins to allow it; credentials and headers still go only to base_url)`);
    }
    // A verification re-reads a page on purpose (next-link paging inside a tie group); restarts bound it.
    if (seen.has(url) && !rereading && !at.verify) {
      throw new SyncError("loop", `the API sent the sync back to a page it already read (${redact(url)}): a repeated or cyclic ${strategy === "keyset" ? "token" : "URL"}; stopping before looping forever`);
    }
    seen.add(url);
    rereads = rereading || Boolean(at.verify);
    return url;
  };
  const send = (url: string, page: number): Promise<JsonResponse> => {
    deps.onStep?.("before-fetch", page);
    summary.requests++;
    const pending = fetchPage(client, url, paginator, deps.logger);
    pending.catch(() => {}); // awaited below; this only keeps a failure during a commit from being "unhandled"
    return pending;
  };

  const checkpoints = new Checkpoints(deps.store, checkpointPolicy(config), timer);
  /** Commits the open checkpoint; returns the ms it took (writing time). */
  const commit = (): number => {
    const writing = timer();
    const pages = checkpoints.commit();
    const ms = timer() - writing;
    summary.timing.writeMs += ms;
    if (pages.length > 0) summary.checkpoints++;
    for (const page of pages) deps.onStep?.("after-commit", page);
    return ms;
  };

  let url = urlFor(position, false);
  let pending = send(url, 1);
  try {
    for (;;) {
      const waiting = timer();
      // A slow or retrying API does not hold written pages back: past the checkpoint interval they are committed
      // while the next response is awaited.
      const committing = checkpoints.open && !(await settlesWithin(pending, checkpoints.msLeft())) ? commit() : 0;
      const response = await pending;
      const received = timer();
      // The body is parsed while this loop awaits it: that part of the wait is parsing, not HTTP.
      summary.timing.httpWaitMs += received - waiting - response.parseMs - committing;
      summary.timing.parseMs += response.parseMs;
      summary.requests += response.attempts - 1;
      deps.onStep?.("after-fetch", summary.pages + 1);
      const where = `page ${run.pages + 1} (${redact(url)})`;

      if (!paginator) {
        const detection = detectStrategy(response.body, response.headers, response.url, config.response, where);
        strategy = detection.strategy;
        detected = { response: detection.response, ...(detection.tokenParam ? { tokenParam: detection.tokenParam } : {}) };
        shape = { ...config.response, ...detection.response };
        paginator = paginate(strategy);
        summary.detected = detection.reason;
        deps.logger.log("info", `detected strategy ${strategy}: ${detection.reason}`);
      }
      if (run.pages === 0 && !hasPath(response.body, shape.total) && !shape.total_header) {
        const total = findTotalField(response.body);
        if (total) shape = { ...shape, total };
      }
      const page = extractPage(response.body, response.headers, shape, where, response.url);
      if (run.pages === 0 && !summary.resumed && page.total !== undefined) summary.expected = page.total;
      const recordLimit = config.limits.max_record_bytes;
      checkRecords(page.records, config.primary_key, config.cursor_field, where, response.bytes > recordLimit ? recordLimit : Infinity);
      let { step, resized } = guards.step(paginator, position, page, { url, rereads, response }, shape, where);
      if (resized !== undefined) {
        paginator = paginate(paginator.strategy);
        // Page numbers count in pages of the old size: this position is asked again at the real one.
        if (paginator.strategy === "page_number") {
          pending = send((url = urlFor(position, true)), summary.pages + 1);
          continue;
        }
        step = paginator.advance(position, page, where);
      }
      if (step.next) step.next = savedPosition(step.next, config, redactor);
      if (step.restarted !== undefined) {
        deps.logger.log("warn", `${where}: ${step.restarted}`);
        restarts.note(step.next?.since ?? null);
        summary.restarts = restarts.total;
        // Re-reading retraces pages already read: that is not a loop (the restart caps bound it).
        seen.clear();
      }

      // A history window ends at the first row at or past its upper bound: that row and the pages after it are not its own.
      const bounded = slot.until === null ? { rows: step.rows, reached: false } : belowBound(step.rows, slot.until, config.cursor_field, where);
      const rows = dedupe(bounded.rows, config.primary_key);
      const stored = convertRecords(rows, config.columns, where);
      const { max: maxCursor, future } = advanceCursor(rows.map((row) => cursorOf(row, config.cursor_field)), run.maxCursor, deps.now());
      if (future.length > 0) warnFuture(summary, deps.logger, where, config.cursor_field, future);
      const finished = step.next === null || bounded.reached;
      const shortfall = slot.until === null ? guards.totals(paginator.strategy, position, step, page, run.rows, url, where) : null;
      if (shortfall) summary.warnings.push(shortfall);
      run = { ...run, position: step.next ?? position, maxCursor, pages: run.pages + 1, ...(run.rows === undefined ? {} : { rows: run.rows + page.records.length }) };
      state = { ...(finished ? slot.finished(state, run, summary.rows + rows.length, deps.now()) : slot.during(state, run)), strategy, detected };
      summary.timing.parseMs += timer() - received;

      // Pipelining: the next request is on the wire while this page is written; writes stay strictly in order, and
      // whatever stops the run (a guard, a signal, the page cap) takes effect only after this page is committed.
      let stop: Error | null = null;
      if (!finished) {
        try {
          if (deps.signal?.aborted) throw new AbortedError();
          if (config.max_pages !== null && summary.pages + 1 >= config.max_pages) {
            throw new SyncError("max_pages", `stopped after max_pages=${config.max_pages} pages; the checkpoint is kept, so running the sync again continues from there`);
          }
          if (options.stopBetweenPages?.()) summary.stoppedEarly = true;
          else {
            url = urlFor(step.next as Position, step.restarted !== undefined);
            pending = send(url, summary.pages + 2);
          }
        } catch (error) {
          stop = error as Error;
        }
      }

      const writing = timer();
      const refresh = run.refresh ? { start: run.pages === 1, finish: finished, since: run.since } : undefined;
      const counts = deps.store.writePage(spec, stored, state, deps.onStep && (() => deps.onStep?.("mid-transaction", summary.pages + 1)), refresh);
      summary.timing.writeMs += timer() - writing;
      checkpoints.wrote(summary.pages + 1, rows.length);
      deps.onStep?.("after-write", summary.pages + 1);
      addCounts(summary, counts, deps.logger, summary.pages + 1);
      summary.pages++;
      summary.rows += rows.length;
      // The end of the run, and whatever stops it, commits at once; otherwise the policy says when.
      if (finished || summary.stoppedEarly || stop || checkpoints.due()) commit();
      summary.retries = session.retries() - retriesBefore;
      summary.strategy = strategy;
      summary.cursor = finished ? state.cursor : maxCursor;
      const first = rows[0];
      deps.logger.log("debug", `page ${run.pages}`, { strategy: strategy ?? undefined, rows: rows.length, first: first ? config.primary_key.map((k) => String(first[k])).join(",") : undefined, inserted: counts.inserted, updated: counts.updated });
      deps.onPage?.(timed(summary, started, deps.now()));
      if (finished || summary.stoppedEarly) break;
      if (stop) throw stop;
      position = step.next as Position;
    }
  } catch (error) {
    // Every page written before the failure is whole and good (a failing page leaves nothing): keep them.
    try {
      commit();
    } catch (failed) {
      deps.logger.log("error", `could not commit the pages read before the failure: ${redact(String(failed))}; the last checkpoint is intact`);
    }
    throw error;
  }
  return timed(summary, started, deps.now());
}
