// What a page shows about the API's since filter (request.since_param), beyond what paging itself checks: that the
// API ignores it (real APIs ignore parameters they do not know), or that it is no filter by the cursor at all
// (json-server 1.x takes an unknown parameter as a field that must equal the value).
import { isNumberText } from "../../instants";
import type { SyncConfig } from "../../config/schema";
import { HttpError, SyncError } from "../../errors";
import type { Row } from "../../store/types";
import { compareCursor, type CursorValue } from "../cursor";
import type { JsonResponse } from "../http/client";
import { cursorOf, pageOf, type ResponseShape } from "../page";
import { buildUrl } from "../paginators/types";
import { contextOf } from "../run-context";
import { withConfigSecrets } from "../saved-urls";
import type { PageSource } from "./types";

/** The default initial_cursor: a since filter at or below it passes every row that has a real timestamp. */
const FIRST_INSTANT = "0001-01-01T00:00:00Z";

/** The since filter a request sent (a proof re-reads a page of an earlier anchor: its URL, not the position, says which). */
export function sentSince(config: SyncConfig, url: string): CursorValue | null {
  const name = config.request.since_param;
  const sent = name === null ? null : new URL(url).searchParams.get(name);
  return sent === null ? null : isNumberText(sent) ? Number(sent) : sent;
}

/**
 * Whether the page starts older than the since filter its request sent: the API does not apply the filter. Paging
 * anchored on a filter the API ignores fails or loops; the first record is the page's oldest when the API sorts as
 * it must (the order check stops the run otherwise).
 */
export function ignoresFilter(config: SyncConfig, url: string, records: readonly Row[]): boolean {
  const sent = sentSince(config, url);
  const first = records[0];
  return sent !== null && first !== undefined && compareCursor(cursorOf(first, config.cursor_field), sent) < 0;
}

/** The warning for a run that goes on without the filter; for a priority-first window, which reads through it, the error that stops it. */
export function filterIgnored(config: SyncConfig, url: string, records: readonly Row[], where: string, until: CursorValue | null): string {
  const name = config.request.since_param as string;
  const first = JSON.stringify(cursorOf(records[0] as Row, config.cursor_field));
  const seen = `its first record has ${config.cursor_field}=${first}, older than ${name}=${sentSince(config, url)}`;
  if (until !== null)
    throw new SyncError(
      "since_ignored",
      `${where}: the API does not filter by '${name}' (${seen}), and a priority-first sync reads history one window of time at a time through that filter; sync without --priority-first`,
    );
  return `${where}: the API does not filter by '${name}' (${seen}): reading the whole list from its first page without it; every sync does (set request.since_param to null to say so, or, if the API does filter, check that it reads the value as UTC and to the second)`;
}

/**
 * A run's first page with no rows for a since filter every row passes (the default initial_cursor): asked again
 * with only the configured params (none of the paging, size or since ones the sync adds), rows there show that one
 * of those empties the list (json-server 1.x takes a parameter it does not know as a field that must equal the
 * value), and the sync stops with exit 2 where it would have ended empty with exit 0. Returns the requests made.
 */
export async function checkEmptyStart(source: PageSource, url: string, response: JsonResponse, shape: ResponseShape): Promise<number> {
  const sent = fromTheStart(source.config, url);
  if (sent === null || !emptyPage(response, shape)) return 0;
  const name = source.config.request.since_param as string;
  const bare = bareUrl(source, {});
  const [rows, asked] = await rowsAt(source, bare, shape);
  if (rows <= 0) return asked;
  const without = new URL(url);
  without.searchParams.delete(name);
  const [filtered, more] = without.href === bare ? [rows, 0] : await rowsAt(source, without.href, shape);
  if (filtered < 0) return asked + more; // refused: nothing proven either way
  if (filtered > 0) throw notAFilter(source, url, sent, filtered);
  throw unknownParams(source, url, bare, rows, asked + more);
}

/**
 * A run's first page from a since value every row passes, with a total: the same list without the filter (only the
 * configured params) may count more rows. Those are rows the filter never returns, most often a null cursor field
 * (SQL's `updated_at >= x` is false for NULL): no incremental sync reads them, and no page shows it. Returns the
 * requests made and the warning to give, if any.
 */
