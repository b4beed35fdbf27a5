// Scenario 7, several streams (issue 19): users, companies, orders and each user's orders (a child stream) in one
// configuration under --concurrency 2, SIGKILLed at random moments while the source changes (inserts, updates and
// hard deletes), then a full refresh, also killed and resumed under live change, and a quiet one. Every stream is
// compared with its own oracle (GET /_mock/dataset?resource=...); the child's rows with the orders oracle filtered
// to the live users, each carrying its user's id in _parent_id.
import { Database } from "bun:sqlite";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { connectorBinary } from "../../testkit/binary";
import { integrityOk } from "../../testkit/db";
import type { RunningMock } from "../../testkit/processes";
import { setMutationRate, tempDb, withMock, type Row, type Size } from "./common";
import { SHOP_STREAMS } from "../../testkit/streams";

type Rows = Map<string, Record<string, unknown>>;
const TABLES = ["users", "companies", "orders", "user_orders"] as const;

async function oracleOf(mock: RunningMock, resource: "users" | "companies" | "orders"): Promise<Rows> {
  const response = await fetch(`${mock.url}/_mock/dataset?resource=${resource}`);
  if (response.status !== 200) throw new Error(`oracle ${resource} answered ${response.status}`);
  const rows = (await response.text())
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return new Map(rows.map((row) => [String(row.id), row]));
}

/** What every table should hold now: the three resources, and the orders of live users with their user's id. */
async function expectedNow(mock: RunningMock): Promise<Record<(typeof TABLES)[number], Rows>> {
  const [users, companies, orders] = await Promise.all([oracleOf(mock, "users"), oracleOf(mock, "companies"), oracleOf(mock, "orders")]);
  const children: Rows = new Map();
  for (const [id, order] of orders) if (users.has(String(order.userId))) children.set(id, { ...order, _parent_id: order.userId });
  return { users, companies, orders, user_orders: children };
}

/** A table's rows by id, live and deleted apart, nested values parsed back from their JSON text. */
function tableOf(db: string, table: string): { live: Rows; deleted: Set<string>; duplicated: number } {
  const sqlite = new Database(db, { readonly: true });
  try {
    if (!sqlite.query("SELECT 1 FROM sqlite_master WHERE name = ?").get(table)) return { live: new Map(), deleted: new Set(), duplicated: 0 };
    const all = sqlite.query(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[];
    const live: Rows = new Map();
    const deleted = new Set<string>();
    for (const { _synced_at, _deleted, ...row } of all) {
      if (_deleted) deleted.add(String(row.id));
      else live.set(String(row.id), Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === "string" && /^[[{]/.test(v) ? JSON.parse(v) : v])));
    }
    return { live, deleted, duplicated: all.length - new Set(all.map((r) => String(r.id))).size };
  } finally {
    sqlite.close();
  }
}

/** Lost, wrong (a field differs) and extra rows of one table against what it should hold. */
function compareTable(db: string, table: string, want: Rows, extrasAllowed: boolean) {
  const { live, deleted, duplicated } = tableOf(db, table);
  let lost = 0;
  let wrong = 0;
  for (const [id, row] of want) {
    const got = live.get(id);
    if (!got) lost++;
    else if (Object.entries(row).some(([k, v]) => !Bun.deepEquals(got[k], v))) wrong++;
  }
  const extra = [...live.keys()].filter((id) => !want.has(id)).length;
  const falseDeletes = [...deleted].filter((id) => want.has(id)).length;
  return { lost, wrong: wrong + (extrasAllowed ? 0 : extra), extra, duplicated, falseDeletes, rows: live.size };
}

/** Runs the sync, SIGKILLed after `ms` (none when null); whether the kill landed, and the exit code otherwise. */
async function syncKilledAfter(
  config: string,
  db: string,
  args: string[],
  ms: number | null,
): Promise<{ killed: boolean; code: number | null; stderr: string }> {
  const proc = Bun.spawn([await connectorBinary(), "sync", "--config", config, "--db", db, "--concurrency", "2", "--quiet", ...args], {
    stdout: "ignore",
    stderr: "pipe",
    stdin: "ignore",
  });
  const timer = ms === null ? undefined : setTimeout(() => proc.kill("SIGKILL"), ms);
  const stderr = await new Response(proc.stderr).text();
  await proc.exited;
  clearTimeout(timer);
  return { killed: proc.signalCode === "SIGKILL", code: proc.exitCode, stderr };
}

/**
 * Runs SIGKILLed at random moments in `window` until `kills` have landed, then runs until one finishes. A run that
 * ends before its kill (a short incremental one) narrows the window to its own length, so the kills keep landing.
 */
