import { UsageError } from "../errors";
import { didYouMean } from "../suggest";
import { parseArgs } from "./args";
import { commandHelp } from "./command";
import { commands } from "./commands";
import type { Io } from "./io";
import { reportError } from "./report-error";
import { outcomeJson } from "./sync-outcome";
import { asksForVersion, versionOutput } from "./version";

export { reportError };

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
    "  -v, --version  print the version, commit and platform (--version --json: as JSON)",
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
      io.stdout(versionOutput(argv));
      return 0;
    }
    const command = commands.find((c) => c.name === first);
    if (!command) {
      const what = first.startsWith("-") ? "flag" : "command";
      const near =
        what === "command"
          ? didYouMean(
              first,
              commands.map((c) => c.name),
            )
          : "";
      throw new UsageError(`unknown ${what} '${first}'${near}: run 'connector --help' for the list`);
    }
    const parsed = parseArgs(rest, command.flags, command.name);
    if (parsed.help) {
      io.stdout(commandHelp(command));
      return 0;
    }
    return await command.run(parsed, io);
  } catch (error) {
    // A sync's own failures print their JSON outcome; this is for flags it could not even parse.
    if (argv[0] === "sync" && wantsJson(argv)) io.stdout(outcomeJson("failed", null, error));
    return reportError(error, io);
  }
}

function wantsJson(argv: readonly string[]): boolean {
  return argv.some((arg, i) => arg === "--log=json" || (arg === "--log" && argv[i + 1] === "json"));
}
