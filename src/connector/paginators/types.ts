import type { Row } from "../../store/types";
import type { CursorValue } from "../cursor";
import type { RequestNames } from "../../config/schema";
import type { Page } from "../page";
import type { Position } from "./position";

/** Where a run stands, saved with every page so a killed sync resumes exactly: one tagged union (registry.ts). */
export type { Position } from "./position";
export type { PageCheck } from "./position";

/** The strategies that page (not "auto"), as the position union names them. */
export type PaginatedStrategy = Exclude<Position["strategy"], "start">;
export type PositionOf<S extends Position["strategy"]> = Extract<Position, { strategy: S }>;
/** The positions of the strategies that read the list `cursor >= since` from a row count. */
export type AnchoredPosition = PositionOf<"offset" | "page_number" | "next_page_url" | "link_header">;
/** The positions of the strategies whose reads inside a large tie group are proven afterwards (tie-proof.ts). */
export type ProvenPosition = PositionOf<"page_number" | "next_page_url" | "link_header">;

export interface Step {
  /** Rows to write (re-read overlap rows removed). */
  rows: Row[];
  /** Where to continue; null when the run has reached the end. */
  next: Position | null;
  /** Set when the page showed the list shifted under us: the position moved back to re-read, not forward. */
  restarted?: string;
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
export interface Paginator {
  readonly strategy: PaginatedStrategy;
  url(position: Position): string;
  advance(position: Position, page: Page, where: string): Step;
  /**
   * The API refused a request (HTTP 400) over a parameter this strategy can do without: the request to send
   * instead and a warning to log, or null when the refusal stands.
   */
  refused?(url: string, error: { status: number | undefined; message: string }): { url: string; warning: string } | null;
}

export function startPosition(since: CursorValue | null): Position {
  return { strategy: "start", since };
}

/**
 * A paginator's own position. A run's start, or a position another strategy saved (an API whose detected style
 * changed between a history window's runs), begins at its anchor: re-reading from there never skips a row.
 */
export function own<S extends PaginatedStrategy>(strategy: S, position: Position, start: (since: CursorValue | null) => PositionOf<S>): PositionOf<S> {
  return position.strategy === strategy ? (position as PositionOf<S>) : start(position.since);
}

/** Whether this request re-reads a page on purpose to prove the one after it (tie-proof.ts). */
export function verifying(position: Position): boolean {
  return "verify" in position && Boolean(position.verify);
}

/** Whether the run ends once the pending verification passes. */
export function endsAfterProof(position: Position): boolean {
  return "done" in position && position.done === true;
}

/** Rows of the anchored list consumed so far (0 for a strategy that does not count them). */
export function skipOf(position: Position): number {
  return "skip" in position ? position.skip : 0;
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
