// Measures `bun build --compile` options for this machine's binary: size, and the median time of `--version`
// (answered before the commands load) and `--help` (loads every command) over interleaved spawns.
//   bun scripts/build-options.ts [--runs 20]
// The README's table of build options comes from this; RELEASE_OPTIONS in compile.ts is the pick.
import { mkdtempSync, rmSync, statSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scriptArgs } from "./script-args";
import { compile, RELEASE_OPTIONS, sourceCommit, type BuildOptions } from "./compile";

const { values } = scriptArgs(import.meta.path, { args: Bun.argv.slice(2), options: { runs: { type: "string", default: "20" } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number of at least 1, got '${values.runs}'`);

const plain: BuildOptions = { minify: false, sourcemap: "none", bytecode: false, autoload: true };
const variants: { name: string; options: BuildOptions }[] = [
  { name: "no options (Bun's defaults)", options: plain },
  { name: "--minify", options: { ...plain, minify: true } },
  { name: "--minify --sourcemap=external", options: { ...plain, minify: true, sourcemap: "external" } },
  { name: "--minify --sourcemap=inline", options: { ...plain, minify: true, sourcemap: "inline" } },
  { name: "--minify --bytecode", options: { ...plain, minify: true, bytecode: true } },
  { name: "--minify, no bunfig/.env autoload", options: { ...plain, minify: true, autoload: false } },
  { name: "--minify --bytecode, no autoload", options: { ...plain, minify: true, bytecode: true, autoload: false } },
];

const work = mkdtempSync(join(tmpdir(), "connector-build-options-"));
try {
  const commit = await sourceCommit();
  const built = [];
  for (const [i, variant] of variants.entries()) {
    const outfile = join(work, `connector-${i}`);
    await compile({ outfile, options: variant.options, commit });
    const map = `${outfile}.map`;
    built.push({ ...variant, outfile, size: statSync(outfile).size, mapSize: existsSync(map) ? statSync(map).size : 0 });
  }
  const times = new Map(built.map((b) => [b.outfile, { version: [] as number[], help: [] as number[] }]));
  const spawnMs = async (file: string, arg: string) => {
    const started = performance.now();
    const proc = Bun.spawn([file, arg], { cwd: work, stdout: "ignore", stderr: "ignore", stdin: "ignore" });
    if ((await proc.exited) !== 0) throw new Error(`${file} ${arg} failed`);
    return performance.now() - started;
  };
  // Interleaved, so a burst of load on the machine hits every variant alike.
  for (let round = 0; round < runs; round++) {
    for (const b of built) {
      times.get(b.outfile)!.version.push(await spawnMs(b.outfile, "--version"));
      times.get(b.outfile)!.help.push(await spawnMs(b.outfile, "--help"));
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const mb = (bytes: number) => (bytes / 1e6).toFixed(2);
  console.log(`| options | binary MB | --version ms | --help ms |`);
  console.log(`|---|---:|---:|---:|`);
  for (const b of built) {
    const t = times.get(b.outfile)!;
    const mark = JSON.stringify(b.options) === JSON.stringify(RELEASE_OPTIONS) ? " (**release**)" : "";
    const map = b.mapSize ? ` + ${mb(b.mapSize)} .map` : "";
    console.log(`| ${b.name}${mark} | ${mb(b.size)}${map} | ${median(t.version).toFixed(0)} | ${median(t.help).toFixed(0)} |`);
  }
  console.log(`\nmedian of ${runs} interleaved spawns each, Bun ${Bun.version}, ${process.platform}-${process.arch}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
