// Runs the compiled binary for real and fails loudly. Grows with every command.
//   bun scripts/smoke.ts [path/to/connector]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const bin = resolve(Bun.argv[2] ?? "dist/connector");
const work = mkdtempSync(join(tmpdir(), "connector-smoke-"));
let steps = 0;

function fail(message: string): never {
  console.error(`smoke: FAIL: ${message}`);
  rmSync(work, { recursive: true, force: true });
  process.exit(1);
}

async function run(args: string[], expectCode = 0): Promise<{ out: string; err: string }> {
  const proc = Bun.spawn([bin, ...args], { cwd: work, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const timer = setTimeout(() => proc.kill(), 60_000);
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(timer);
  if (code !== expectCode) fail(`connector ${args.join(" ")} exited ${code}, expected ${expectCode}\nstdout: ${out}\nstderr: ${err}`);
  steps++;
  console.error(`smoke: ok  connector ${args.join(" ")}`);
  return { out, err };
}

const pkg = await Bun.file(resolve(import.meta.dir, "../package.json")).json();
const version = await run(["--version"]);
if (version.out.trim() !== pkg.version) fail(`--version printed '${version.out.trim()}', expected ${pkg.version}`);

const help = await run(["--help"]);
for (const name of ["serve-mock", "sync", "state", "reset"]) {
  if (!help.out.includes(`  ${name} `)) fail(`--help does not list '${name}'`);
  const sub = await run([name, "--help"]);
  if (!sub.out.startsWith(`Usage: connector ${name}`)) fail(`${name} --help has no usage line`);
}
const unknown = await run(["frobnicate"], 2);
if (!unknown.err.includes("'frobnicate'")) fail("unknown command message does not name it");
if (unknown.err.includes("    at ")) fail("a stack trace reached the user");

// serve-mock: start on a free port, read the URL from the first stdout line, page and read the oracle, stop with SIGINT.
{
  const proc = Bun.spawn([bin, "serve-mock", "--port", "0", "--quiet", "--records", "37"], { cwd: work, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const killer = setTimeout(() => proc.kill("SIGKILL"), 60_000);
  try {
    const reader = proc.stdout.getReader();
    let out = "";
    while (!out.includes("\n")) {
      const chunk = await reader.read();
      if (chunk.done) break;
      out += new TextDecoder().decode(chunk.value);
    }
    reader.releaseLock();
    const url = /^Mock API listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(out)?.[1];
    if (!url) fail(`serve-mock printed no URL line: ${out}`);
    const page = (await (await fetch(`${url}/pagination/offset?limit=5`)).json()) as { data: { id: string }[]; total: number };
    if (page.data.length !== 5 || page.total !== 37) fail(`serve-mock offset page: ${JSON.stringify(page).slice(0, 200)}`);
    const lines = (await (await fetch(`${url}/_mock/dataset`)).text()).trim().split("\n");
    if (lines.length !== 37 || !lines.some((line) => line.includes(page.data[0]!.id))) fail(`serve-mock dataset has ${lines.length} lines`);
    proc.kill("SIGINT");
    const code = await proc.exited;
    if (code !== 0) fail(`serve-mock exited ${code} on SIGINT, expected 0: ${await new Response(proc.stderr).text()}`);
    steps++;
    console.error("smoke: ok  connector serve-mock --port 0 (offset page, dataset, SIGINT)");
  } finally {
    clearTimeout(killer);
    proc.kill("SIGKILL");
  }
}

rmSync(work, { recursive: true, force: true });
console.error(`smoke: ${steps} steps passed`);