async function killThenFinish(
  config: string,
  db: string,
  args: string[],
  kills: number,
  window: [number, number],
  random: () => number,
): Promise<{ landed: number; runs: number }> {
  let [landed, runs, upper] = [0, 0, window[1]];
  while (landed < kills && runs < kills * 4) {
    runs++;
    const started = performance.now();
    const run = await syncKilledAfter(config, db, args, window[0] + random() * (upper - window[0]));
    if (run.killed) landed++;
    else if (run.code === 0) upper = Math.max(window[0] + 10, (performance.now() - started) * 0.9);
    else throw new Error(`streams: a sync exited ${run.code}: ${run.stderr.slice(-400)}`);
  }
  // The resumes run without `args`: a killed full refresh is finished by the plain sync that resumes it.
  const done = await syncKilledAfter(config, db, [], null);
  if (done.code !== 0) throw new Error(`streams: the finishing sync exited ${done.code}: ${done.stderr.slice(-400)}`);
  return { landed, runs: runs + 1 };
}

export async function streamsTorture(size: Size, random: () => number): Promise<Row[]> {
  const records = Math.max(1000, Math.round(size.records / 5));
  const args = ["--records", String(records), "--seed", "79", "--delete-share", "0.3", "--max-page-size", "1000"];
  return withMock([...args, ...(size.latencyMs ? ["--latency-ms", "1"] : [])], async (mock) => {
    const db = tempDb();
    const config = join(dirname(db), "configuration.json");
    const streams = SHOP_STREAMS;
    writeFileSync(config, JSON.stringify({ base_url: mock.url, page_size: 50, params: {}, checkpoint_rows: 150, streams }));
    // A kill lands anywhere in a first sync (measured quiet, once): inside any stream, the child's parents included.
    const timed = performance.now();
    const probe = tempDb();
    await syncKilledAfter(config, probe, [], null);
    const window: [number, number] = [50, Math.max(500, performance.now() - timed)];
    const rows: Row[] = [];

    await setMutationRate(mock, size.writesPerSec);
    const killed = await killThenFinish(config, db, [], size.kills, window, random);
    await setMutationRate(mock, 0);
    const quiet = await syncKilledAfter(config, db, [], null);
    const want = await expectedNow(mock);
    // An incremental sync cannot see hard deletes (extra rows allowed), nor orders changed while their user did not
    // (the child reads the children of users written since its last pass): the child is checked after the refresh.
    const top = TABLES.slice(0, 3).map((t) => compareTable(db, t, want[t], true));
    const live = verdictRow(
      "7 streams kill+live",
      db,
      killed.runs + 1,
      `${killed.landed} kills in ${window.map(Math.round).join("-")} ms, live change`,
      top,
      quiet.code,
    );
    rows.push({ ...live, result: killed.landed === 0 && live.result === "ok" ? "TOO WEAK" : live.result });

    await setMutationRate(mock, size.writesPerSec);
    const refreshKilled = await killThenFinish(config, db, ["--full-refresh"], Math.max(2, Math.round(size.kills / 2)), window, random);
    await setMutationRate(mock, 0);
    const settled = await expectedNow(mock);
    const falseDeletes = TABLES.map((t) => compareTable(db, t, settled[t], true).falseDeletes).reduce((a, b) => a + b, 0);
    const final = await syncKilledAfter(config, db, ["--full-refresh"], null);
    const exact = TABLES.map((t) => compareTable(db, t, settled[t], false));
    const gone = TABLES.map((t) => tableOf(db, t).deleted.size).reduce((a, b) => a + b, 0);
    const row = verdictRow(
      "7 streams hard deletes",
      db,
      refreshKilled.runs + 1,
      `${refreshKilled.landed} kills in a full refresh, ${gone} rows marked deleted`,
      exact,
      final.code,
    );
    rows.push({
      ...row,
      lost: row.lost + falseDeletes,
      result: falseDeletes > 0 ? "FAIL" : gone === 0 ? "TOO WEAK" : row.result,
      note: falseDeletes ? `${falseDeletes} live rows marked deleted` : row.note,
    });
    return rows;
  });
}

function verdictRow(scenario: string, db: string, runs: number, injected: string, tables: ReturnType<typeof compareTable>[], code: number | null): Row {
  const sum = (k: "lost" | "wrong" | "duplicated" | "rows") => tables.reduce((a, t) => a + t[k], 0);
  const [lost, wrong, duplicated] = [sum("lost"), sum("wrong"), sum("duplicated")];
  const intact = integrityOk(db);
  const ok = code === 0 && intact && lost + wrong + duplicated === 0;
  const note = `rows ${tables.map((t) => t.rows).join("/")}${code === 0 ? "" : `, exit ${code}`}${intact ? "" : ", integrity_check failed"}`;
  return { scenario, strategy: "4 streams, --concurrency 2", runs, rows: sum("rows"), injected, lost, duplicated, wrong, result: ok ? "ok" : "FAIL", note };
}
