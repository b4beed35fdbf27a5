// Store-only bench: N users shaped like the mock's (random uuid keys, rows in updatedAt order as a keyset sync
// reads them) written into a fresh SQLite file through SqliteStore in pages, committed in checkpoints as the sync
// commits them; prints rows/s and RSS for every million rows (or every tenth of N), so the cost of size shows.
// Only the store's calls are timed (the rows are generated outside the clock, from a fixed seed: every variant
// writes the same rows). Variants are experiments on the write path, compared against `base` (today's store):
//   sort      a checkpoint's pages sorted by key and written as one page (locality over the checkpoint)
//   filter    with pending: the table's keys as fingerprints in memory, so that a new key skips the index read
//   pending   exact per-page counts against a temp table of the checkpoint's rows, merged in key order (bench-store-pending.ts)
//   stage     a checkpoint's rows staged in an unindexed temp table, merged with one INSERT … SELECT … ORDER BY key
//   cacheN    PRAGMA cache_size of N MB;  mmapN  PRAGMA mmap_size of N MB;  pageN  page_size N (fresh file)
//   ckN       checkpoints of N thousand rows instead of --checkpoint;  walN  wal_autocheckpoint of N thousand pages
//   grow      checkpoints as large as the store asks (Store.checkpointRows), as the sync's writer grows them
//   nomerge   the store never merges pending rows in key order (today's store before it did);  mergeN  from N thousand rows
// Variants combine with '+': `sort+cache128`.
//   bun scripts/bench-store.ts --rows 1000000 --variant base [--page 1000] [--checkpoint 50000] [--dir /tmp] [--json]
import { Database } from "bun:sqlite";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { scriptArgs } from "./script-args";
import { SqliteStore } from "../src/store/sqlite/sqlite-store";
import { upsertSql } from "../src/store/sqlite/upsert-sql";
import { KeyFilter, Pending } from "./bench-store-pending";
import type { Row, TableSpec } from "../src/store/types";

const { values } = scriptArgs(import.meta.path, {
  args: Bun.argv.slice(2),
  options: {
    rows: { type: "string" },
    variant: { type: "string" },
    page: { type: "string" },
    checkpoint: { type: "string" },
    dir: { type: "string" },
    json: { type: "boolean" },
  },
});
const total = Number(values.rows ?? 1_000_000);
const pageSize = Number(values.page ?? 1000);
const variant = values.variant ?? "base";
const parts = new Set(variant.split("+"));
const number = (prefix: string) => {
  const part = [...parts].find((p) => new RegExp(`^${prefix}\\d+$`).test(p));
  return part === undefined ? null : Number(part.slice(prefix.length));
};
const checkpointRows = (number("ck") ?? 0) * 1000 || Number(values.checkpoint ?? 50_000);
const spec: TableSpec = { table: "users", primaryKey: ["id"], cursorField: "updatedAt" };

/** xorshift128+: the same rows for every variant and run. */
let s0 = 0x9e3779b9n;
let s1 = 0x243f6a88n;
const MASK = (1n << 64n) - 1n;
function next64(): bigint {
  let x = s0;
  const y = s1;
  s0 = y;
  x = (x ^ (x << 23n)) & MASK;
  s1 = x ^ y ^ (x >> 17n) ^ (y >> 26n);
  return (s1 + y) & MASK;
}
const hex = (n: bigint, width: number) => n.toString(16).padStart(width, "0").slice(-width);
const WORDS = ["Amelia", "Jonas", "Keller", "Morales", "Harbor", "Quinn", "Sato", "Okafor", "Lindqvist", "Patel", "Rivera", "Nguyen"];
const start = Date.parse("2020-01-01T00:00:00Z");

/** The i-th user: field lengths like the mock's (about 230 bytes of JSON). */
function user(i: number): Row {
  const a = next64();
  const b = next64();
  const id = `${hex(a >> 32n, 8)}-${hex(a >> 16n, 4)}-4${hex(a, 3)}-${hex(b >> 48n, 4)}-${hex(b, 12)}`;
  const w = (k: number) => WORDS[Number((a >> BigInt(k * 4)) & 0xfn) % WORDS.length];
  const first = w(1);
  const last = w(2);
  const stamp = `${new Date(start + i * 1000).toISOString().slice(0, 19)}Z`;
  return {
    id,
    name: `${first} ${last}`,
    email: `${first}.${last}${i % 997}@example.com`.toLowerCase(),
    address: `${(i % 9000) + 100} ${w(3)} Street, ${w(4)}ville, ${w(5)} ${10000 + (i % 89999)}`,
    company: `${w(6)} ${w(7)} and Sons`,
    job: `Senior ${w(8)} Engineer`,
    createdAt: `${new Date(start - 86_400_000 + (i % 86400) * 1000).toISOString().slice(0, 19)}Z`,
    updatedAt: stamp,
  };
}

