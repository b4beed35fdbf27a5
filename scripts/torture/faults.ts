// Scenario 2: HTTP faults. The mock injects them and, from its side, counts retries sent before their Retry-After
// and the most requests one URL received (GET /_mock/stats): the connector's own report is not trusted.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runBinary } from "../../testkit/processes";
import { savedState } from "../../testkit/db";
import { compare, loggedRows, oracle, STRATEGIES, syncArgs, tempDb, withMock, type Row, type Size } from "./common";

/** The default retry.max_attempts: a ceiling; retries are bounded by retry.max_elapsed_seconds (issue 14 §6). */
const MAX_ATTEMPTS = 100;
/** 7% 500/502/503 (503 with Retry-After: 1), 2% 429 with an HTTP-date, 1% cut bodies, 1% invalid JSON, 2% slow
 * responses of 0.3-2.5 s against a 1 s timeout, latency of 0-15 ms on all, and a token-bucket rate limit. */
const MIXED = [
  "--fail-rate",
  "0.07",
  "--throttle-rate",
  "0.02",
  "--truncate-rate",
  "0.01",
  "--malformed-rate",
  "0.01",
  "--slow-rate",
  "0.02",
  "--slow-ms",
  "300-2500",
  "--latency-ms",
  "0-15",
  "--rate-limit",
  "--capacity",
  "40",
  "--refill-per-sec",
  "300",
];
/** The issue's harsh case: 20% 500/502/503 and the playground's token bucket (capacity 20, 10 a second). */
const HARSH = ["--fail-rate", "0.2", "--rate-limit", "--capacity", "20"];

interface MockStats {
  faults: Record<string, number>;
  retry_after_sent: number;
  early_retries: number;
  max_requests_per_target: number;
}

const statsOf = async (url: string): Promise<MockStats> => (await fetch(`${url}/_mock/stats`)).json() as Promise<MockStats>;

function writeConfig(db: string, config: Record<string, unknown>): string {
  const path = join(db, "..", "configuration.json");
  writeFileSync(path, JSON.stringify(config));
  return path;
}

export async function httpFaults(size: Size): Promise<Row[]> {
  const rows: Row[] = [];
  const runs: [string, string, string[]][] = [
    ...STRATEGIES.map((s): [string, string, string[]] => [s, "2 http faults", MIXED]),
    ["offset", "2 20% 5xx + 429", HARSH],
  ];
  for (const [i, [strategy, scenario, faults]] of runs.entries()) {
    // A mock per strategy, so its counters are this run's alone; a seed each, so each meets other faults.
    await withMock(["--records", String(size.faultRecords), "--seed", String(72 + i), ...faults], async (mock) => {
      const expected = await oracle(mock);
      const db = tempDb();
      // Retries bounded by time (the default max_attempts is only a ceiling), with short waits so the run is quick.
      const retry = { base_delay_ms: 20, max_delay_ms: 500, timeout_seconds: 1, max_elapsed_seconds: 60 };
      const run = await runBinary(syncArgs(mock, strategy, db, 50, writeConfig(db, { base_url: `${mock.url}/pagination/${strategy}`, retry })));
      const stats = await statsOf(mock.url);
      const summary = run.code === 0 ? (JSON.parse(run.stdout) as { retries: number; requests: number }) : null;
      const result = compare(db, expected);
      const f = stats.faults;
      const injected = `${Object.values(f).reduce((a, b) => a + b, 0)} faults (5xx ${(f.fail_500 ?? 0) + (f.fail_502 ?? 0) + (f.fail_503 ?? 0)}, 429 ${(f.throttled_429 ?? 0) + (f.rate_limited_429 ?? 0)}, cut ${f.truncated}, bad JSON ${f.malformed}, slow ${f.slow}); ${summary ? `${summary.retries} retries` : `exit ${run.code}`}`;
      const polite = stats.early_retries === 0 && stats.max_requests_per_target <= MAX_ATTEMPTS;
      const ok = run.code === 0 && polite && result.lost + result.wrong + result.duplicated === 0 && result.integrityOk;
      const note = polite
        ? undefined
        : `${stats.early_retries} retries before Retry-After, up to ${stats.max_requests_per_target} requests for one URL (cap ${MAX_ATTEMPTS})`;
      rows.push({ scenario, strategy, runs: 1, injected, ...result, result: ok ? "ok" : "FAIL", note });
    });
  }
  rows.push(await givesUp("2 Retry-After: 3600", ["--rate-limit", "--capacity", "4", "--refill-per-sec", "0.00027778"], "Retry-After"));
  rows.push(await givesUp("2 permanent 500", ["--fail-rate", "1"], "gave up"));
  return rows;
}

/** A fault no retry can outlast ends the sync with exit 1 inside the retry budget, the committed pages intact. */
async function givesUp(scenario: string, faults: string[], says: string): Promise<Row> {
  return withMock(["--records", "1000", "--seed", "74", ...faults], async (mock) => {
    const db = tempDb();
    const config = writeConfig(db, { base_url: `${mock.url}/pagination/offset`, retry: { base_delay_ms: 50, max_delay_ms: 1000, max_elapsed_seconds: 3 } });
    const started = performance.now();
    const run = await runBinary(syncArgs(mock, "offset", db, 50, config));
    const seconds = (performance.now() - started) / 1000;
    const pages = (savedState(db) as { run?: { pages: number } } | null)?.run?.pages ?? 0;
    const result = compare(db, await oracle(mock), []);
    // What was committed is exactly what the run reported committing, in a sound file.
    const intact = result.integrityOk && result.rows === loggedRows(run.stderr);
    const ok = run.code === 1 && seconds < 10 && run.stderr.includes(says) && intact;
    return {
      scenario,
      strategy: "offset",
      runs: 1,
      rows: result.rows,
      injected: `exit ${run.code} after ${seconds.toFixed(1)} s, ${pages} pages kept`,
      lost: 0,
      duplicated: result.duplicated,
      wrong: 0,
      result: ok ? "ok" : "FAIL",
    };
  });
}
