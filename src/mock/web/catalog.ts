import type { AuthKind, Settings } from "../options";
import { COUNT_PARAM, ORDER_PARAMS, PAGE_PARAM, pageSize, type ParamSpec } from "../query";
import { apiSpecs } from "../routes/api";
import { KEYSET_PAGE_SIZE } from "../routes/keyset";
import { DATASET_PARAMS } from "../routes/oracle";

export type EndpointKind = "Pagination" | "Resources" | "Auth" | "Export" | "Oracle" | "About";
export type Body = "page" | "array" | "keyset" | "companies" | "orders" | "user_orders" | "login" | "csv" | "ndjson" | "json" | "html" | "openapi";

/** One endpoint as the page and /openapi.json describe it; test/mock/web.test.ts checks it against the routes. */
export interface Endpoint {
  kind: EndpointKind;
  method: "GET" | "POST";
  path: string;
  summary: string;
  params: Record<string, ParamSpec>;
  /** The credential it demands (always, or with --require-auth for pagination). */
  auth?: AuthKind;
  body: Body;
  /** The query of the page's "try it" link (GET only; none for a path with a {placeholder}). */
  tryQuery?: string;
}

const AUTH_SUMMARY: Record<AuthKind, string> = {
  basic: "HTTP Basic (user and password)",
  bearer: "Authorization: Bearer <token>",
  api_key: "Authorization: apiKey <token>",
  session_token: "Authorization: Token <session token from the login>",
};

/** The endpoints no setting changes: the export, the oracle and this page. */
const STATIC_ENDPOINTS: Endpoint[] = [
  { kind: "Export", method: "GET", path: "/export/csv", summary: "every user as CSV, streamed", params: {}, body: "csv", tryQuery: "" },
  {
    kind: "Oracle",
    method: "GET",
    path: "/_mock/dataset",
    summary: "the whole dataset as NDJSON sorted by id (for checking a sync): users, companies or orders",
    params: DATASET_PARAMS,
    body: "ndjson",
    tryQuery: "",
  },
  { kind: "Oracle", method: "GET", path: "/_mock/stats", summary: "faults served, Retry-After sent and honoured", params: {}, body: "json", tryQuery: "" },
  { kind: "Oracle", method: "GET", path: "/_mock/mutations", summary: "the live-change rate", params: {}, body: "json", tryQuery: "" },
  { kind: "Oracle", method: "POST", path: "/_mock/mutations", summary: 'POST {"per_sec": N}: sets the live-change rate', params: {}, body: "json" },
  {
    kind: "Oracle",
    method: "GET",
    path: "/_mock/requests",
    summary: "the recent request log (this page polls it)",
    params: { after: COUNT_PARAM },
    body: "json",
    tryQuery: "",
  },
  { kind: "About", method: "GET", path: "/", summary: "this page", params: {}, body: "html" },
  { kind: "About", method: "GET", path: "/openapi.json", summary: "OpenAPI 3.1 description of every endpoint", params: {}, body: "openapi", tryQuery: "" },
];

/** Every endpoint the mock serves, with the parameter specs its route validates with. */
export function catalog(settings: Settings): Endpoint[] {
  const max = settings.maxPageSize;
  const paged = { page: PAGE_PARAM, per_page: pageSize(max), ...ORDER_PARAMS };
  const offset = { limit: pageSize(max), offset: COUNT_PARAM, ...ORDER_PARAMS };
  const keyset: Record<string, ParamSpec> = { scroll_param: { kind: "text" }, ...ORDER_PARAMS };
  if (max > KEYSET_PAGE_SIZE) keyset.limit = { kind: "int", min: 1, max, default: KEYSET_PAGE_SIZE };
  const guard = settings.requireAuth;
  const page = (path: string, summary: string, params: Record<string, ParamSpec>, body: Body, tryQuery: string): Endpoint => ({
    kind: "Pagination",
    method: "GET",
    path,
    summary,
    params,
    body,
    tryQuery,
    ...(guard ? { auth: guard } : {}),
  });
  const api = apiSpecs(max);
  const resource = (path: string, summary: string, params: Record<string, ParamSpec>, body: Body, tryQuery?: string): Endpoint => ({
    kind: "Resources",
    method: "GET",
    path,
    summary,
    params,
    body,
    ...(tryQuery === undefined ? {} : { tryQuery }),
    ...(guard ? { auth: guard } : {}),
  });
  const auth = (path: string, kind: AuthKind): Endpoint => ({
    kind: "Auth",
    method: "GET",
    path,
    summary: `A page of users like /pagination/offset; needs ${AUTH_SUMMARY[kind]}`,
    params: offset,
    auth: kind,
    body: "page",
    tryQuery: "limit=3",
  });
  return [
    page("/pagination/offset", "limit/offset paging; total counts the filtered users", offset, "page", "limit=5&offset=10"),
    page("/pagination/page_number", "page/per_page paging with total_pages and total_items", paged, "page", "page=2&per_page=5"),
    page("/pagination/keyset", "scroll token paging: send scroll_param back (null on the last page)", keyset, "keyset", "order_by=createdAt"),
    page("/pagination/next_page_url", "follow next_page_url (absolute, null on the last page)", paged, "page", "per_page=5"),
    page("/pagination/link_header", 'GitHub style: a top-level array, Link rel="next"/"last", X-Total-Count', paged, "array", "per_page=5&page=2"),
    resource(
      "/api/companies",
      "companies (1 per 10 users), limit/offset paging in (updatedAt, id) order; total counts the filtered ones",
      api.companies,
      "companies",
      "limit=5",
    ),
    resource("/api/orders", "orders (0-5 per user, items nested), page/per_page paging in (updatedAt, id) order", api.orders, "orders", "per_page=5"),
    resource(
      "/api/users/{id}/orders",
      "one user's orders: follow next_page_url (absolute, null on the last page); 404 for an unknown user",
      api.userOrders,
      "user_orders",
    ),
    auth("/auth/http_basic", "basic"),
    auth("/auth/http_bearer", "bearer"),
    auth("/auth/api_key", "api_key"),
    { kind: "Auth", method: "POST", path: "/auth/session_token/login", summary: 'POST {"username", "password"}: a session token', params: {}, body: "login" },
    auth("/auth/session_token/data", "session_token"),
    ...STATIC_ENDPOINTS,
  ];
}