function memoryMb(): { rss: number; peak: number } {
  const status = readFileSync("/proc/self/status", "utf8");
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
  return { rss: Math.round(kb("VmRSS") / 1024), peak: Math.round(kb("VmHWM") / 1024) };
}

const work = mkdtempSync(join(values.dir ?? tmpdir(), "bench-store-"));
const file = join(work, "store.db");
const pageBytes = number("page");
if (pageBytes !== null) {
  // The page size is fixed once the first table exists: set it on the fresh file before the store opens it.
  const db = new Database(file, { create: true });
  db.run(`PRAGMA page_size = ${pageBytes}`);
  db.run("VACUUM");
  db.close();
}
let clock = 0;
/** Of the clock, the time in checkpoint() (with merging, most of the writing). */
let commitClock = 0;
let generationCpu = 0;
const cpuStart = process.cpuUsage();
const timed = async <T>(f: () => T | Promise<T>): Promise<T> => {
  const began = performance.now();
  try {
    return await f();
  } finally {
    clock += performance.now() - began;
  }
};
const mergeFrom = parts.has("nomerge") ? "Infinity" : number("merge") === null ? undefined : String((number("merge") as number) * 1000);
if (mergeFrom !== undefined) process.env.CONNECTOR_SQLITE_MERGE_FROM_ROWS = mergeFrom;
const store = await timed(() => SqliteStore.open(file, { mode: "writer", tables: [spec.table] }));
const cache = number("cache");
if (cache !== null) store.db.run(`PRAGMA cache_size = -${cache * 1024}`);
const wal = number("wal");
if (wal !== null) store.db.run(`PRAGMA wal_autocheckpoint = ${wal * 1000}`);
const mmap = number("mmap");
if (mmap !== null) store.db.run(`PRAGMA mmap_size = ${mmap * 2 ** 20}`);

/** stage: the checkpoint's rows go to an unindexed temp table; the merge upserts them in key order. */
class Stage {
  private insert: ReturnType<Database["prepare"]> | null = null;
  private merge: ReturnType<Database["prepare"]> | null = null;
  private readonly names = ["id", "name", "email", "address", "company", "job", "createdAt", "updatedAt"];
  add(rows: readonly Row[]): void {
    const db = store.db;
    if (!this.insert) {
      db.run(`CREATE TEMP TABLE stage (${this.names.map((n) => `"${n}"`).join(", ")}, "_synced_at")`);
      this.insert = db.prepare(`INSERT INTO temp.stage VALUES (${this.names.map(() => "?").join(", ")}, ?)`);
    }
    const now = new Date().toISOString();
    for (const row of rows) this.insert.run(...this.names.map((n) => row[n] as string), now);
  }
  flush(): number {
    const db = store.db;
    if (!this.merge) {
      const cols = [...this.names, "_synced_at"].map((n) => `"${n}"`).join(", ");
      const sql = upsertSql(spec, this.names).replace(/VALUES \([^)]*\)/, `SELECT ${cols}, 0 FROM temp.stage WHERE true ORDER BY "id"`);
      this.merge = db.prepare(sql);
    }
    const { changes } = this.merge.run();
    db.run("DELETE FROM temp.stage");
    return changes;
  }
  /** Unfinalized statements would keep the connection open past close (and the WAL unmerged). */
  finalize(): void {
    this.insert?.finalize();
    this.merge?.finalize();
  }
}

const stage = parts.has("stage") ? new Stage() : null;
let pendingRows: Pending | null = null;
// filter: the pending variant with the table's keys in memory (the table starts empty, so nothing to load).
const filter = parts.has("filter") ? new KeyFilter(Math.max(16, Math.ceil(Math.log2(total * 1.6)))) : undefined;
const counted = { inserted: 0, updated: 0, unchanged: 0, stale: 0 };
const sort = parts.has("sort");
const report: { rows: number; seconds: number; rowsPerSec: number; segmentRowsPerSec: number; rssMb: number; peakMb: number; walMb: number }[] = [];
const step = total >= 2_000_000 ? 1_000_000 : Math.max(pageSize, Math.round(total / 10));
let pending: Row[] = [];
let inCheckpoint = 0;
let grown = checkpointRows;
let lastRows = 0;
let lastClock = 0;
const state = (i: number) => ({ cursor: new Date(start + i * 1000).toISOString(), page: i / pageSize });
const log = (line: string) => console.error(line);
log(`bench-store ${variant}: ${total} rows, page ${pageSize}, checkpoint ${checkpointRows}, load ${loadavg()[0]?.toFixed(2)}, ${file}`);

