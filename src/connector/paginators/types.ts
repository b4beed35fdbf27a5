import type { Row } from "../../store/types";
import type { CursorValue } from "../cursor";
import type { Page } from "../page";

export type PaginatedStrategy = "offset" | "page_number" | "keyset" | "next_page_url" | "link_header";

/**
 * Where a run stands, saved with every page so a killed sync resumes exactly. Anchored strategies read the list
 * `cursor >= since` (sorted by cursor) and have consumed its first `skip` rows, the last of them `lastKey`.
 * Keyset holds the server's token; next_page_url holds a URL only inside a tie group larger than a page.
 */
export interface Position {
  since: CursorValue | null;
  skip: number;
  lastKey: string | null;
  token?: string | null;
  url?: string | null;
  /** The page just read inside an oversized tie group: the page followed after it is proven by re-reading it. */
  prev?: PageCheck | null;
  /** This request re-reads a page to prove the page followed after it started where that one ended. */
  verify?: PageCheck | null;
  /** The run ends once the pending verification passes. */
  done?: boolean;
}

/** A page's URL, the hash of its keys in order, and the anchor to fall back to if it changed. */
export interface PageCheck {
  url: string;
  keys: string;
  since: CursorValue | null;
}

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
  names: {
    limit_param: string;
    offset_param: string;
    page_param: string;
    per_page_param: string;
    since_param: string | null;
    until_param?: string | null;
    token_param: string;
    first_page: number;
  };
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
  return { since, skip: 0, lastKey: null };
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
