// End-to-end bench: the compiled serve-mock and the compiled sync as separate processes, several runs per case,
// medians with min–max. In the same run it measures the two ceilings on the same rows and schema (bench-ceiling.ts)
// and reports the sync's rate as a fraction of the lower one. Prints a Markdown table, or with --json the JSON on
// stdout and the table on stderr (with the progress lines).
//   bun scripts/bench.ts [path/to/connector] [--records 100000] [--page-size 50,1000] [--strategy keyset,offset] [--runs 5] [--json] [--plot FILE.svg] [--no-ceilings]
//     [--postgres postgres://user@host/db]   also every case into PostgreSQL (a fresh schema per run, dropped after)
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { scriptArgs } from "./script-args";
import { STRATEGY_NAMES, strategyList } from "../src/connector/paginators/registry";
import { binaryPath, memory, spread, startMock, type Spread } from "./bench-lib";
import { destination, type Destination } from "./bench-destination";
import { plotSvg } from "./bench-plot";

const { values, positionals } = scriptArgs(import.meta.path, {
  args: Bun.argv.slice(2),
  allowPositionals: true,
  options: {
    postgres: { type: "string" },
    records: { type: "string" },
    "page-size": { type: "string" },
    strategy: { type: "string" },
    runs: { type: "string" },
    json: { type: "boolean" },
    plot: { type: "string" },
    "no-ceilings": { type: "boolean" },
  },
});
const bin = binaryPath(positionals[0], "bench");
const list = (text: string) =>
  text
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
const counts = (text: string, flag: string) =>
  list(text).map((item) => {
    const n = Number(item);
    if (!Number.isInteger(n) || n < 1) usage(`--${flag} takes whole numbers of at least 1, got '${item}'`);
    return n;
  });
function usage(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(2);
}
const records = counts(values.records ?? "100000", "records");
const pageSizes = counts(values["page-size"] ?? "50,1000", "page-size");
const strategies = list(values.strategy ?? "keyset,offset");
for (const s of strategies) if (!(STRATEGY_NAMES as readonly string[]).includes(s)) usage(`unknown --strategy '${s}': ${strategyList()}`);
const runs = counts(values.runs ?? "5", "runs")[0] as number;
const kinds: Destination["kind"][] = values.postgres ? ["sqlite", "postgres"] : ["sqlite"];
if (values.postgres && !/^postgres(ql)?:\/\//.test(values.postgres)) usage(`--postgres takes a postgres:// URL, got '${values.postgres}'`);
const log = (line: string) => console.error(line);
const ceilingScript = resolve(import.meta.dir, "bench-ceiling.ts");

interface Run {
  rowsPerSec: number;
  requestsPerSec: number;
  rssMb: number;
  httpWaitS: number;
  parseS: number;
  writeS: number;
  storeCeiling: number;
  mockCeiling: number;
  /** The same sync run again right after: nothing changed, so one or two requests. */
  noopRequests: number;
  noopMs: number;
}

/** The configuration a run syncs with (keyset sends page_size as `limit`; the mock takes it above 50). */
function writeConfig(work: string, url: string, strategy: string, pageSize: number): string {
  const file = join(work, "configuration.json");
  writeFileSync(file, JSON.stringify({ base_url: `${url}/pagination/${strategy}`, strategy, page_size: pageSize }));
  return file;
}

async function output(proc: Bun.Subprocess<"ignore", "pipe", "pipe">, what: string): Promise<string> {
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`${what} exited ${code}: ${err.trim().slice(0, 500)}`);
  return out;
}

async function ceiling(config: string, work: string, mode: "mock" | "store", db: string): Promise<number> {
  const proc = Bun.spawn([process.execPath, ceilingScript, "--config", config, "--mode", mode, "--work", work, "--db", db], {
    stdout: "pipe",
    stderr: "pipe",
    stdin: "ignore",
  });
  return (JSON.parse(await output(proc, `the ${mode} ceiling`)) as { rowsPerSec: number }).rowsPerSec;
}

