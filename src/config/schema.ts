import { isNumberText } from "../instants";
import * as v from "valibot";
import { STRATEGY_NAMES } from "./strategies";
import { COLUMN_TYPES, type ColumnType } from "../store/types";
import { parseDuration } from "./duration";
import { DEFAULT_RETRY } from "./retry-defaults";

// The valibot schema of configuration.json (SPEC §4). Every key is optional but base_url; defaults are the
// playground's names, so the seed connectors need nothing beyond base_url.

/** What `strategy` may be: auto (detect it from the first response) or one of the registry's strategies. */
export const STRATEGY_CHOICES = ["auto", ...STRATEGY_NAMES] as const;
export type Strategy = (typeof STRATEGY_CHOICES)[number];

export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const identifier = (what: string) =>
  v.pipe(
    v.string(`${what} must be a string`),
    v.regex(IDENTIFIER, `${what} must be a SQL identifier: a letter or _ then letters, digits or _ (at most 63)`),
    v.check((s) => !s.startsWith("_connector") && !s.toLowerCase().startsWith("sqlite_"), `${what} must not start with _connector or sqlite_`),
  );
const int = (what: string, min: number, max: number) =>
  v.pipe(
    v.number(`${what} must be a number`),
    v.integer(`${what} must be a whole number`),
    v.minValue(min, `${what} must be at least ${min}`),
    v.maxValue(max, `${what} must be at most ${max}`),
  );
const text = (what: string) => v.pipe(v.string(`${what} must be a string`), v.nonEmpty(`${what} must not be empty`));
const paramName = (what: string) => text(what);
const path = (what: string) => v.string(`${what} must be a dotted path string`);
const httpUrl = (what: string) =>
  v.pipe(
    v.string(`${what} must be a string`),
    v.check((s) => {
      try {
        const url = new URL(s);
        return (url.protocol === "http:" || url.protocol === "https:") && url.username === "" && url.password === "";
      } catch {
        return false;
      }
    }, `${what} must be an absolute http:// or https:// URL without user:password@`),
  );
const scalarMap = (what: string) =>
  v.record(v.string(), v.pipe(v.union([v.string(), v.number(), v.boolean()], `${what} values must be strings, numbers or booleans`), v.transform(String)));

/** ISO 8601 UTC timestamp as the playground uses it, or any value Date.parse accepts with a zone. */
const isTimestamp = (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s));

const timestamp = (what: string) => v.pipe(v.string(`${what} must be a string`), v.check(isTimestamp, `${what} must be a timestamp like 2024-01-31T23:59:59Z`));

const INITIAL_CURSOR_MESSAGE =
  "initial_cursor must be a timestamp like 2024-01-31T23:59:59Z, or a number where the cursor field is one (an id, a version, epoch seconds)";
const initialCursorMessage = (issue: { input: unknown }) =>
  typeof issue.input === "string" && isNumberText(issue.input) ? `${INITIAL_CURSOR_MESSAGE}: write the number without quotes` : INITIAL_CURSOR_MESSAGE;

/** `24h`, `90m`, `7d`, `3600s` (or a number of seconds), as whole seconds. */
const duration = (what: string) =>
  v.pipe(
    v.union([v.string(), v.number()], `${what} must be a duration such as 24h, 90m, 7d or 3600s`),
    v.check((value) => parseDuration(value) !== undefined, `${what} must be a duration such as 24h, 90m, 7d or 3600s (from 1s to 3650d)`),
    v.transform((value) => parseDuration(value) as number),
  );

export const RequestSchema = v.strictObject({
  limit_param: v.optional(paramName("request.limit_param"), "limit"),
  offset_param: v.optional(paramName("request.offset_param"), "offset"),
  page_param: v.optional(paramName("request.page_param"), "page"),
  per_page_param: v.optional(paramName("request.per_page_param"), "per_page"),
  since_param: v.optional(v.nullable(paramName("request.since_param")), "updated_since"),
  /** An exclusive upper bound (`cursor < value`), sent only by priority-first history windows. */
  until_param: v.optional(v.nullable(paramName("request.until_param")), null),
  token_param: v.optional(paramName("request.token_param"), "scroll_param"),
  first_page: v.optional(int("request.first_page", 0, 1), 1),
});
/** The request-side names, as paginators read them. */
export type RequestNames = v.InferOutput<typeof RequestSchema>;

