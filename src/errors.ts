/**
 * One error base for everything that ends a run. The CLI entry maps `exitCode` to the process exit code and
 * prints `message`; a stack trace never reaches a user.
 */
export class AppError extends Error {
  readonly code: string;
  readonly exitCode: number;

  constructor(code: string, message: string, options: { cause?: unknown; exitCode?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = options.exitCode ?? 1;
  }
}

/** Bad flags or arguments: exit 2. */
export class UsageError extends AppError {
  constructor(message: string) {
    super("usage", message, { exitCode: 2 });
  }
}

/** Bad configuration file, flag value or environment: exit 2, before anything is written. */
export class ConfigError extends AppError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super("config", message, { ...options, exitCode: 2 });
  }
}

/** The sync itself failed (HTTP, response shape, loop guard, storage): exit 1. */
export class SyncError extends AppError {
  constructor(code: string, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { ...options, exitCode: 1 });
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** A one-line description of any thrown value, for messages that wrap a cause. */
export function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
