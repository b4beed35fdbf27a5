// The two ceilings of scripts/bench.ts, each in its own process, on the rows and schema the sync writes:
//   mock:  the sync's own requests, parsing and validation against the running mock, with a store that writes nothing
//   store: the same pages upserted into a fresh database with SqliteStore, no HTTP (timed: open, every page written
//          and committed as the sync commits, and close, which checkpoints the WAL into the database as the sync's does)
//   bun scripts/bench-ceiling.ts --config FILE --mode mock|store --work DIR     prints one JSON line
import { rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../src/config/load";
import { checkpointPolicy, Checkpoints } from "../src/connector/writer/checkpoints";
import { SQL_TYPE } from "../src/connector/columns";
import { runSync } from "../src/connector/driver";
import { silentLogger } from "../src/connector/log";
import { SqliteStore } from "../src/store/sqlite-store";
import type { Row, Store, StreamState, TableSpec } from "../src/store/types";

const { values } = parseArgs({ args: Bun.argv.slice(2), options: { config: { type: "string" }, mode: { type: "string" }, work: { type: "string" } } });
const { config } = loadConfig({ file: values.config, overrides: {}, env: {}, cwd: values.work ?? "." });
const work = values.work ?? ".";

/** Keeps the state in memory and writes no row; `onPage` sees what would have been committed. */
function nullStore(onPage: (rows: readonly Row[], state: StreamState) => void = () => {}): Store {
  return {
    readState: () => null,
    writePage(_spec, rows, state) {
      onPage(rows, state);
      return { inserted: rows.length, updated: 0, unchanged: 0, stale: 0 };
    },
    checkpoint: () => true,
    saveState() {},
    close() {},
  };
}

async function sync(store: Store) {
  const started = performance.now();
  const summary = await runSync(config, { store, logger: silentLogger, fetch: (request) => fetch(request), sleep: (ms) => Bun.sleep(ms), now: () => Date.now(), random: Math.random });
  return { rows: summary.rows, requests: summary.requests, seconds: (performance.now() - started) / 1000 };
}

if (values.mode === "mock") {
  const { rows, requests, seconds } = await sync(nullStore());
  console.log(JSON.stringify({ mode: "mock", rows, requests, seconds, rowsPerSec: rows / seconds }));
} else if (values.mode === "store") {
  // Capture the pages to a file first (untimed), then replay them into SQLite, timing only the commits.
  const pages = join(work, "pages.ndjson");
  const writer = Bun.file(pages).writer();
  await sync(nullStore((rows, state) => void writer.write(`${JSON.stringify({ rows, state })}\n`)));
  await writer.end();
  const db = join(work, "ceiling.db");
  let started = performance.now();
  const store = SqliteStore.open(db, { exclusive: true });
  let ms = performance.now() - started;
  const spec: TableSpec = { table: config.table, primaryKey: config.primary_key, cursorField: config.cursor_field, columnTypes: Object.fromEntries(Object.entries(config.columns).map(([name, type]) => [name, SQL_TYPE[type]])) };
  // Committed as the sync commits: the same checkpoint policy, on the time spent writing.
  const checkpoints = new Checkpoints(store, checkpointPolicy(config), () => ms + performance.now() - started);
  let rows = 0;
  let rest = "";
  for await (const chunk of Bun.file(pages).stream().pipeThrough(new TextDecoderStream())) {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) {
      const page = JSON.parse(line) as { rows: Row[]; state: StreamState };
      started = performance.now();
      store.writePage(spec, page.rows, page.state);
      checkpoints.wrote(0, page.rows.length);
      if (checkpoints.due()) checkpoints.commit();
      ms += performance.now() - started;
      rows += page.rows.length;
    }
  }
  started = performance.now();
  checkpoints.commit();
  store.close();
  ms += performance.now() - started;
  for (const file of [pages, db, `${db}-wal`, `${db}-shm`]) rmSync(file, { force: true });
  console.log(JSON.stringify({ mode: "store", rows, seconds: ms / 1000, rowsPerSec: rows / (ms / 1000) }));
} else {
  console.error("bench-ceiling: --mode mock or --mode store");
  process.exit(2);
}