export const ResponseSchema = v.strictObject({
  records: v.optional(path("response.records"), "data"),
  total: v.optional(path("response.total"), "total"),
  total_pages: v.optional(path("response.total_pages"), "total_pages"),
  next_url: v.optional(path("response.next_url"), "next_page_url"),
  next_token: v.optional(path("response.next_token"), "scroll_param"),
  total_header: v.optional(v.nullable(text("response.total_header")), null),
});
/** Where a page keeps its records, totals and next link or token. */
export type ResponseShape = v.InferOutput<typeof ResponseSchema>;

export const RetrySchema = v.strictObject({
  max_attempts: v.optional(int("retry.max_attempts", 1, 10_000), DEFAULT_RETRY.maxAttempts),
  max_elapsed_seconds: v.optional(int("retry.max_elapsed_seconds", 1, 86_400), DEFAULT_RETRY.maxElapsedMs / 1000),
  timeout_seconds: v.optional(int("retry.timeout_seconds", 1, 3_600), DEFAULT_RETRY.timeoutMs / 1000),
  base_delay_ms: v.optional(int("retry.base_delay_ms", 1, 60_000), DEFAULT_RETRY.baseDelayMs),
  max_delay_ms: v.optional(int("retry.max_delay_ms", 1, 600_000), DEFAULT_RETRY.maxDelayMs),
});

// The column types are the store contract's (store/types.ts): one list, which each store maps to its own SQL.
export { COLUMN_TYPES, type ColumnType };

const secret = (what: string) => v.pipe(v.string(`${what} must be a string`), v.nonEmpty(`${what} must not be empty`));

export const AuthSchema = v.variant(
  "type",
  [
    v.strictObject({ type: v.literal("bearer"), token: secret("auth.token") }),
    v.strictObject({ type: v.literal("basic"), username: v.string("auth.username must be a string"), password: v.string("auth.password must be a string") }),
    v.strictObject({
      type: v.literal("api_key"),
      key: secret("auth.key"),
      header: v.optional(text("auth.header"), "Authorization"),
      prefix: v.optional(v.string("auth.prefix must be a string"), "apiKey"),
      query_param: v.optional(v.nullable(text("auth.query_param")), null),
    }),
    v.strictObject({
      type: v.literal("session_token"),
      login_url: httpUrl("auth.login_url"),
      username: v.string("auth.username must be a string"),
      password: v.string("auth.password must be a string"),
      token_field: v.optional(path("auth.token_field"), "token"),
      header: v.optional(text("auth.header"), "Authorization"),
      prefix: v.optional(v.string("auth.prefix must be a string"), "Token"),
    }),
  ],
  'auth.type must be one of "bearer", "basic", "api_key", "session_token"',
);
export type AuthConfig = v.InferOutput<typeof AuthSchema>;

export const LimitsSchema = v.strictObject({
  max_response_bytes: v.optional(int("limits.max_response_bytes", 1024, 1024 * 1024 * 1024), 64 * 1024 * 1024),
  max_record_bytes: v.optional(int("limits.max_record_bytes", 64, 256 * 1024 * 1024), 16 * 1024 * 1024),
});

