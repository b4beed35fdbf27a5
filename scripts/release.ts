// The release: one executable per target and their SHA256SUMS (the `sha256sum -c` format) in dist/release/.
//   bun scripts/release.ts                          every target (npm run release)
//   bun scripts/release.ts --targets linux-x64 --outdir DIR
// Cross-compiling fetches each target's Bun runtime once (about 100 MB each, from the npm registry) into Bun's
// cache (~/.bun/install/cache); later builds reuse it.
import { mkdirSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { scriptArgs } from "./script-args";
import { compile, isTarget, releaseName, ROOT, sourceCommit, TARGETS, type Target } from "./compile";

function fail(message: string, code = 2): never {
  console.error(`release: ${message}`);
  process.exit(code);
}

const { values } = scriptArgs(import.meta.path, {
  args: Bun.argv.slice(2),
  options: { targets: { type: "string" }, outdir: { type: "string", default: join(ROOT, "dist", "release") } },
});
const names = values.targets?.split(",").map((t) => t.trim()) ?? Object.keys(TARGETS);
for (const name of names) {
  if (!isTarget(name)) fail(`unknown target '${name}' in --targets; use a comma-separated list of ${Object.keys(TARGETS).join(", ")}`);
}
const targets = names as Target[];
const outdir = resolve(values.outdir);

/** The hex SHA-256 of a file, read in chunks (the executables are about 100 MB). */
async function sha256(path: string): Promise<string> {
  const hasher = new Bun.CryptoHasher("sha256");
  for await (const chunk of Bun.file(path).stream()) hasher.update(chunk);
  return hasher.digest("hex");
}

// A fresh directory: a file left from an earlier release must never be listed or shipped with this one.
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const commit = await sourceCommit();
if (commit === "unknown" || commit.endsWith("-dirty")) console.error(`release: warning: the sources are at commit '${commit}'`);
const lines: string[] = [];
for (const target of targets) {
  const file = releaseName(target);
  try {
    const ms = await compile({ outfile: join(outdir, file), target, commit });
    const mb = (statSync(join(outdir, file)).size / 1e6).toFixed(1);
    console.error(`release: ${file} ${mb} MB in ${ms} ms`);
  } catch (error) {
    rmSync(outdir, { recursive: true, force: true });
    fail((error as Error).message, 1);
  }
  // Two spaces: sha256sum's text mode, which `sha256sum -c` and `shasum -a 256 -c` both read.
  lines.push(`${await sha256(join(outdir, file))}  ${file}`);
}
await Bun.write(join(outdir, "SHA256SUMS"), `${lines.sort((a, b) => a.slice(66).localeCompare(b.slice(66))).join("\n")}\n`);
console.error(`release: ${outdir}/SHA256SUMS (${lines.length} files, commit ${commit})`);
