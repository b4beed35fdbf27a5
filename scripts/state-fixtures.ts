// Writes the saved-state fixtures of test/connector/state-resume.test.ts: a binary of the version whose state format
// they pin (argv[2]) syncs from its own mock, SIGKILLs itself after a page is committed (page 3 unless said), and the state it saved is
// kept verbatim with the keys of the rows it had committed. Run once per state format:
//   npx bun scripts/state-fixtures.ts /work/coord/connector-before test/fixtures/state-v1
import { Database } from "bun:sqlite";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [bin, out] = process.argv.slice(2) as [string, string];
if (!bin || !out) throw new Error("usage: state-fixtures.ts BINARY OUT_DIR");
const NOW = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString().replace(".000Z", "Z");

interface Case {
  name: string;
  strategy: string;
  mock: { records: number; seed: number; sameSecond: number; spanDays: number };
  args: string[];
  /** A sync run to the end before the one that is killed. */
  before?: string[];
  /** The page after whose commit the sync is killed (default 3). */
  kill?: number;
}
const STRATEGIES = ["offset", "page_number", "keyset", "next_page_url", "link_header"];
const plain = { records: 300, seed: 7, sameSecond: 1, spanDays: 30 };
const ties = { records: 300, seed: 8, sameSecond: 70, spanDays: 30 };
const priority = { records: 1200, seed: 17, sameSecond: 1, spanDays: 4 };
const CASES: Case[] = [
  ...STRATEGIES.map((strategy) => ({ name: strategy, strategy, mock: plain, args: [] })),
  ...["page_number", "next_page_url", "link_header"].map((strategy) => ({ name: `${strategy}-ties`, strategy, mock: ties, args: [] })),
  ...["offset", "keyset"].map((strategy) => ({ name: `${strategy}-full-refresh`, strategy, mock: plain, args: ["--full-refresh"], before: [] })),
  // Killed in the forward run, then inside the first history window (the forward run reads about 16 pages).
  { name: "offset-priority-first", strategy: "offset", mock: priority, args: ["--priority-first", "--window", "24h", "--max-duration", "10m"] },
  {
    name: "offset-priority-first-history",
    strategy: "offset",
    mock: priority,
    args: ["--priority-first", "--window", "24h", "--max-duration", "10m"],
    kill: 25,
  },
];

async function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  const proc = Bun.spawn([bin, ...args], { stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1", ...env } });
  const [stdout, stderr] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  await proc.exited;
  return { code: proc.exitCode, signal: proc.signalCode === null ? null : String(proc.signalCode), stdout, stderr };
}

async function serve(mock: Case["mock"]): Promise<{ url: string; stop: () => void }> {
  const proc = Bun.spawn(
    [
      bin,
      "serve-mock",
      "--port",
      "0",
      "--quiet",
      "--records",
      String(mock.records),
      "--seed",
      String(mock.seed),
      "--same-second",
      String(mock.sameSecond),
      "--span-days",
      String(mock.spanDays),
      "--now",
      NOW,
      "--max-page-size",
      "100",
    ],
    { stdout: "pipe", stderr: "ignore" },
  );
  const reader = proc.stdout.getReader();
  let text = "";
  while (!/listening on (\S+)/.test(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`serve-mock exited: ${text}`);
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  void proc.stdout.pipeTo(new WritableStream()).catch(() => {});
  return { url: (text.match(/listening on (\S+)/) as RegExpMatchArray)[1] as string, stop: () => proc.kill("SIGTERM") };
}

for (const c of CASES) {
  const mock = await serve(c.mock);
  try {
    const db = join(mkdtempSync(join(tmpdir(), "state-fixture-")), "test.db");
    const sync = [
      "sync",
      "--base-url",
      `${mock.url}/pagination/${c.strategy}`,
      "--strategy",
      c.strategy,
      "--page-size",
      "20",
      "--checkpoint-rows",
      "1",
      "--db",
      db,
      "--log",
      "json",
    ];
    if (c.before) {
      const first = await run([...sync, ...c.before]);
      if (first.code !== 0) throw new Error(`${c.name}: the first sync failed: ${first.stderr}`);
    }
    const killed = await run([...sync, ...c.args], { CONNECTOR_TEST_KILL_AT: `after-commit:${c.kill ?? 3}` });
    if (killed.signal !== "SIGKILL") throw new Error(`${c.name}: not killed: ${killed.stderr}`);
    const shown = await run(["state", "--db", db]);
    if (shown.code !== 0) throw new Error(`${c.name}: connector state failed: ${shown.stderr}`);
    const sqlite = new Database(db, { readonly: true });
    const ids = (sqlite.query("SELECT id FROM user WHERE _deleted = 0 ORDER BY id").all() as { id: string }[]).map((r) => r.id);
    const seenTable = sqlite.query("SELECT 1 FROM sqlite_master WHERE name = '_connector_seen_user'").get();
    const seen = seenTable ? (sqlite.query("SELECT id FROM _connector_seen_user ORDER BY id").all() as { id: string }[]).map((r) => r.id) : null;
    const stored = (sqlite.query("SELECT state FROM _connector_state WHERE stream = 'user'").get() as { state: string }).state;
    sqlite.close();
    const version = (await run(["--version"])).stdout.trim();
    const fixture = {
      made_by: version,
      origin: new URL(mock.url).origin,
      path: `/pagination/${c.strategy}`,
      mock: { ...c.mock, now: NOW, maxPageSize: 100 },
      args: ["--strategy", c.strategy, "--page-size", "20", "--checkpoint-rows", "1", ...c.args],
      state: JSON.parse(stored),
      shown: JSON.parse(shown.stdout).user,
      ids,
      seen,
    };
    writeFileSync(join(out, `${c.name}.json`), `${JSON.stringify(fixture, null, 2)}\n`);
    console.log(
      `${c.name}: ${ids.length} rows committed, ${seen?.length ?? 0} seen, position ${JSON.stringify(fixture.state.run?.position ?? fixture.state.backfill?.current?.run.position)}`,
    );
  } finally {
    mock.stop();
  }
}
