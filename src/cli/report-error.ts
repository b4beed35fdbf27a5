import { escapeControl } from "../connector/escape";
import { isAppError } from "../errors";
import { maskShapes } from "../secrets";
import type { Io } from "./io";

/**
 * A failure as one line on stderr, and its exit code; a stack trace only with CONNECTOR_DEBUG set. The message may
 * quote an API (an error body, a record id): it is escaped, never printed raw to a terminal.
 */
export function reportError(error: unknown, io: Io): number {
  if (isAppError(error)) {
    // The last line of defence: whatever the message names, user:password@ and credential parameters are masked.
    io.stderr(`connector: ${escapeControl(maskShapes(error.message))}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr(`connector: internal error: ${escapeControl(maskShapes(message))}\n`);
  if (io.env.CONNECTOR_DEBUG && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
  return 1;
}
