/** The endpoint table printed at start, in the playground's style (style, method, URL). */
export const ENDPOINTS: readonly (readonly [style: string, method: "GET" | "POST", path: string])[] = [
  ["Offset Pagination", "GET", "/pagination/offset"],
  ["Page Number Pagination", "GET", "/pagination/page_number"],
  ["Keyset Pagination", "GET", "/pagination/keyset"],
  ["Next Page URL Pagination", "GET", "/pagination/next_page_url"],
  ["Link Header Pagination", "GET", "/pagination/link_header"],
  ["Companies (offset)", "GET", "/api/companies"],
  ["Orders (page number)", "GET", "/api/orders"],
  ["A User's Orders (next URL)", "GET", "/api/users/{id}/orders"],
  ["HTTP Basic Auth", "GET", "/auth/http_basic"],
  ["HTTP Bearer Auth", "GET", "/auth/http_bearer"],
  ["API Key Auth", "GET", "/auth/api_key"],
  ["Session Token Login", "POST", "/auth/session_token/login"],
  ["Session Token Data", "GET", "/auth/session_token/data"],
  ["CSV Export", "GET", "/export/csv"],
  ["Oracle: Dataset (NDJSON)", "GET", "/_mock/dataset"],
  ["Oracle: Companies (NDJSON)", "GET", "/_mock/dataset?resource=companies"],
  ["Oracle: Orders (NDJSON)", "GET", "/_mock/dataset?resource=orders"],
  ["Oracle: Live-Change Rate", "POST", "/_mock/mutations"],
  ["Oracle: Fault & Retry Stats", "GET", "/_mock/stats"],
  ["Oracle: Recent Requests", "GET", "/_mock/requests"],
  ["Web Page (open in a browser)", "GET", "/"],
  ["OpenAPI 3.1 Description", "GET", "/openapi.json"],
];

export interface BannerInfo {
  url: string;
  seed: number;
  records: number;
  anchor: string;
  credentials: { user: string; password: string; token: string };
  sessionTtlSeconds: number;
  notes: readonly string[];
}

/** Everything after the first line (`Mock API listening on <url>`, which scripts parse). */
export function banner(info: BannerInfo): string {
  const rule = "-".repeat(100);
  const row = (style: string, method: string, url: string) => `${style.padEnd(30)} | ${method.padEnd(6)} | ${url}`;
  const { user, password, token } = info.credentials;
  return [
    rule,
    row("Style", "Method", "URL"),
    rule,
    ...ENDPOINTS.map(([style, method, path]) => row(style, method, `${info.url}${path}`)),
    rule,
    `Seed: ${info.seed}   Records: ${info.records}   Newest timestamp (anchor): ${info.anchor}`,
    "Credentials (random per start unless given with --auth-user, --auth-password, --auth-token):",
    `  user:     ${user}`,
    `  password: ${password}`,
    `  token:    ${token}   (Authorization: Bearer <token> or Authorization: apiKey <token>)`,
    `  session:  POST /auth/session_token/login {"username", "password"} -> Authorization: Token <token>, valid ${info.sessionTtlSeconds} s`,
    ...info.notes,
    rule,
    "Requests are logged to stderr (--quiet silences them). Press Ctrl+C to stop.",
    "",
  ].join("\n");
}
