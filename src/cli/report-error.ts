import { escapeControl } from "../connector/escape";
import { EXIT_CODES, isAppError } from "../errors";
import { maskShapes } from "../secrets";
import type { Io } from "./io";

/**
 * A failure on stderr, and its exit code; a stack trace only with CONNECTOR_DEBUG set. The message may quote an API
 * (an error body, a record id): it is escaped, never printed raw to a terminal. A message's own line breaks (a
 * list of ways out) are kept, each further line indented, so no text in it can pass for a line of its own.
 */
export function reportError(error: unknown, io: Io): number {
  if (isAppError(error)) {
    // The last line of defence: whatever the message names, user:password@ and credential parameters are masked.
    io.stderr(`connector: ${printable(error.message)}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr(`connector: internal error: ${printable(message)}\n`);
  if (io.env.CONNECTOR_DEBUG && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
  return EXIT_CODES.internal;
}

function printable(message: string): string {
  return message
    .split("\n")
    .map((line) => escapeControl(maskShapes(line)))
    .join("\n  ");
}