export async function checkFilteredOut(source: PageSource, url: string, response: JsonResponse, shape: ResponseShape): Promise<[number, string | null]> {
  const { config } = source;
  const sent = fromTheStart(config, url);
  const filtered = sent === null ? undefined : totalOf(response, shape);
  if (filtered === undefined) return [0, null];
  const name = config.request.since_param as string;
  // One row is enough to read a total: the page size the first request sent, set to 1 (an API that lists
  // everything without it, as json-server does, would otherwise send the whole list).
  const size = [config.request.limit_param, config.request.per_page_param].find((n) => new URL(url).searchParams.has(n));
  const answer = await askAside(source, bareUrl(source, size ? { [size]: 1 } : {}));
  if (answer === null) return [1, null];
  const all = totalOf(answer, shape);
  if (all === undefined || all <= filtered) return [answer.attempts, null];
  const missing = all - filtered;
  return [
    answer.attempts,
    `the API counts ${all} rows without '${name}' and ${filtered} with ${name}=${sent}, which every row with a value in ${config.cursor_field} passes: ` +
      `${missing} ${missing === 1 ? "row is" : "rows are"} never returned with the filter (a null ${config.cursor_field}?), so no incremental sync reads ${missing === 1 ? "it" : "them"}. ` +
      "Choose a cursor_field every row has, or set request.since_param to null (each sync then reads the whole list)",
  ];
}

/** The since value a request sent when it is one every row passes (the default initial_cursor or below); else null. */
function fromTheStart(config: SyncConfig, url: string): string | null {
  const sent = config.request.since_param === null ? null : sentSince(config, url);
  return typeof sent === "string" && compareCursor(sent, FIRST_INSTANT) <= 0 ? sent : null;
}

/** The list with only the configured params (and `extra`), secret ones too (contextOf leaves those out of saved URLs). */
function bareUrl({ config, redactor }: PageSource, extra: Record<string, string | number>): string {
  return withConfigSecrets(buildUrl(contextOf(config), null, extra), config, new URL(config.base_url).origin, redactor);
}

/** The total a page reports (null-safe: a page the shape cannot read counts nothing here; check() reports it). */
function totalOf(response: JsonResponse, shape: ResponseShape): number | undefined {
  try {
    return pageOf(response, shape, "").total;
  } catch {
    return undefined;
  }
}

/** Rows at `url` and the requests it took; -1 rows when it answers with an error (it tells nothing then). */
async function rowsAt(source: PageSource, url: string, shape: ResponseShape): Promise<[number, number]> {
  const response = await askAside(source, url);
  if (response === null) return [-1, 1];
  return [pageOf(response, shape, `the same request with fewer parameters (${source.redactor.redact(url)})`).records.length, response.attempts];
}

/**
 * A request beside the run's pages (the list without some of its parameters): an API may refuse it (one that
 * requires its since filter answers 400), which tells nothing and must not fail the run, so an HTTP error is null.
 */
async function askAside(source: PageSource, url: string): Promise<JsonResponse | null> {
  try {
    return await source.session.client.getJson(url);
  } catch (error) {
    if (error instanceof HttpError) return null;
    throw error;
  }
}

function notAFilter({ config, redactor }: PageSource, url: string, sent: string, rows: number): SyncError {
  const name = config.request.since_param as string;
  const field = config.cursor_field;
  return new SyncError(
    "since_filter",
    `page 1 (${redactor.redact(url)}): no rows with ${name}=${sent}, which every row passes, but ${rows} without it: '${name}' (request.since_param) does not filter by ${field} at or after a value on this API (json-server 1.x, for one, takes it as a field that must equal the value). Set request.since_param to the API's filter (json-server: '${field}_gte' or '${field}:gte'), or to null; or, if it does filter but not from year 1, set initial_cursor to a date it takes (such as 1970-01-01T00:00:00Z)`,
  );
}

function unknownParams({ config, redactor }: PageSource, url: string, bare: string, rows: number, requests: number): SyncError {
  const kept = new URL(bare).searchParams;
  const names = [...new URL(url).searchParams.keys()].filter((key) => !kept.has(key) && key !== config.request.since_param);
  const keyOf = (param: string) => Object.entries(config.request).find(([, value]) => value === param)?.[0];
  const listed = names.map((param) => (keyOf(param) ? `'${param}' (request.${keyOf(param)})` : `'${param}'`)).join(", ");
  return new SyncError(
    "unknown_params",
    `page 1 (${redactor.redact(url)}): no rows, but ${rows} with only the configured params (${requests} requests to tell): ${names.length === 1 ? "" : "one of "}${listed} empties the list, so this API does not take it as the sync does (json-server 1.x takes an unknown parameter as a field that must equal the value). Set the request names to the API's own (json-server 1.x: request.page_param '_page', request.per_page_param '_per_page')`,
  );
}

/** A page with no records where the configured shape finds them (a shape that finds none is check()'s to report). */
function emptyPage(response: JsonResponse, shape: ResponseShape): boolean {
  try {
    return pageOf(response, shape, "").records.length === 0;
  } catch {
    return false;
  }
}
