import type { SyncSummary } from "../connector/driver";
import { safeJson } from "../connector/escape";
import { emptySummary } from "../connector/summary";
import { EXIT_CODES, isAppError, type ErrorCode } from "../errors";
import { maskShapes } from "../secrets";
import { receivedSignal, SIGNAL_EXIT_CODES, type Io } from "./io";
import { reportError } from "./report-error";

const number = new Intl.NumberFormat("en-US");

export type Status = "ok" | "failed" | "interrupted";

/** What a run ended as: a signal's abort is an interruption, anything else thrown a failure. */
export function statusOf(error: unknown): Exclude<Status, "ok"> {
  return isAppError(error) && error.code === "aborted" ? "interrupted" : "failed";
}

export function errorOf(error: unknown): { code: ErrorCode; message: string } {
  if (isAppError(error)) return { code: error.code, message: maskShapes(error.message) };
  return { code: "internal", message: maskShapes(error instanceof Error ? error.message : String(error)) };
}

/** The counts of a run that ended early: as of its last committed page (a failure commits every page written). */
function countsOf(summary: SyncSummary) {
  const { strategy, requests, retries, pages, rows, inserted, updated, unchanged, stale, deleted, checkpoints, seconds, rowsPerSecond, cursor, expected } =
    summary;
  return { strategy, requests, retries, pages, rows, inserted, updated, unchanged, stale, deleted, checkpoints, seconds, rowsPerSecond, cursor, expected };
}

/** `--log json`: the one JSON object on stdout that ends every run, success or not. */
export function outcomeJson(status: Status, summary: SyncSummary | null, error?: unknown, io?: Io): string {
  if (status === "ok" && summary) return `${safeJson({ status, ...summary })}\n`;
  const signal = io ? receivedSignal(io) : null;
  const body = { status, ...(status === "failed" ? { error: errorOf(error) } : { signal: signal ?? "SIGINT" }), ...countsOf(summary ?? emptySummary()) };
  return `${safeJson(body)}\n`;
}

/** The exit code of a run that threw: 130 SIGINT, 143 SIGTERM, otherwise the error's own (1 failed, 2 usage). */
export function exitCodeOf(error: unknown, io: Io): number {
  if (statusOf(error) === "interrupted") return SIGNAL_EXIT_CODES[receivedSignal(io) ?? "SIGINT"];
  return isAppError(error) ? error.exitCode : EXIT_CODES.internal;
}

/**
 * Reports a run that threw and returns its exit code: one JSON object on stdout with --log json (and the error as a
 * JSON log line on stderr, --quiet or not, as the text message is), else a message on stderr. An interrupted run says what is committed and how to resume.
 */
export function reportFailure(error: unknown, latest: SyncSummary | null, io: Io, json: boolean, write: (text: string) => void): number {
  const status = statusOf(error);
  const code = exitCodeOf(error, io);
  if (json) {
    // The error line goes through `write` too (it is redacted there), like the text message.
    const line = safeJson({
      time: new Date().toISOString(),
      level: "error",
      message: status === "interrupted" ? interruptedMessage(latest, io) : errorOf(error).message,
      code: errorOf(error).code,
    });
    write(`${line}\n`);
    io.stdout(outcomeJson(status, latest, error, io));
    return code;
  }
  if (status === "interrupted") {
    write(`connector: ${interruptedMessage(latest, io)}\n`);
    return code;
  }
  reportError(error, { ...io, stderr: write });
  return code;
}

function interruptedMessage(latest: SyncSummary | null, io: Io): string {
  const rows = latest?.rows ?? 0;
  const pages = latest?.pages ?? 0;
  const committed = rows === 0 && pages === 0 ? "nothing new was committed" : `${number.format(rows)} rows (${number.format(pages)} pages) committed`;
  return `stopped by ${receivedSignal(io) ?? "a signal"}: ${committed}; run the same command again to resume from the last checkpoint`;
}
