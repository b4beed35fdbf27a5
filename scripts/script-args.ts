// The scripts' flags: node:util's parseArgs, with `--help` (the script's opening comment, which says how to run
// it) and a bad flag named in one line with exit 2, never a stack trace.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";

/** Parses `Bun.argv` for the script at `path` (its `import.meta.path`); `--help` or `-h` prints its usage and exits 0. */
export function scriptArgs<T extends ParseArgsConfig>(path: string, config: T): ReturnType<typeof parseArgs<T>> {
  const args = config.args ?? Bun.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    console.log(usageOf(path));
    process.exit(0);
  }
  try {
    return parseArgs(config);
  } catch (error) {
    console.error(`${basename(path, ".ts")}: ${(error as Error).message}; run it with --help for its flags`);
    process.exit(2);
  }
}

/** The comment lines a script opens with, without their `//`. */
export function usageOf(path: string): string {
  const lines: string[] = [];
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (line.startsWith("#!")) continue;
    if (!line.startsWith("//")) break;
    lines.push(line.replace(/^\/\/ ?/, ""));
  }
  return lines.join("\n");
}
