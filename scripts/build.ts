// Compiles src/cli/main.ts into one self-contained executable with `bun build --compile`.
//   bun scripts/build.ts                 the host: dist/connector
//   bun scripts/build.ts --target T      one of TARGETS (release machines that can fetch other runtimes)
//   bun scripts/build.ts --all           every target into dist/connector-<target>
import { parseArgs } from "node:util";

const TARGETS = {
  "linux-x64": "bun-linux-x64",
  "linux-arm64": "bun-linux-arm64",
  "darwin-x64": "bun-darwin-x64",
  "darwin-arm64": "bun-darwin-arm64",
  "windows-x64": "bun-windows-x64",
} as const;
type Target = keyof typeof TARGETS;

const { values } = parseArgs({
  args: Bun.argv.slice(2),
  options: { target: { type: "string" }, all: { type: "boolean" } },
});

async function compile(outfile: string, target?: Target): Promise<void> {
  const args = ["build", "--compile", "--minify", "--sourcemap=none", "src/cli/main.ts", "--outfile", outfile];
  if (target) args.push("--target", TARGETS[target]);
  const started = performance.now();
  const proc = Bun.spawn([process.execPath, ...args], { stdout: "inherit", stderr: "inherit" });
  if ((await proc.exited) !== 0) {
    console.error(`build: bun build failed for ${target ?? "host"}`);
    process.exit(1);
  }
  console.error(`build: ${outfile} in ${Math.round(performance.now() - started)} ms`);
}

if (values.all) {
  for (const target of Object.keys(TARGETS) as Target[]) {
    await compile(`dist/connector-${target}${target.startsWith("windows") ? ".exe" : ""}`, target);
  }
} else if (values.target) {
  if (!(values.target in TARGETS)) {
    console.error(`build: unknown --target '${values.target}'; one of ${Object.keys(TARGETS).join(", ")}`);
    process.exit(2);
  }
  const target = values.target as Target;
  await compile(`dist/connector-${target}${target.startsWith("windows") ? ".exe" : ""}`, target);
} else {
  await compile("dist/connector");
}
