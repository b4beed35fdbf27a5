import { isAppError, UsageError } from "../errors";
import { didYouMean } from "../suggest";
import { parseArgs } from "./args";
import { commandHelp } from "./command";
import { commands } from "./commands";
import type { Io } from "./io";
import { asksForVersion, VERSION } from "./version";

function mainHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    "connector: sync any paginated HTTP JSON API into SQLite, exactly and resumably",
    "",
    "Usage: connector <command> [options]",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    "",
    "Options:",
    "  -h, --help     show this help (or 'connector <command> --help')",
    "  -v, --version  print the version",
    "",
  ].join("\n");
}

/** Runs one command line and returns the exit code. Errors become one line on stderr, never a stack trace. */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === undefined) {
      io.stderr(mainHelp());
      return 2;
    }
    if (first === "--help" || first === "-h" || first === "help") {
      io.stdout(mainHelp());
      return 0;
    }
    if (asksForVersion(argv)) {
      io.stdout(`${VERSION}\n`);
      return 0;
    }
    const command = commands.find((c) => c.name === first);
    if (!command) {
      const what = first.startsWith("-") ? "flag" : "command";
      const near = what === "command" ? didYouMean(first, commands.map((c) => c.name)) : "";
      throw new UsageError(`unknown ${what} '${first}'${near}: run 'connector --help' for the list`);
    }
    const parsed = parseArgs(rest, command.flags, command.name);
    if (parsed.help) {
      io.stdout(commandHelp(command));
      return 0;
    }
    return await command.run(parsed, io);
  } catch (error) {
    return reportError(error, io);
  }
}

/** A failure as one line on stderr, and its exit code; a stack trace only with CONNECTOR_DEBUG set. */
export function reportError(error: unknown, io: Io): number {
  if (isAppError(error)) {
    io.stderr(`connector: ${error.message}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr(`connector: internal error: ${message}\n`);
  if (io.env.CONNECTOR_DEBUG && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
  return 1;
}
