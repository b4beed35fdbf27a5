// Every error class of the connector, and every error code with the exit code it ends the process with: one table
// the compiler checks each `code` against and the CLI reads exit codes from (STYLE.md habit 7).

/** 2: the command line, the configuration or the --db path must change; 1: the run failed; 130: a signal stopped it. */
export const EXIT_CODES = {
  // The command line and the configuration.
  usage: 2,
  config: 2,
  strategy_misfit: 2,
  exclusive_since: 2,
  since_ignored: 2,
  since_filter: 2,
  unknown_params: 2,
  key_not_unique: 2,
  key_precision: 2,
  page_numbering: 2,
  child_path: 2,
  not_implemented: 1,
  // Output files and the mock's port.
  write: 1,
  listen: 1,
  // The HTTP source.
  http: 1,
  http_status: 1,
  http_retries: 1,
  login: 1,
  origin: 1,
  aborted: 130,
  // Pages and records.
  bad_page: 1,
  bad_record: 1,
  bad_cursor: 1,
  bad_order: 1,
  bad_state: 1,
  detect: 1,
  no_next_link: 1,
  repeated_page: 1,
  loop: 1,
  max_pages: 1,
  totals: 1,
  unstable: 1,
  probe: 1,
  probe_config: 1,
  // The destination.
  db_path: 2,
  db_missing: 1,
  db_foreign: 2,
  db_unsupported: 2,
  db_url: 2,
  db_open: 1,
  db_busy: 1,
  db_locked: 1,
  db_connect: 1,
  db_auth: 1,
  db_permission: 1,
  db_connection_lost: 1,
  db_error: 1,
  db_full: 1,
  db_io: 1,
  db_corrupt: 2,
  db_schema: 2,
  too_many_columns: 1,
  // Anything not thrown as an AppError (a bug): reported as internal, exit 1.
  internal: 1,
} as const satisfies Record<string, 1 | 2 | 130>;

export type ErrorCode = keyof typeof EXIT_CODES;

/**
 * One error base for everything that ends a run. The CLI entry prints `message` and exits with `exitCode`, which
 * the code decides (EXIT_CODES); a stack trace never reaches a user.
 */
export class AppError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  readonly exitCode: (typeof EXIT_CODES)[C];

  /** `exitCode`, when given, must be the code's own (the compiler checks it): code written before the table compiles. */
  constructor(code: C, message: string, options: { cause?: unknown; exitCode?: (typeof EXIT_CODES)[C] } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = EXIT_CODES[code];
  }
}

/** Bad flags or arguments: exit 2. */
export class UsageError extends AppError<"usage"> {
  constructor(message: string) {
    super("usage", message);
  }
}

/** Bad configuration file, flag value or environment: exit 2, before anything is written. */
export class ConfigError extends AppError<"config"> {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super("config", message, options);
  }
}

/** The sync itself failed (HTTP, response shape, loop guard, storage). */
export class SyncError extends AppError {
  constructor(code: ErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
  }
}

/** A request that failed for good (not retryable, or out of retries), with the HTTP status when there was one. */
export class HttpError extends SyncError {
  readonly status: number | undefined;
  constructor(code: "http" | "http_status" | "http_retries", message: string, status?: number, cause?: unknown) {
    super(code, message, { cause });
    this.status = status;
  }
}

/** A signal stopped the run at a safe point. */
export class AbortedError extends AppError<"aborted"> {
  constructor() {
    super("aborted", "stopped by a signal; the last committed page is kept");
  }
}

/** The destination failed (open, lock, write). */
export class StoreError extends AppError {
  constructor(code: ErrorCode, message: string, cause?: unknown) {
    super(code, message, { cause });
  }
}

// Errors that never reach a user: each is caught where it is thrown and becomes an AppError with its own wording.

/** A value nested too deeply to write as JSON text (the caller names the record and field). */
export class NestingError extends Error {
  constructor() {
    super("a value is nested too deeply to store as JSON text");
  }
}

/** A response body over the byte limit, while it is being read. */
export class ResponseTooLarge extends Error {}

/** The reason main.ts aborts `Io.signal` with: which signal stopped the command. */
export class SignalReceived extends Error {
  constructor(readonly signalName: "SIGINT" | "SIGTERM") {
    super(`received ${signalName}`);
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** A one-line description of any thrown value, for messages that wrap a cause. */
/** An error's `code` (Node's and Bun's system errors, bun:sqlite's SQLITE_*) as text; "" when it has none. */
export function codeOf(error: unknown): string {
  return String((error as { code?: unknown } | null)?.code ?? "");
}

export function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
