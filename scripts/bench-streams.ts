// Benchmarks a sync of several streams (issue 19): the four streams (users, companies, orders and each
// user's orders as a child stream) from the compiled serve-mock into a fresh SQLite file, --concurrency 1 against 2
// in the same run, alternating, each case `--runs` times; prints wall seconds, rows/s and each stream's time. Each
// case gets a fresh mock: a mock that has already served a sync answers the next one's child requests slower
// (README, Several streams), which favoured whichever case ran first.
//   bun scripts/bench-streams.ts [path/to/connector] [--records 100000] [--runs 2]
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scriptArgs } from "./script-args";
import { binaryPath, startMock } from "./bench-lib";

const { values, positionals } = scriptArgs(import.meta.path, {
  args: Bun.argv.slice(2),
  allowPositionals: true,
  options: { records: { type: "string" }, runs: { type: "string" } },
});
const bin = binaryPath(positionals[0], "bench-streams");
const records = Number(values.records ?? 100_000);
const runs = Number(values.runs ?? 2);

interface Outcome {
  status: string;
  streams: { name: string; seconds: number; rows: number; requests: number; timing: { httpWaitMs: number } }[];
  totals: { rows: number; requests: number };
}

const dir = mkdtempSync(join(tmpdir(), "bench-streams-"));
try {
  const streams = [
    { name: "users", path: "/pagination/keyset" },
    { name: "companies", path: "/api/companies", strategy: "offset" },
    { name: "orders", path: "/api/orders" },
    { name: "user_orders", path: "/api/users/{users.id}/orders", parent: "users", page_size: 50 },
  ];
  console.log(`== ${records.toLocaleString("en")} users, 4 streams (the child reads one request per user), ${runs} runs per case`);
  for (let run = 0; run < runs; run++) {
    for (const concurrency of [1, 2]) {
      const db = join(dir, `c${concurrency}-${run}.db`);
      const mock = await startMock(bin, records);
      writeFileSync(join(dir, "configuration.json"), JSON.stringify({ base_url: mock.url, page_size: 1000, params: {}, streams }));
      const started = performance.now();
      const proc = Bun.spawn([bin, "sync", "--db", db, "--concurrency", String(concurrency), "--log", "json", "--quiet"], {
        cwd: dir,
        stdout: "pipe",
        stderr: "inherit",
      });
      const outcome = JSON.parse(await new Response(proc.stdout).text()) as Outcome;
      await proc.exited;
      const seconds = (performance.now() - started) / 1000;
      await mock.stop();
      const each = outcome.streams.map((s) => `${s.name} ${s.seconds.toFixed(1)} s, http wait ${(s.timing.httpWaitMs / 1000).toFixed(1)} s`).join("; ");
      console.log(
        `   --concurrency ${concurrency}: ${outcome.status}, ${seconds.toFixed(1)} s wall, ${Math.round(outcome.totals.rows / seconds).toLocaleString("en")} rows/s, ${outcome.totals.requests.toLocaleString("en")} requests (${each})`,
      );
      rmSync(db, { force: true });
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
