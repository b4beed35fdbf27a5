import pkg from "../../package.json" with { type: "json" };

export const VERSION: string = pkg.version;

/** `--version` and `-v` as the first argument print the version, whatever follows. */
export function asksForVersion(argv: readonly string[]): boolean {
  return argv[0] === "--version" || argv[0] === "-v";
}
