// Compiles src/cli/main.ts into one self-contained executable with `bun build --compile` (scripts/compile.ts).
//   bun scripts/build.ts                 the host: dist/connector
//   bun scripts/build.ts --target T      one of TARGETS into dist/connector-<target> (downloads Bun for T once)
//   bun scripts/build.ts --all           every target into dist/connector-<target>
// Releases (every target plus SHA256SUMS in dist/release/) come from scripts/release.ts (`npm run release`).
import { join } from "node:path";
import { scriptArgs } from "./script-args";
import { compile, isTarget, releaseName, ROOT, sourceCommit, TARGETS, type Target } from "./compile";

const { values } = scriptArgs(import.meta.path, {
  args: Bun.argv.slice(2),
  options: { target: { type: "string" }, all: { type: "boolean" } },
});

async function build(outfile: string, commit: string, target?: Target): Promise<void> {
  try {
    const ms = await compile({ outfile: join(ROOT, outfile), commit, ...(target ? { target } : {}) });
    console.error(`build: ${outfile} (${commit}) in ${ms} ms`);
  } catch (error) {
    console.error(`build: ${(error as Error).message}`);
    process.exit(1);
  }
}

if (values.target !== undefined && !isTarget(values.target)) {
  console.error(`build: unknown --target '${values.target}'; one of ${Object.keys(TARGETS).join(", ")}`);
  process.exit(2);
}
const commit = await sourceCommit();
const targets: Target[] = values.all ? (Object.keys(TARGETS) as Target[]) : values.target ? [values.target as Target] : [];
for (const target of targets) await build(join("dist", releaseName(target)), commit, target);
if (targets.length === 0) await build(join("dist", "connector"), commit);
