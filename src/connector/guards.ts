// Checks that a page is what was asked for. Real servers ignore parameters they do not know and cap page sizes
// without a word; each check here turns such a page into an exact run or a clear error. Small units the driver
// calls, so they can move into the page reader (issue 17).
import type { SyncConfig } from "../config/schema";
import { AppError, SyncError } from "../errors";
import type { Row } from "../store/types";
import type { CursorValue } from "./cursor";
import { detectStyle } from "./paginators/detect";
import { STRATEGIES } from "./paginators/registry";
import type { Logger } from "./log";
import type { Position } from "./paginators";
import { endsAfterProof, skipOf, verifying, type PaginatedStrategy, type Paginator, type PaginatorContext, type Step } from "./paginators/types";
import { hasPath, identityOf, type Page, type ResponseShape } from "./page";

/** The request parameter that sizes a strategy's pages. */
export function sizeParam(strategy: PaginatedStrategy, names: PaginatorContext["names"]): string {
  const name = STRATEGIES[strategy].sizeParam;
  return `'${names[name]}' (request.${name})`;
}

/**
 * A page with the same records as the page before, when a new page was asked for: the server ignored the
 * parameter that names the page and will send page 1 forever. Re-reads the paginators make on purpose (tie
 * proofs, restarts after a shift, a page asked again at a corrected size) are not checked.
 */
export class RepeatGuard {
  private previous: { signature: string; records: readonly Row[] } | null = null;

  /** The list is read again from its first page (a different request): no page before it to repeat. */
  forget(): void {
    this.previous = null;
  }

  check(
    records: readonly Row[],
    rereading: boolean,
    strategy: PaginatedStrategy,
    primaryKey: readonly string[],
    names: PaginatorContext["names"],
    where: string,
  ): void {
    const previous = this.previous;
    // A page's first and last keys and its length, compared in full only when they match: a cost per page, not per row.
    const signature =
      records.length === 0
        ? ""
        : `${records.length}|${String(identityOf(records[0] as Row, primaryKey))}|${String(identityOf(records.at(-1) as Row, primaryKey))}`;
    this.previous = { signature, records };
    // One row repeats legitimately: anchored paging re-reads the last row of the page before as its overlap.
    if (rereading || !previous || records.length < 2 || signature !== previous.signature) return;
    if (!records.every((row, i) => identityOf(row, primaryKey) === identityOf(previous.records[i] as Row, primaryKey))) return;
    throw new SyncError(
      "repeated_page",
      `${where}: the same records as the page before (${records.length} rows): the server ignores the parameter that should move it to the next page; check ${STRATEGIES[strategy].pagingParam(names)} against the API's documentation`,
    );
  }
}

/**
 * The server's real page size, when a page has fewer rows than were asked for and the paging says there are more:
 * it caps the size (DRF's max_page_size, GitHub's 100) or ignores the size parameter. Null when the page is whole,
 * the last one, a re-read, or its request asked for no size.
 */
export function cappedPageSize(page: Page, step: Step<Position>, asked: number | null, rereading: boolean, covered: number | undefined): number | null {
  const rows = page.records.length;
  if (asked === null || rereading || step.restarted !== undefined || rows === 0 || rows >= asked) return null;
  // More to come: the paging says so, or the total does (page numbers computed with the asked size end too soon).
  const more = (step.next !== null && !endsAfterProof(step.next)) || (page.total !== undefined && covered !== undefined && covered < page.total);
  return more ? rows : null;
}

/** The page size a request's URL asks for (the server's own next links included), or null when it names none. */
export function askedSize(url: string, strategy: PaginatedStrategy, names: PaginatorContext["names"]): number | null {
  const value = new URL(url).searchParams.get(names[STRATEGIES[strategy].sizeParam]);
  return value !== null && /^\d+$/.test(value) ? Number(value) : null;
}

export function cappedMessage(where: string, rows: number, asked: number, strategy: PaginatedStrategy, names: PaginatorContext["names"]): string {
  return `${where}: the API returned ${rows} rows where ${asked} were asked, and says there are more: it caps its page size or ignores ${sizeParam(strategy, names)}; paging by ${rows} from here (set page_size to ${rows} to say so)`;
}

/**
 * A strategy chosen in the configuration that the first response does not support: keyset without the token
 * field would read one page, next_page_url without the next field likewise. Exit 2, naming what is missing and the
 * strategy the response looks like.
 */
