// Shared pieces of the torture harness: sizes, a seeded PRNG, the mock binary, the oracle and the verdict row.
import { Database } from "bun:sqlite";
import { join } from "node:path";
import { dataset, type User } from "../../testkit/oracle";
import { startMockBinary, type RunningMock } from "../../testkit/processes";
import { tableRows } from "../../testkit/db";
import { tempFolder } from "../../testkit/temp";

export { STRATEGY_NAMES as STRATEGIES } from "../../src/connector/paginators/registry";
export type { PaginatedStrategy as Strategy } from "../../src/connector/paginators/types";

export interface Size {
  records: number;
  kills: number;
  pageSizes: number[];
  writesPerSec: number;
  /** A kill lands this many ms after the sync starts (uniformly between the two). */
  killWindowMs: [number, number];
  /** Per-request mock latency in the live-change scenario and its control, so a scan spans many change ticks. */
  latencyMs: number;
  /** Records behind the HTTP-fault scenario (every fault costs real waiting, so fewer than the others). */
  faultRecords: number;
}
export const SIZES: Record<"full" | "ci", Size> = {
  full: { records: 100_000, kills: 30, pageSizes: [50, 1000], writesPerSec: 300, killWindowMs: [30, 200], latencyMs: 0, faultRecords: 20_000 },
  // Small and fast; a little latency keeps a scan long enough that the negative control still loses rows.
  ci: { records: 5_000, kills: 5, pageSizes: [50, 200], writesPerSec: 300, killWindowMs: [20, 160], latencyMs: 3, faultRecords: 2_000 },
};

export interface Row {
  scenario: string;
  strategy: string;
  runs: number;
  rows: number;
  injected: string;
  lost: number;
  duplicated: number;
  wrong: number;
  result: "ok" | "FAIL" | "TOO WEAK";
  note?: string;
}

export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function withMock<T>(args: string[], work: (mock: RunningMock) => Promise<T>): Promise<T> {
  const mock = await startMockBinary(args);
  try {
    return await work(mock);
  } finally {
    await mock.stop();
  }
}

export const oracle = (mock: RunningMock): Promise<Map<string, User>> => dataset((request) => fetch(request), mock.url);

export async function setMutationRate(mock: RunningMock, perSec: number): Promise<void> {
  const response = await fetch(`${mock.url}/_mock/mutations`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ per_sec: perSec }),
  });
  if (response.status !== 200) throw new Error(`POST /_mock/mutations answered ${response.status}`);
}

/** Compares a synced table with expected rows (all, or only `ids`): lost, wrong, extra, duplicated, integrity. */
export function compare(db: string, expected: Map<string, User>, ids?: Iterable<string>) {
  const table = tableRows(db);
  let lost = 0;
  let wrong = 0;
  for (const id of ids ?? expected.keys()) {
    const want = expected.get(id);
    const got = table.get(id);
    if (!want) continue;
    if (!got) lost++;
    else if (Object.keys(want).some((k) => got[k] !== want[k])) wrong++;
  }
  const extra = ids ? 0 : [...table.keys()].filter((id) => !expected.has(id)).length;
  const sqlite = new Database(db);
  const exists = sqlite.query("SELECT 1 FROM sqlite_master WHERE name = 'user'").get() !== null;
  const dup = exists ? (sqlite.query('SELECT count(*) - count(DISTINCT id) AS d FROM "user"').get() as { d: number }).d : 0;
  const integrity = (sqlite.query("PRAGMA integrity_check").get() as { integrity_check: string }).integrity_check;
  sqlite.close();
  return { lost, wrong: wrong + extra, duplicated: dup, integrityOk: integrity === "ok", rows: table.size };
}

export function syncArgs(mock: RunningMock, strategy: string, db: string, pageSize: number, config?: string): string[] {
  const base = config ? ["--config", config] : ["--base-url", `${mock.url}/pagination/${strategy}`];
  // --verbose: the page log lines (loggedRows counts them). link_header runs on auto-detection (which also finds
  // its top-level array): that is how users meet it.
  return [
    "sync",
    ...base,
    "--strategy",
    strategy === "link_header" ? "auto" : strategy,
    "--page-size",
    String(pageSize),
    "--db",
    db,
    "--log",
    "json",
    "--verbose",
  ];
}

/** Rows the page log lines of a run report (a killed run's stderr included). */
export function loggedRows(stderr: string): number {
  let rows = 0;
  for (const line of stderr.split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      const entry = JSON.parse(line) as { message?: string; rows?: number };
      if (entry.message?.startsWith("page ") && typeof entry.rows === "number") rows += entry.rows;
    } catch {}
  }
  return rows;
}

/** A database in a folder of its own: removed at exit, kept when the harness fails (to look at). */
export const tempDb = (): string => join(tempFolder("connector-torture-", true), "t.db");
