import { version } from "../../package.json" with { type: "json" };

// Stamped into the executable by scripts/compile.ts (`bun build --define`); not defined when run from source.
declare const CONNECTOR_COMMIT: string;
declare const CONNECTOR_TARGET: string;

export interface VersionInfo {
  name: "connector";
  version: string;
  /** Short git hash of the sources ("-dirty" if they had uncommitted changes), "unknown" if not known at build. */
  commit: string;
  /** The platform the executable was built for, as in the release file names (linux-x64, darwin-arm64, …). */
  target: string;
  /** The Bun runtime inside the executable. */
  bun: string;
}

export function versionInfo(): VersionInfo {
  return {
    name: "connector",
    version,
    commit: typeof CONNECTOR_COMMIT === "string" ? CONNECTOR_COMMIT : "unknown",
    target: typeof CONNECTOR_TARGET === "string" ? CONNECTOR_TARGET : `${process.platform === "win32" ? "windows" : process.platform}-${process.arch}`,
    bun: Bun.version,
  };
}

/** `--version` and `-v` as the first argument print the version, whatever follows. */
export function asksForVersion(argv: readonly string[]): boolean {
  return argv[0] === "--version" || argv[0] === "-v";
}

/** What `connector --version` prints: one line, or with `--json` anywhere after it one JSON object. */
export function versionOutput(argv: readonly string[]): string {
  const info = versionInfo();
  if (argv.includes("--json")) return `${JSON.stringify(info)}\n`;
  return `connector ${info.version} (${info.commit}, ${info.target}, bun ${info.bun})\n`;
}