export function checkFit(strategy: PaginatedStrategy, page: Page, body: unknown, headers: Headers, url: string, shape: ResponseShape, where: string): void {
  const field = STRATEGIES[strategy].needs;
  const needs: [string, string] | null = field ? [shape[field], `response.${field}`] : null;
  if (!needs || hasPath(body, needs[0])) return;
  const looks = detectStyle(body, headers, url, shape);
  const other = looks.ok && looks.detection.strategy !== strategy;
  // Some APIs leave the field out on their last page: a lone page that claims nothing more is the end, not a misfit.
  if (!other && (page.total === undefined || page.records.length >= page.total)) return;
  const like = other
    ? `; it looks like ${looks.detection.strategy} (${looks.detection.reason}): use strategy "${looks.detection.strategy}" or "auto"`
    : `, and the API reports ${page.total} rows where this page has ${page.records.length}`;
  throw new AppError(
    "strategy_misfit",
    `${where}: strategy ${strategy} does not fit this endpoint: the response has no '${needs[0]}' (${needs[1]}), which ${strategy} paging needs${like}; or set ${needs[1]} to where the API puts it`,
  );
}

/**
 * Rows of the listed set the run has read once its last page is in: a position counts rows of the list it is
 * anchored on (the API's total for that request counts the same list), a keyset run counts what it received.
 * Undefined when it cannot be known (a keyset run resumed from a state saved before runs counted rows, a link
 * followed from an earlier anchor).
 */
export function rowsCovered(
  strategy: PaginatedStrategy,
  position: Position,
  step: Step<Position>,
  page: Page,
  runRows: number | undefined,
  url: string,
  names: PaginatorContext["names"],
): number | undefined {
  if (strategy === "keyset") return runRows === undefined ? undefined : runRows + page.records.length;
  // A next link followed from an earlier anchor lists another set than the position counts.
  if (names.since_param && position.since !== null && new URL(url).searchParams.get(names.since_param) !== String(position.since)) return undefined;
  return step.next && endsAfterProof(step.next) ? skipOf(step.next) : skipOf(position) + step.rows.length;
}

/**
 * The last page of a run and the API's total for the same request disagree: the pages ended before the rows did
 * (a capped or ignored size, a mistyped parameter, a server that stops early). An error unless strict_totals is
 * off; the same response gives both numbers, so rows changing during the sync cannot set it off.
 */
export function checkTotals(
  config: SyncConfig,
  total: number | undefined,
  covered: number | undefined,
  since: Position["since"],
  where: string,
): string | null {
  if (total === undefined || covered === undefined || covered >= total) return null;
  const list = config.request.since_param && since !== null ? ` with ${config.request.since_param}=${since}` : "";
  const shortfall = `${where}: the pages ended after ${covered} of the ${total} rows the API reports${list}`;
  if (config.strict_totals) {
    throw new SyncError(
      "totals",
      `${shortfall}; the run is not finished (the last page is not committed). The server under-delivers: check the paging parameters (request.*) and page_size, or set strict_totals: false to accept it with a warning`,
    );
  }
  return `${shortfall} (strict_totals is off)`;
}

/** The request a page answers: its URL, whether it re-reads a page on purpose, and the raw response. */
export interface PageRequest {
  url: string;
  rereads: boolean;
  response: { body: unknown; headers: Headers; url: string };
}

/** The checks of one run, in the order a page meets them. */
export class PageGuards {
  private readonly repeats = new RepeatGuard();
  private checkedFit = false;
  /** The page size to ask for: page_size, until a page shows the server's real one is smaller. */
  pageSize: number;

  constructor(
    private readonly config: SyncConfig,
    private readonly names: PaginatorContext["names"],
    private readonly logger: Logger,
  ) {
    this.pageSize = config.page_size;
  }

  /** The run reads the list again from its first page, by another request (page-reader.ts): no page to repeat. */
  startOver(): void {
    this.repeats.forget();
  }

  /**
   * The paginator's step for a page that passed the checks, and `resized` when the page showed the server's real
   * page size (the caller pages by it: the step is then to be taken again, or the page asked again).
   */
  step(
    paginator: Paginator<Position>,
    position: Position,
    page: Page,
    request: PageRequest,
    shape: ResponseShape,
    where: string,
  ): { step: Step<Position>; resized?: number } {
    const { strategy } = paginator;
    if (!this.checkedFit && this.config.strategy !== "auto")
      checkFit(strategy, page, request.response.body, request.response.headers, request.response.url, shape, where);
    this.checkedFit = true;
    this.repeats.check(page.records, request.rereads, strategy, this.config.primary_key, this.names, where);
    const step = paginator.advance(position, page, where);
    const asked = askedSize(request.response.url, strategy, this.names);
    const covered = rowsCovered(strategy, position, step, page, undefined, request.url, this.names);
    const resized = cappedPageSize(page, step, asked, request.rereads, covered);
    // A followed next link may still ask for the old size (servers echo the query string): said once.
    if (resized === null || resized >= this.pageSize) return { step };
    this.pageSize = resized;
    this.logger.log("warn", cappedMessage(where, page.records.length, asked as number, strategy, this.names));
    return { step, resized };
  }