async function once(url: string, total: number, strategy: string, pageSize: number, kind: Destination["kind"]): Promise<Run> {
  const work = mkdtempSync(join(tmpdir(), "connector-bench-"));
  const dest = await destination(kind, work, values.postgres);
  try {
    const config = writeConfig(work, url, strategy, pageSize);
    const sync = async () => {
      const started = performance.now();
      const proc = Bun.spawn([bin, "sync", "--config", config, "--db", dest.sync, "--log", "json", "--quiet"], {
        cwd: work,
        stdout: "pipe",
        stderr: "pipe",
        stdin: "ignore",
      });
      const summary = JSON.parse(await output(proc, "sync"));
      return { summary, seconds: (performance.now() - started) / 1000, rss: proc.resourceUsage()?.maxRSS ?? Number.NaN };
    };
    const { summary, seconds, rss } = await sync();
    if (summary.inserted !== total) throw new Error(`sync inserted ${summary.inserted} rows of ${total}: ${JSON.stringify(summary)}`);
    const noop = await sync();
    if (noop.summary.inserted !== 0 || noop.summary.updated !== 0) throw new Error(`the second sync wrote rows: ${JSON.stringify(noop.summary)}`);
    // --no-ceilings: the sync alone (at ten million rows the ceilings take longer than the sync).
    const storeCeiling = values["no-ceilings"] ? Number.NaN : await ceiling(config, work, "store", dest.ceiling);
    const mockCeiling = values["no-ceilings"] ? Number.NaN : await ceiling(config, work, "mock", dest.ceiling);
    const { httpWaitMs, parseMs, writeMs } = summary.timing ?? { httpWaitMs: Number.NaN, parseMs: Number.NaN, writeMs: Number.NaN };
    return {
      rowsPerSec: summary.rows / seconds,
      requestsPerSec: summary.requests / seconds,
      rssMb: rss / 2 ** 20,
      httpWaitS: httpWaitMs / 1000,
      parseS: parseMs / 1000,
      writeS: writeMs / 1000,
      storeCeiling,
      mockCeiling,
      noopRequests: noop.summary.requests,
      noopMs: noop.seconds * 1000,
    };
  } finally {
    await dest.drop();
    rmSync(work, { recursive: true, force: true });
  }
}

interface Case {
  /** sqlite or postgres */
  db: Destination["kind"];
  records: number;
  strategy: string;
  pageSize: number;
  runs: number;
  mock: { readyMs: number; peakRssMb: number };
  stats: Record<keyof Run, Spread>;
  /** Median sync rows/s over the lower of the two median ceilings. */
  fraction: number;
  /** The 1-minute load average before and after the case's runs: other work on the machine skews its numbers. */
  load: { before: number; after: number };
}

/** `connector --version`, spawn to exit: the median of 20. */
async function versionMs(): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    await Bun.spawn([bin, "--version"], { stdout: "ignore", stderr: "ignore" }).exited;
    times.push(performance.now() - started);
  }
  return spread(times).median;
}

const round2 = (value: number) => Math.round(value * 100) / 100;
const cases: Case[] = [];
// Other processes on the machine skew every number: the load average before and after says whether there were any.
const loadBefore = loadavg()[0] as number;
const version = Math.round(await versionMs());
for (const total of records) {
  const mock = await startMock(bin, total, Math.max(50, ...pageSizes));
  log(`serve-mock --records ${total}: ready in ${mock.startupMs} ms`);
  const here: Case[] = [];
  try {
    for (const strategy of strategies) {
      for (const [pageSize, kind] of pageSizes.flatMap((size) => kinds.map((k) => [size, k] as const))) {
        const all: Run[] = [];
        const caseLoad = loadavg()[0] as number;
        for (let i = 1; i <= runs; i++) {
          const run = await once(mock.url, total, strategy, pageSize, kind);
          log(
            `  ${kind} ${strategy} page ${pageSize} run ${i}/${runs}: ${Math.round(run.rowsPerSec)} rows/s, store ceiling ${Math.round(run.storeCeiling)}, mock ceiling ${Math.round(run.mockCeiling)}`,
          );
          all.push(run);
        }
        const stats = Object.fromEntries(Object.keys(all[0] as Run).map((key) => [key, spread(all.map((r) => r[key as keyof Run]))])) as Case["stats"];
        const fraction = stats.rowsPerSec.median / Math.min(stats.storeCeiling.median, stats.mockCeiling.median);
        const load = { before: round2(caseLoad), after: round2(loadavg()[0] as number) };
        here.push({ db: kind, records: total, strategy, pageSize, runs, mock: { readyMs: mock.startupMs, peakRssMb: 0 }, stats, fraction, load });
      }
    }
    const peak = memory(mock.proc.pid).peakMb;
    for (const c of here) c.mock.peakRssMb = peak;
    cases.push(...here);
  } finally {
    await mock.stop();
  }
}

