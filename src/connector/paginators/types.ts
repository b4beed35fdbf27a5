import type { Row } from "../../store/types";
import type { CursorValue } from "../cursor";
import type { RequestNames } from "../../config/schema";
import type { Page } from "../page";
import type { StrategyName } from "../../config/strategies";
import type { StartPosition } from "./position";

export type { AnchoredPosition, PageCheck, ProvenPosition } from "./position";

/**
 * What every saved position has. Each strategy's own variant (declared in its file) adds its fields, and
 * registry.ts joins the variants into the tagged union `Position` the state saves: paginators speak this base,
 * so the union imports them and never the other way round.
 */
export interface BasePosition {
  strategy: string;
  since: CursorValue | null;
}

/** The strategies that page (not "auto"). */
export type PaginatedStrategy = StrategyName;

export interface Step<P extends BasePosition = BasePosition> {
  /** Rows to write (re-read overlap rows removed). */
  rows: Row[];
  /** Where to continue; null when the run has reached the end. */
  next: P | null;
  /** Set when the page showed the list shifted under us: the position moved back to re-read, not forward. */
  restarted?: string;
  /** Said once as a warning, without counting as a restart (a few pages read again, see page-number.ts). */
  notice?: string;
}

/** The request-side names and the stream's identity, as the configuration gives them. */
export interface PaginatorContext {
  baseUrl: string;
  params: Record<string, string>;
  pageSize: number;
  primaryKey: readonly string[];
  cursorField: string;
  /** A history window's exclusive upper bound, sent as `until_param` next to the since filter when configured. */
  until?: CursorValue | null;
  names: RequestNames;
}

/** One strategy: how to ask for the page at a position, and what the page means. The driver owns the loop. */
export interface Paginator<P extends BasePosition = BasePosition> {
  readonly strategy: PaginatedStrategy;
  url(position: P): string;
  advance(position: P, page: Page, where: string): Step<P>;
  /**
   * The API refused a request (HTTP 400) over a parameter this strategy can do without: the request to send
   * instead and a warning to log, or null when the refusal stands.
   */
  refused?(url: string, error: { status: number | undefined; message: string }): { url: string; warning: string } | null;
}

/** Empty pages with new tokens or links followed in a row before the list is taken as ended (a feed whose token always moves). */
export const MAX_EMPTY_PAGES = 20;

export function startPosition(since: CursorValue | null): StartPosition {
  return { strategy: "start", since };
}

/**
 * A paginator's own position. A run's start, or a position another strategy saved (an API whose detected style
 * changed between a history window's runs), begins at its anchor: re-reading from there never skips a row.
 */
export function own<P extends BasePosition>(strategy: P["strategy"], position: BasePosition, start: (since: CursorValue | null) => P): P {
  return position.strategy === strategy ? (position as P) : start(position.since);
}

/** Whether this request re-reads a page on purpose to prove the one after it (tie-proof.ts). */
export function verifying(position: BasePosition): boolean {
  return "verify" in position && Boolean(position.verify);
}

/** Whether the run ends once the pending verification passes. */
export function endsAfterProof(position: BasePosition): boolean {
  return "done" in position && position.done === true;
}

/** Rows of the anchored list consumed so far (0 for a strategy that does not count them). */
export function skipOf(position: BasePosition): number {
  return "skip" in position ? (position.skip as number) : 0;
}

/**
 * The value a position's request sends as the since filter: its `since`, or, where the API's filter was found to be
 * `cursor > value`, the value before it (`before`), so that the list still starts at `since` (anchored.ts).
 */
export function sinceParamOf(position: { since: CursorValue | null; before?: CursorValue | null; exclusive?: boolean }): CursorValue | null {
  return position.exclusive === true && position.before !== undefined && position.before !== null ? position.before : position.since;
}

/** The base URL with the static params, the since filter (when the API has one; a window's upper bound with it) and extras. */
export function buildUrl(ctx: PaginatorContext, since: CursorValue | null, extra: Record<string, string | number>): string {
  const url = new URL(ctx.baseUrl);
  for (const [k, v] of Object.entries(ctx.params)) url.searchParams.set(k, v);
  if (ctx.names.since_param && since !== null) {
    url.searchParams.set(ctx.names.since_param, String(since));
    if (ctx.names.until_param && ctx.until !== undefined && ctx.until !== null) url.searchParams.set(ctx.names.until_param, String(ctx.until));
  }
  for (const [k, v] of Object.entries(extra)) url.searchParams.set(k, String(v));
  return url.href;
}
