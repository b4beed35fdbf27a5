// One `bun build --compile` of src/cli/main.ts, shared by build.ts (the host binary), release.ts (every target)
// and build-options.ts (the size and start-up table in the README).
import { resolve } from "node:path";

export const ROOT = resolve(import.meta.dir, "..");

/** Our target names (the release file suffixes) and Bun's. */
export const TARGETS = {
  "linux-x64": "bun-linux-x64",
  "linux-arm64": "bun-linux-arm64",
  "darwin-x64": "bun-darwin-x64",
  "darwin-arm64": "bun-darwin-arm64",
  "windows-x64": "bun-windows-x64",
} as const;
export type Target = keyof typeof TARGETS;

export function isTarget(name: string): name is Target {
  return Object.hasOwn(TARGETS, name);
}

/** The target this machine runs, in our names (what `connector --version` says when run from source). */
export function hostTarget(): string {
  return `${process.platform === "win32" ? "windows" : process.platform}-${process.arch}`;
}

export function releaseName(target: Target): string {
  return `connector-${target}${target.startsWith("windows") ? ".exe" : ""}`;
}

export interface BuildOptions {
  minify: boolean;
  sourcemap: "none" | "external" | "inline";
  bytecode: boolean;
  /** Read bunfig.toml and .env from the working directory at start-up (Bun's default for executables). */
  autoload: boolean;
}

/**
 * What releases and `npm run build` use, chosen with `bun scripts/build-options.ts` (the table is in the README):
 * minified (smallest; no source map: a stack trace is shown only with CONNECTOR_DEBUG), and no bunfig.toml/.env
 * autoload, or a bunfig.toml `preload` in the directory a user runs connector from would run its code inside
 * connector. No bytecode: it makes `--version` 22 -> 9 ms on linux-x64 for 2.8 MB more, but Bun 1.4.5 writes the
 * building machine's bytecode into cross-compiled executables without a word (oven-sh/bun#24144: they can crash
 * on the target), and four of our five targets are cross-compiled.
 */
export const RELEASE_OPTIONS: BuildOptions = { minify: true, sourcemap: "none", bytecode: false, autoload: false };

/** The commit the sources come from: `git rev-parse --short HEAD`, "-dirty" when src/ or package.json differ from
 * it, "unknown" outside a git checkout or without git. */
export async function sourceCommit(env: Record<string, string | undefined> = process.env): Promise<string> {
  const git = async (...args: string[]) => {
    try {
      const proc = Bun.spawn(["git", ...args], { cwd: ROOT, env, stdout: "pipe", stderr: "ignore", stdin: "ignore" });
      const [out, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
      return code === 0 ? out.trim() : undefined;
    } catch {
      return undefined; // no git on PATH
    }
  };
  const head = await git("rev-parse", "--short=7", "HEAD");
  if (!head || !/^[0-9a-f]{7,40}$/.test(head)) return "unknown";
  const changes = await git("status", "--porcelain", "--", "src", "package.json");
  return changes ? `${head}-dirty` : head;
}

export interface CompileRequest {
  outfile: string;
  /** A cross-compile target; omitted: this machine. */
  target?: Target;
  options?: BuildOptions;
  commit: string;
}

function buildArgs({ outfile, target, options = RELEASE_OPTIONS, commit }: CompileRequest): string[] {
  const args = ["build", "--compile", "src/cli/main.ts", "--outfile", outfile, `--sourcemap=${options.sourcemap}`];
  if (options.minify) args.push("--minify");
  if (options.bytecode) args.push("--bytecode", "--format=esm");
  if (!options.autoload) args.push("--no-compile-autoload-bunfig", "--no-compile-autoload-dotenv");
  if (target) args.push("--target", TARGETS[target]);
  // Baked in as string literals: the binary never asks git (or anything else) who it is.
  args.push("--define", `CONNECTOR_COMMIT=${JSON.stringify(commit)}`);
  args.push("--define", `CONNECTOR_TARGET=${JSON.stringify(target ?? hostTarget())}`);
  return args;
}

/** Runs `bun build --compile`; throws with Bun's output when it fails. Returns the milliseconds it took. */
export async function compile(request: CompileRequest): Promise<number> {
  const started = performance.now();
  const proc = Bun.spawn([process.execPath, ...buildArgs(request)], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`bun build failed for ${request.target ?? "this machine"}:\n${out}${err}`);
  return Math.round(performance.now() - started);
}