  /** The totals check on a run's last page read (a tie proof may follow it); a warning to report, if any. */
  totals(
    strategy: PaginatedStrategy,
    position: Position,
    step: Step<Position>,
    page: Page,
    runRows: number | undefined,
    url: string,
    where: string,
  ): string | null {
    if ((step.next !== null && !endsAfterProof(step.next)) || verifying(position)) return null;
    const shortfall = checkTotals(this.config, page.total, rowsCovered(strategy, position, step, page, runRows, url, this.names), position.since, where);
    if (shortfall) this.logger.log("warn", shortfall);
    return shortfall;
  }
}

/**
 * Re-reads forced by a list that shifted under the sync. Churn at one cursor value ends when the clock moves past
 * it (rows updated now land on a newer value), so the cap is per anchor; the run-wide cap is a last safety net.
 */
const MAX_RESTARTS_PER_ANCHOR = 50;
const MAX_RESTARTS = 200;

/** Counts a run's restarts and stops the run when the source will not settle. */
export class Restarts {
  total = 0;
  private anchor: Position["since"] = null;
  private here = 0;

  constructor(private readonly cursorField: string) {}

  /**
   * A restart back to `target` (the anchor the re-read goes back to) from the position read at `shifted` (where
   * the list moved): counted at the target, and in the run. Returns how long to wait before the re-read (settleMs).
   */
  note(target: Position["since"], shifted: Position["since"], now: number): number {
    this.total++;
    this.here = target === this.anchor ? this.here + 1 : 1;
    this.anchor = target;
    if (this.here > MAX_RESTARTS_PER_ANCHOR || this.total > MAX_RESTARTS) {
      throw new SyncError(
        "unstable",
        `the source kept shifting under the sync (${this.here} re-reads at ${this.cursorField}=${target}, ${this.total} in this run); the checkpoint is kept, try again when it is calmer`,
      );
    }
    return this.here < 2 ? 0 : settleMs(shifted, now);
  }
}

/**
 * An anchor in the second the clock is in is a group still being written: rows updated now join it, and each
 * re-read finds it changed again (a busy table, a fast API: the restarts ran out within the second). Re-read it
 * once that second is over, and no sooner than 300 ms for one a little behind our clock (a server's clock may lag
 * ours); an anchor further away is re-read at once.
 */
export function settleMs(anchor: Position["since"], now: number): number {
  const at = typeof anchor === "string" ? Date.parse(anchor) : Number.NaN;
  if (Number.isNaN(at)) return 0;
  const second = Math.floor(at / 1000) * 1000;
  if (now - second > 3000 || second - now > 2000) return 0;
  return Math.min(1000 + SETTLE_SLACK_MS, Math.max(second + 1000 + SETTLE_SLACK_MS - now, 300));
}

/** Past the anchor's second by this much, so a server clock a little behind ours has left it too. */
const SETTLE_SLACK_MS = 100;

/** Settings the configuration gives that its API cannot honour, said at the start of a run instead of ignored. */
export function unhonoured(config: SyncConfig, cursor: CursorValue | null = null): string[] {
  const notes: string[] = [];
  const number = typeof cursor === "number" ? cursor : typeof config.initial_cursor === "number" ? config.initial_cursor : null;
  if (config.lookback_seconds > 0 && config.request.since_param !== null && number !== null)
    notes.push(
      `lookback_seconds goes back from a timestamp, and the cursor ${config.cursor_field} is a number (${number}): it is not applied (each run still starts at the newest value read below the cursor)`,
    );
  const given = [config.initial_cursor !== "0001-01-01T00:00:00Z" ? "initial_cursor" : null, config.lookback_seconds > 0 ? "lookback_seconds" : null].filter(
    Boolean,
  );
  if (config.request.since_param === null && given.length > 0) {
    notes.push(`${given.join(" and ")} cannot be honoured: request.since_param is null (the API has no cursor filter), so every run reads the whole list`);
  }
  return notes;
}