async function commit(done: number): Promise<void> {
  if (stage) await timed(() => stage.flush());
  if (pendingRows) await timed(() => pendingRows?.flush());
  if (sort && pending.length > 0) {
    const rows = pending.toSorted((x, y) => ((x.id as string) < (y.id as string) ? -1 : (x.id as string) > (y.id as string) ? 1 : 0));
    await timed(() => store.writePage({ spec, rows, state: state(done) }));
  }
  pending = [];
  const before = clock;
  await timed(() => store.checkpoint());
  commitClock += clock - before;
  inCheckpoint = 0;
}

for (let done = 0; done < total; ) {
  const rows: Row[] = [];
  const generating = process.cpuUsage();
  for (let k = 0; k < pageSize && done + k < total; k++) rows.push(user(done + k));
  const generated = process.cpuUsage(generating);
  generationCpu += (generated.user + generated.system) / 1e6;
  done += rows.length;
  if (stage && done > pageSize) {
    if (!store.db.inTransaction) await timed(() => store.db.run("BEGIN IMMEDIATE"));
    await timed(() => stage.add(rows));
  } else if (sort) pending.push(...rows);
  else if (pendingRows) {
    if (!store.db.inTransaction) await timed(() => store.db.run("BEGIN IMMEDIATE"));
    const counts = await timed(() => (pendingRows as Pending).write(rows, new Date().toISOString(), filter));
    for (const k of ["inserted", "updated", "unchanged", "stale"] as const) counted[k] += counts[k];
  } else {
    const counts = await timed(() => store.writePage({ spec, rows, state: state(done) }));
    for (const k of ["inserted", "updated", "unchanged", "stale"] as const) counted[k] += counts[k];
    if (parts.has("pending")) pendingRows = new Pending(store.db, spec, ["id", "name", "email", "address", "company", "job", "createdAt", "updatedAt"]);
    for (const row of rows) filter?.add(row.id as string);
  }
  if (inCheckpoint === 0 && parts.has("grow")) grown = Math.max(checkpointRows, store.checkpointRows(spec.table));
  inCheckpoint += rows.length;
  if (inCheckpoint >= grown || done === total) await commit(done);
  if (done % step === 0 || done === total) {
    let walMb = 0;
    try {
      walMb = Math.round(statSync(`${file}-wal`).size / 2 ** 20);
    } catch {}
    const m = memoryMb();
    const line = {
      rows: done,
      seconds: clock / 1000,
      rowsPerSec: done / (clock / 1000),
      segmentRowsPerSec: (done - lastRows) / ((clock - lastClock) / 1000),
      rssMb: m.rss,
      peakMb: m.peak,
      walMb,
    };
    report.push(line);
    log(
      `  ${done.toLocaleString("en")} rows: ${Math.round(line.segmentRowsPerSec)} rows/s this segment, ${Math.round(line.rowsPerSec)} overall, commits ${(commitClock / 1000).toFixed(1)} s, RSS ${m.rss} MB (peak ${m.peak}), WAL ${walMb} MB, load ${loadavg()[0]?.toFixed(2)}`,
    );
    lastRows = done;
    lastClock = clock;
  }
}
stage?.finalize();
pendingRows?.finalize();
await timed(() => store.close());
const dbMb = Math.round(statSync(file).size / 2 ** 20);
// CPU seconds of the process less the rows' generation: on a shared machine, wall time also counts waiting.
const used = process.cpuUsage(cpuStart);
const cpuSeconds = (used.user + used.system) / 1e6 - generationCpu;
const systemSeconds = used.system / 1e6;
if (!stage && !sort && counted.inserted !== total) throw new Error(`counted ${JSON.stringify(counted)} for ${total} new rows`);
const result = {
  variant,
  rows: total,
  pageSize,
  checkpointRows,
  seconds: clock / 1000,
  rowsPerSec: total / (clock / 1000),
  peakMb: memoryMb().peak,
  dbMb,
  cpuSeconds,
  systemSeconds,
  load: loadavg()[0],
  segments: report,
};
log(
  `${variant}: ${total} rows in ${(clock / 1000).toFixed(1)} s: ${Math.round(result.rowsPerSec)} rows/s (with close), CPU ${cpuSeconds.toFixed(1)} s (system ${systemSeconds.toFixed(1)}), peak RSS ${result.peakMb} MB, db ${dbMb} MB, load ${loadavg()[0]?.toFixed(2)}`,
);
rmSync(work, { recursive: true, force: true });
if (values.json) console.log(JSON.stringify(result));
