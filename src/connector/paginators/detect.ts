import { SyncError } from "../../errors";
import { nextLink } from "../link-header";
import { getPath, hasPath, type ResponseShape } from "../page";
import type { PaginatedStrategy } from "./types";

/** What auto-detection decided, and what it changes of the configured names. */
export interface Detection {
  strategy: PaginatedStrategy;
  reason: string;
  response: Partial<ResponseShape>;
  /** The query parameter that carries a detected token back, when it is not the configured one. */
  tokenParam?: string;
}

const RECORD_FIELDS = ["data", "items", "results", "records", "entries", "values", "rows", "objects", "list", "users", "hits", "elements", "value"];
/** Token fields in the wild, with the parameter that sends each back. */
const TOKEN_FIELDS: [string, string][] = [
  ["nextPageToken", "pageToken"],
  ["next_page_token", "page_token"],
  ["next_cursor", "cursor"],
  ["nextCursor", "cursor"],
  ["cursor.next", "cursor"],
  ["meta.next_cursor", "cursor"],
  ["pagination.next_cursor", "cursor"],
  ["response_metadata.next_cursor", "cursor"],
  ["paging.cursors.after", "after"],
  ["meta.next_token", "pagination_token"],
  ["scroll_id", "scroll_id"],
];
const URL_FIELDS = [
  "next",
  "next_url",
  "nextUrl",
  "next_page_url",
  "nextPageUrl",
  "links.next",
  "_links.next.href",
  "paging.next",
  "meta.next",
  "pagination.next",
  "@odata.nextLink",
];
const TOTAL_PAGES_FIELDS = [
  "totalPages",
  "total_pages",
  "pageCount",
  "page_count",
  "meta.total_pages",
  "meta.totalPages",
  "pagination.total_pages",
  "pagination.totalPages",
];
/** Query parameters that name a page number, in the wild. */
export const PAGE_PARAMS = ["page", "pageIndex", "page_index", "pageNumber", "page_number"];
const TOTAL_FIELDS = [
  "total",
  "total_items",
  "totalItems",
  "total_count",
  "totalCount",
  "totalElements",
  "total_elements",
  "count",
  "meta.total",
  "pagination.total",
];
const TOTAL_HEADERS = ["x-total-count", "x-total", "total-count"];

/** The first total-like number in a body, for APIs whose total is not where the configuration says. */
export function findTotalField(body: unknown): string | undefined {
  return TOTAL_FIELDS.find((f) => typeof getPath(body, f) === "number");
}

const isObjectArray = (value: unknown) => Array.isArray(value) && value.every((item) => typeof item === "object" && item !== null && !Array.isArray(item));
const present = (body: unknown, path: string) => path !== "" && hasPath(body, path);

function findRecords(body: unknown, configured: string): string | null {
  if (isObjectArray(getPath(body, configured))) return configured;
  if (isObjectArray(body)) return "";
  if (typeof body !== "object" || body === null) return null;
  const keys = Object.keys(body);
  const named = RECORD_FIELDS.find((k) => keys.includes(k) && isObjectArray((body as Record<string, unknown>)[k]));
  return named ?? keys.find((k) => isObjectArray((body as Record<string, unknown>)[k])) ?? null;
}

function looksLikeUrl(value: unknown): boolean {
  return typeof value === "string" && (/^https?:\/\//i.test(value) || value.startsWith("/") || value.startsWith("?"));
}

/** What detection found: the style, or why it could not tell (with where the records and totals are, if found). */
export type DetectResult = { ok: true; detection: Detection } | { ok: false; problem: string; records: string | null; response: Partial<ResponseShape> };

/** detectStyle for the sync driver: a response it cannot read ends the run. */
export function detectStrategy(body: unknown, headers: Headers, url: string, shape: ResponseShape, where: string): Detection {
  const result = detectStyle(body, headers, url, shape);
  if (!result.ok) throw new SyncError("detect", `${where}: ${result.problem}`);
  return result.detection;
}

/**
 * Detects the paging style from the first response: the configured names first (the playground's by default),
 * then a Link header, then the field names real APIs use. Says what it chose and why.
 */
export function detectStyle(body: unknown, headers: Headers, url: string, shape: ResponseShape): DetectResult {
  const records = findRecords(body, shape.records);
  if (records === null) {
    const keys = typeof body === "object" && body !== null ? Object.keys(body).join(", ") : typeof body;
    return { ok: false, problem: `cannot find the records in the response (it has ${keys || "nothing"}); set response.records`, records: null, response: {} };
  }
  const response: Partial<ResponseShape> = {};
  let where_ = records === "" ? "a top-level array" : `'${records}'`;
  if (records !== shape.records) response.records = records;
  const total = present(body, shape.total) ? shape.total : findTotalField(body);
  if (total && total !== shape.total) response.total = total;
  const totalHeader = shape.total_header ?? TOTAL_HEADERS.find((h) => headers.has(h));
  if (totalHeader && totalHeader !== shape.total_header) response.total_header = totalHeader;
  where_ = `records in ${where_}`;
  const done = (strategy: PaginatedStrategy, why: string, extra: Partial<Detection> = {}): DetectResult => ({
    ok: true,
    detection: {
      strategy,
      reason: `${why}; ${where_}`,
      response: { ...response, ...extra.response },
      ...(extra.tokenParam ? { tokenParam: extra.tokenParam } : {}),
    },
  });

  if (present(body, shape.next_token)) return done("keyset", `the response has '${shape.next_token}' (a scroll token)`);
  if (present(body, shape.next_url)) return done("next_page_url", `the response has '${shape.next_url}' (a next-page URL)`);
  const link = headers.get("link");
  if (link !== null && (nextLink(link, url) !== null || /rel="?(last|prev|first)/i.test(link))) return done("link_header", "the response has a Link header");
  if (present(body, shape.total_pages)) return done("page_number", `the response has '${shape.total_pages}' (page numbers)`);
  if (present(body, "offset") || (present(body, "limit") && total)) return done("offset", `the response has 'offset'/'limit' (offsets)`);
  for (const [field, param] of TOKEN_FIELDS) {
    if (present(body, field) && !looksLikeUrl(getPath(body, field)))
      return done("keyset", `the response has '${field}' (a cursor token, sent back as '${param}')`, { response: { next_token: field }, tokenParam: param });
  }
  for (const field of URL_FIELDS) {
    const value = getPath(body, field);
    if (present(body, field) && (value === null || looksLikeUrl(value)))
      return done("next_page_url", `the response has '${field}' (a next-page URL)`, { response: { next_url: field } });
  }
  // Page counts come last (a next URL or token needs no parameter names), and only for a URL that itself names its
  // page: the count alone does not say what the page parameter is called.
  const pageParam = PAGE_PARAMS.find((name) => new URL(url).searchParams.has(name));
  const pages = TOTAL_PAGES_FIELDS.find((f) => f !== shape.total_pages && typeof getPath(body, f) === "number");
  if (pages && pageParam)
    return done("page_number", `the URL has '${pageParam}' and the response has '${pages}' (page numbers)`, { response: { total_pages: pages } });
  const keys = typeof body === "object" && body !== null && !Array.isArray(body) ? Object.keys(body).join(", ") : "a top-level array";
  const problem = `cannot tell the pagination style from the response (it has ${keys}${totalHeader ? ` and a ${totalHeader} header` : ""}); set "strategy" and the request names in the configuration`;
  return { ok: false, problem, records, response };
}