const load = { before: round2(loadBefore), after: round2(loadavg()[0] as number) };
/** The case's median rows/s over that of the same destination, strategy and page size at the fewest records: how the rate holds up as rows grow. */
const ofSmallest = (c: Case) => {
  const first = cases.find((o) => o.db === c.db && o.strategy === c.strategy && o.pageSize === c.pageSize);
  return first === c || !first ? "" : `${Math.round((c.stats.rowsPerSec.median / first.stats.rowsPerSec.median) * 100)}% of ${n(first.records)}`;
};
const n = (value: number) => Math.round(value).toLocaleString("en");
// A figure not measured (--no-ceilings) is a dash, not "NaN".
const range = (s: Spread, f = n) => (Number.isNaN(s.median) ? "–" : `${f(s.median)} (${f(s.min)}–${f(s.max)})`);
const head = [
  "db",
  "records",
  "strategy",
  "page",
  "sync rows/s",
  "vs fewest records",
  "req/s",
  "http / parse / write s",
  "sync peak RSS MB",
  "store ceiling rows/s",
  "mock ceiling rows/s",
  "of lower",
  "no-op sync",
  "mock ready ms / peak MB",
  "load",
];
const rows = cases.map((c) => [
  c.db,
  n(c.records),
  c.strategy,
  String(c.pageSize),
  range(c.stats.rowsPerSec),
  ofSmallest(c),
  n(c.stats.requestsPerSec.median),
  [c.stats.httpWaitS, c.stats.parseS, c.stats.writeS].map((s) => s.median.toFixed(2)).join(" / "),
  range(c.stats.rssMb),
  range(c.stats.storeCeiling),
  range(c.stats.mockCeiling),
  Number.isNaN(c.fraction) ? "–" : `${Math.round(c.fraction * 100)}%`,
  `${n(c.stats.noopRequests.max)} req, ${n(c.stats.noopMs.median)} ms`,
  `${n(c.mock.readyMs)} / ${n(c.mock.peakRssMb)}`,
  `${c.load.before} → ${c.load.after}`,
]);
const table = [
  `\nMedians of ${runs} run${runs === 1 ? "" : "s"} (min–max); rows/s end to end (sync process spawn to exit). Load average ${load.before} before, ${load.after} after. connector --version: ${version} ms.\n`,
  ...[head, head.map(() => "---"), ...rows].map((line) => `| ${line.join(" | ")} |`),
].join("\n");
if (values.plot) {
  const medians = cases.map((c) => ({
    records: c.records,
    strategy: c.db === "postgres" ? `${c.strategy} (postgres)` : c.strategy,
    pageSize: c.pageSize,
    rowsPerSec: c.stats.rowsPerSec.median,
    storeCeiling: c.stats.storeCeiling.median,
    mockCeiling: c.stats.mockCeiling.median,
    rssMb: c.stats.rssMb.median,
  }));
  const note = `npm run bench -- ${Bun.argv.slice(2).join(" ")} · ${new Date().toISOString().slice(0, 16)}Z · medians of ${runs} · load ${load.before} → ${load.after}`;
  writeFileSync(values.plot, plotSvg(medians, note));
  log(`plot written to ${values.plot}`);
}
if (values.json) {
  console.error(table);
  console.log(JSON.stringify({ binary: bin, load, versionMs: version, cases }, null, 2));
} else console.log(table);