export const ConfigSchema = v.strictObject({
  base_url: httpUrl("base_url"),
  strategy: v.optional(v.picklist(STRATEGY_CHOICES, `strategy must be one of ${STRATEGY_CHOICES.join(", ")}`), "auto"),
  page_size: v.optional(int("page_size", 1, 10_000), 50),
  table: v.optional(identifier("table"), "user"),
  primary_key: v.optional(
    v.pipe(v.array(identifier("primary_key[]"), "primary_key must be a list of column names"), v.minLength(1, "primary_key must name at least one column")),
    ["id"],
  ),
  cursor_field: v.optional(identifier("cursor_field"), "updatedAt"),
  /** Declared column types (Fivetran's names); undeclared fields keep the type of their first value. */
  columns: v.optional(
    v.record(
      v.pipe(
        v.string(),
        v.nonEmpty("columns keys must not be empty"),
        v.maxLength(63, "columns keys must be at most 63 characters"),
        v.check(
          (s) => !s.startsWith("_connector") && s !== "_synced_at" && s !== "_deleted",
          "columns must not use the connector's own column names (_synced_at, _deleted, _connector*)",
        ),
      ),
      v.picklist(COLUMN_TYPES, `columns values must be one of ${COLUMN_TYPES.join(", ")}`),
    ),
    {},
  ),
  /** Where rows and state go: an SQLite file, or a postgres:// URL (often "${DATABASE_URL}"); --db wins over it. */
  db: v.optional(
    v.nullable(v.pipe(v.string("db must be a string: a file path or a postgres:// URL"), v.nonEmpty("db must not be empty: a file path or a postgres:// URL"))),
    null,
  ),
  /** PostgreSQL only: the schema of the synced tables and of the connector's own (null: the URL's ?schema=, else public). */
  schema: v.optional(
    v.nullable(v.pipe(v.string("schema must be a string"), v.nonEmpty("schema must not be empty"), v.maxLength(63, "schema must be at most 63 characters"))),
    null,
  ),
  /** A timestamp, or a number for an API whose cursor is one (an id, a version, epoch seconds). */
  initial_cursor: v.optional(
    v.pipe(
      v.union([v.string(), v.number()], INITIAL_CURSOR_MESSAGE),
      v.check((value) => (typeof value === "number" ? Number.isFinite(value) : isTimestamp(value)), initialCursorMessage),
    ),
    "0001-01-01T00:00:00Z",
  ),
  lookback_seconds: v.optional(int("lookback_seconds", 0, 31_536_000), 0),
  max_pages: v.optional(v.nullable(int("max_pages", 1, 100_000_000)), null),
  /**
   * A checkpoint (rows and state in one commit) once this many rows are written, or once its oldest page is
   * checkpoint_seconds old; 1 / 0 commit every page. A kill loses only the pages since the last checkpoint (they
   * are read again). 50,000 rows by measurement: store alone at 1M rows, 10k 80k rows/s, 20k 101k, 50k 125k.
   */
  checkpoint_rows: v.optional(int("checkpoint_rows", 1, 1_000_000), 50_000),
  checkpoint_seconds: v.optional(
    v.pipe(
      v.number("checkpoint_seconds must be a number"),
      v.minValue(0, "checkpoint_seconds must be at least 0"),
      v.maxValue(3_600, "checkpoint_seconds must be at most 3600"),
    ),
    1,
  ),
  /** Priority-first sync (SPEC §4): the newest `window` first, then history backwards within `max_duration`. */
  priority_first: v.optional(v.boolean("priority_first must be true or false"), false),
  window: v.optional(duration("window"), "24h"),
  max_duration: v.optional(duration("max_duration"), "30m"),
  /** How far back history goes (inclusive); null: back to the oldest row. */
  history_limit: v.optional(v.nullable(timestamp("history_limit")), null),
  /** A run whose pages end before the API's reported total fails (false: a warning). */
  strict_totals: v.optional(v.boolean("strict_totals must be true or false"), true),
  params: v.optional(scalarMap("params"), { order_by: "updatedAt", order_type: "asc" }),
  headers: v.optional(v.record(v.string(), v.string("headers values must be strings")), {}),
  auth: v.optional(v.nullable(AuthSchema), null),
  /** Other origins a next link may lead to (e.g. a CDN for page 2+). They never get credentials or custom headers unless... */
  allow_origins: v.optional(
    v.array(
      v.pipe(
        v.string("allow_origins entries must be strings"),
        v.check((s) => {
          try {
            const url = new URL(s);
            return (url.protocol === "http:" || url.protocol === "https:") && url.origin === s.replace(/\/$/, "");
          } catch {
            return false;
          }
        }, "allow_origins entries must be origins like https://cdn.example.com (scheme, host, optional port; no path)"),
        v.transform((s) => s.replace(/\/$/, "")),
      ),
    ),
    [],
  ),
  /** ...this is true: then the allowed origins also receive auth and headers. */
  send_credentials_to_allowed_origins: v.optional(v.boolean("send_credentials_to_allowed_origins must be true or false"), false),
  /** With an https base_url, credentials go to an http:// allowed origin (in clear text) only when this is true too. */
  send_credentials_over_http: v.optional(v.boolean("send_credentials_over_http must be true or false"), false),
  request: v.optional(RequestSchema, {}),
  response: v.optional(ResponseSchema, {}),
  retry: v.optional(RetrySchema, {}),
  limits: v.optional(LimitsSchema, {}),
});

export type SyncConfig = v.InferOutput<typeof ConfigSchema>;
