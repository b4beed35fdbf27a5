// The two ceilings of scripts/bench.ts, each in its own process, on the rows and schema the sync writes:
//   mock:  the sync's own requests, parsing and validation against the running mock, into the in-memory store, rows dropped (state kept)
//   store: the same pages upserted into a fresh destination (openStore: --db, an SQLite file by default, or a
//          postgres:// URL), no HTTP (timed: open, every page written and committed as the sync commits, and close,
//          which checkpoints the WAL into the database as the sync's does)
//          --replay parsed|sliced: with the page's text turned into rows on the writer's thread, timed (bench-replay.ts)
//   bun scripts/bench-ceiling.ts --config FILE --mode mock|store --work DIR [--db FILE|URL] [--replay R]     prints one JSON line
import { rmSync } from "node:fs";
import { join } from "node:path";
import { scriptArgs } from "./script-args";
import { loadConfig } from "../src/config/load";
import { checkpointPolicy, Checkpoints } from "../src/connector/writer/checkpoints";
import { runSync } from "../src/connector/driver";
import { silentLogger } from "../src/connector/log";
import { MemoryDatabase, MemoryStore } from "../src/store/memory/memory-store";
import { openStore } from "../src/store/open";
import type { Row, Store, StreamState, TableSpec } from "../src/store/types";
import { REPLAYS, replayOf, type Replay } from "./bench-replay";

const { values } = scriptArgs(import.meta.path, {
  args: Bun.argv.slice(2),
  options: { config: { type: "string" }, mode: { type: "string" }, work: { type: "string" }, db: { type: "string" }, replay: { type: "string" } },
});
const replay = (values.replay ?? "objects") as Replay;
if (!REPLAYS.includes(replay)) {
  console.error(`bench-ceiling: --replay takes ${REPLAYS.join(", ")}, got '${values.replay}'`);
  process.exit(2);
}
const toRows = replayOf(replay);
const { config } = loadConfig({ file: values.config, overrides: {}, env: {}, cwd: values.work ?? "." });
const work = values.work ?? ".";

/**
 * A fresh in-memory store (no disk) that keeps state but no rows (ten million rows would not fit in memory);
 * `onPage` sees every page written, as the sync wrote it.
 */
function memoryStore(onPage: (rows: readonly Row[], state: StreamState) => void = () => {}): Store {
  const store = MemoryStore.open(new MemoryDatabase(), { mode: "writer", tables: [config.table] });
  const writePage = store.writePage.bind(store);
  store.writePage = (page) => (onPage(page.rows, page.state), writePage({ ...page, rows: [] }));
  return store;
}

async function sync(store: Store) {
  const started = performance.now();
  const summary = await runSync(config, {
    store,
    logger: silentLogger,
    fetch: (request) => fetch(request),
    sleep: (ms) => Bun.sleep(ms),
    now: () => Date.now(),
    random: Math.random,
  });
  return { rows: summary.rows, requests: summary.requests, seconds: (performance.now() - started) / 1000 };
}

if (values.mode === "mock") {
  const { rows, requests, seconds } = await sync(memoryStore());
  console.log(JSON.stringify({ mode: "mock", rows, requests, seconds, rowsPerSec: rows / seconds }));
} else if (values.mode === "store") {
  // Capture the pages to a file first (untimed), then replay them into the store, timing only the commits.
  const pages = join(work, "pages.ndjson");
  const writer = Bun.file(pages).writer();
  await sync(memoryStore((rows, state) => void writer.write(`${JSON.stringify({ rows, state })}\n`)));
  await writer.end();
  const db = values.db ?? join(work, "ceiling.db");
  let started = performance.now();
  const store = await openStore(db, { mode: "writer", tables: [config.table] });
  let ms = performance.now() - started;
  const spec: TableSpec = { table: config.table, primaryKey: config.primary_key, cursorField: config.cursor_field, columns: config.columns };
  // Committed as the sync commits: the same checkpoint policy, on the time spent writing.
  const checkpoints = new Checkpoints(store, checkpointPolicy(config), () => ms + performance.now() - started);
  let rows = 0;
  let rest = "";
  for await (const chunk of Bun.file(pages).stream().pipeThrough(new TextDecoderStream())) {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) {
      const page = JSON.parse(line) as { rows: Row[]; state: StreamState };
      const ready = toRows(line, page.rows);
      started = performance.now();
      const pageRows = ready();
      await store.writePage({ spec, rows: pageRows, state: page.state });
      checkpoints.wrote(0, pageRows.length);
      if (checkpoints.due()) await checkpoints.commit();
      ms += performance.now() - started;
      rows += pageRows.length;
    }
  }
  started = performance.now();
  await checkpoints.commit();
  await store.close();
  ms += performance.now() - started;
  for (const file of [pages, db, `${db}-wal`, `${db}-shm`]) rmSync(file, { force: true });
  console.log(JSON.stringify({ mode: "store", replay, rows, seconds: ms / 1000, rowsPerSec: rows / (ms / 1000) }));
} else {
  console.error("bench-ceiling: --mode mock or --mode store");
  process.exit(2);
}
