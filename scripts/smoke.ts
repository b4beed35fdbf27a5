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

/** `env` adds to the environment; an undefined value removes a variable. */
async function run(args: string[], expectCode = 0, env: Record<string, string | undefined> = {}): Promise<{ out: string; err: string }> {
  const merged = Object.fromEntries(Object.entries({ ...process.env, ...env }).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const proc = Bun.spawn([bin, ...args], { cwd: work, stdout: "pipe", stderr: "pipe", stdin: "ignore", env: merged });
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
if (!version.out.startsWith(`connector ${pkg.version} (`)) fail(`--version printed '${version.out.trim()}', expected connector ${pkg.version} (…)`);
const versionJson = JSON.parse((await run(["--version", "--json"])).out);
if (versionJson.version !== pkg.version || !versionJson.commit || !versionJson.target) fail(`--version --json printed ${JSON.stringify(versionJson)}`);

const help = await run(["--help"]);
for (const name of ["serve-mock", "sync", "status", "state", "reset", "probe"]) {
  if (!help.out.includes(`  ${name} `)) fail(`--help does not list '${name}'`);
  const sub = await run([name, "--help"]);
  if (!sub.out.startsWith(`Usage: connector ${name}`)) fail(`${name} --help has no usage line`);
}
const unknown = await run(["frobnicate"], 2);
if (!unknown.err.includes("'frobnicate'")) fail("unknown command message does not name it");
if (unknown.err.includes("    at ")) fail("a stack trace reached the user");

// The main job: sync the embedded mock, inspect the state, run again (incremental), reset.
const db = join(work, "smoke.db");
const first = await run(["sync", "--mock", "--mock-records", "300", "--db", db, "--log", "json"]);
const summary = JSON.parse(first.out);
if (summary.inserted !== 300 || summary.status !== "ok") fail(`sync --mock: ${first.out.slice(0, 200)}, expected status ok and 300 rows inserted`);
const status = JSON.parse((await run(["status", "--db", db, "--json"])).out);
if (status.user?.rows?.live !== 300 || status.user.lastRun?.outcome !== "ok") fail(`status after a finished sync is wrong: ${JSON.stringify(status)}`);
const state = JSON.parse((await run(["state", "--db", db])).out);
if (!state.user || state.user.run !== null || !state.user.cursor) fail(`state after a finished sync is wrong: ${JSON.stringify(state)}`);
const refresh = JSON.parse((await run(["sync", "--mock", "--mock-records", "300", "--db", db, "--log", "json", "--full-refresh"])).out);
if (!refresh.fullRefresh || refresh.deleted !== 0 || refresh.unchanged !== 300) fail(`sync --full-refresh of an unchanged source: ${JSON.stringify(refresh)}`);
const bad = await run(["sync", "--base-url", "ftp://nowhere", "--db", join(work, "never.db")], 2);
if (!bad.err.includes("base_url")) fail("a bad base_url does not name the key");
if (await Bun.file(join(work, "never.db")).exists()) fail("a configuration error created a database");
await run(["reset", "--db", db, "--yes"]);
const after = JSON.parse((await run(["state", "--db", db])).out);
if (Object.keys(after).length !== 0) fail(`state after reset is not empty: ${JSON.stringify(after)}`);

// Priority-first: the newest week first, then history backwards; a small history completes in one run.
const pfsDb = join(work, "pfs.db");
const pfs = JSON.parse((await run(["sync", "--mock", "--mock-records", "300", "--priority-first", "--window", "7d", "--db", pfsDb, "--log", "json"])).out);
if (pfs.inserted !== 300 || pfs.history?.remainingSeconds !== 0) fail(`sync --priority-first did not finish history: ${JSON.stringify(pfs)}`);
const pfsState = JSON.parse((await run(["state", "--db", pfsDb])).out);
if (pfsState.user?.backfill?.done?.length !== 1 || pfsState.user.backfill.remaining?.length !== 0)
  fail(`state after a priority-first sync is wrong: ${JSON.stringify(pfsState)}`);
const badWindow = await run(["sync", "--mock", "--priority-first", "--window", "a week", "--db", join(work, "never.db")], 2);
if (!badWindow.err.includes("window must be a duration")) fail("a bad --window does not say what is allowed");

// probe against a tiny API on the loopback interface: no network beyond this machine.
const secret = "smoke-s3cret-token";
const api = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch: (request) => {
    const offset = Number(new URL(request.url).searchParams.get("offset") ?? 0);
    const data = Array.from({ length: 3 }, (_, i) => ({ id: offset + i + 1, modified: `2025-03-0${offset + i + 1}T00:00:00Z` })).filter((r) => r.id <= 5);
    return Response.json(request.headers.get("authorization") === `Bearer ${secret}` ? { data, offset, limit: 3, total: 5 } : { error: "no" }, {
      status: request.headers.get("authorization") ? 200 : 401,
    });
  },
});
const probed = await run(["probe", `http://127.0.0.1:${api.port}/items`, "--header", `Authorization: Bearer ${secret}`, "--write", "--json"]);
const report = JSON.parse(probed.out);
if (report.strategy !== "offset" || report.cursors[0] !== "modified") fail(`probe reported ${report.strategy} / ${report.cursors}`);
const written = await Bun.file(join(work, "configuration.json")).text();
if (probed.out.includes(secret) || probed.err.includes(secret) || written.includes(secret)) fail("probe printed or wrote the secret header value");
await run(["probe", `http://127.0.0.1:${api.port}/items`, "--write"], 2);
const synced = await run(["sync", "--db", join(work, "probe.db"), "--log", "json", "--quiet"], 2, { API_TOKEN: undefined });
if (!synced.err.includes("API_TOKEN")) fail("a sync without API_TOKEN did not name the missing variable");
const probedSync = JSON.parse((await run(["sync", "--db", join(work, "probe.db"), "--log", "json", "--quiet"], 0, { API_TOKEN: secret })).out);
if (probedSync.inserted !== 5) fail(`the probed configuration synced ${probedSync.inserted} rows, expected 5`);
api.stop(true);

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
