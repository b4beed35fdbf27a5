import { isNumberText } from "../instants";
import type { ConfigOverrides } from "../config/load";
import type { SyncConfig } from "../config/schema";
import { loadStreams, type StreamDef } from "../config/streams";
import { runSync, sourceOf, type SyncDeps, type SyncSummary } from "../connector/driver";
import { escapeControl } from "../connector/escape";
import { createLogger, silentLogger, type Logger } from "../connector/log";
import { STRATEGIES, strategyList } from "../connector/paginators/registry";
import { runPriorityFirst } from "../connector/priority";
import { Redactor } from "../secrets";
import { parseState, unfinishedHistory } from "../connector/state";
import { UsageError } from "../errors";
import { openStore } from "../store/open";
import type { Store } from "../store/types";
import { defineCommand } from "./command";
import { receivedSignal, type Io } from "./io";
import { Progress, progressMode } from "./progress";
import { formatSummary } from "./sync-output";
import { errorOf, outcomeJson, reportFailure, statusOf } from "./sync-outcome";
import { killSwitch, recordRun } from "./sync-hooks";
import { streamsExitCode, syncStreams, type StreamsReport } from "./sync-streams";
import { formatStreams, streamsJson } from "./streams-output";

export const syncCommand = defineCommand({
  name: "sync",
  summary: "Incrementally sync an HTTP JSON API (or the embedded mock) into SQLite",
  usage: "connector sync [--config FILE] [--base-url URL] [--strategy S] [--db FILE|URL] [--mock] [options]",
  details: [
    "Pages through the API, upserts every record into a SQLite table and saves the cursor in the same",
    "database, in the same transaction (a checkpoint: every 50,000 rows or every second, see --checkpoint-rows):",
    "a sync stopped at any moment resumes from its last checkpoint, nothing lost or duplicated.",
    "Flags override the configuration file (configuration.json in this folder, if present).",
    "",
    "Examples:",
    "  connector sync --mock                                   sync the embedded mock into connector.db",
    "  connector sync --base-url http://127.0.0.1:5001/pagination/offset",
    "  connector sync --config configuration.json --db data/users.db",
    "  connector sync --base-url URL --priority-first --window 24h --max-duration 30m",
    "",
    "A table belongs to one source (URL origin and path, params, cursor field, primary key): a sync from another",
    "one is refused with exit 2 before any request; use --table NAME, connector reset, or --source-moved.",
    "",
    "--full-refresh reads every row from initial_cursor and, when it has read the last page, marks the rows it",
    "did not find _deleted = 1 (soft deletes; nothing is removed). A killed full refresh is finished by the next sync.",
    "",
    'A configuration with "streams": [...] syncs several tables in one run, a stream\'s keys over the top-level ones;',
    "a child stream's path names its parent's fields ({users.id}). --stream NAME picks streams, --concurrency N runs",
    "up to N at once; one failing stream does not stop the others (exit 1). See the README's Several streams.",
    "",
    "--priority-first syncs the newest window first, then history backwards one window at a time until",
    "--max-duration is spent (exit 0); later runs sync what is new, then continue the history.",
    "",
    "Strategies (--strategy; auto detects one from the first response):",
    ...Object.entries(STRATEGIES).map(([name, { description }]) => `  ${name.padEnd(15)}${description}`),
  ].join("\n"),
  flags: {
    config: { type: "string", value: "FILE", help: "configuration file", default: "configuration.json if present" },
    "base-url": { type: "string", value: "URL", help: "the first page's URL (configuration: base_url)" },
    strategy: { type: "string", value: "S", help: `auto, ${strategyList()}`, default: "auto" },
    "page-size": { type: "number", value: "N", help: "records per request", default: 50, integer: true },
    db: {
      type: "string",
      value: "FILE",
      help: "SQLite file, or postgres://user:password@host/db, for rows and state (or db in the configuration)",
      default: "connector.db",
    },
    table: { type: "string", value: "NAME", help: "destination table", default: "user" },
    "cursor-field": { type: "string", value: "FIELD", help: "record field that orders changes", default: "updatedAt" },
    "initial-cursor": { type: "string", value: "TIME|N", help: "where the first sync starts (a number for a numeric cursor)", default: "0001-01-01T00:00:00Z" },
    "lookback-seconds": { type: "number", value: "N", help: "re-read this much before the saved cursor", default: 0, integer: true },
    "full-refresh": { type: "boolean", help: "read everything again and mark rows the source no longer has _deleted = 1" },
    "priority-first": { type: "boolean", help: "the newest window first, then history backwards within --max-duration" },
    window: { type: "string", value: "DURATION", help: "priority-first: the newest window and each history window (24h, 90m, 7d, 3600s)", default: "24h" },
    "max-duration": { type: "string", value: "DURATION", help: "priority-first: the time budget of one run; history stops there", default: "30m" },
    "history-limit": { type: "string", value: "TIME", help: "priority-first: how far back history goes", default: "the oldest row" },
    "checkpoint-rows": { type: "number", value: "N", help: "commit rows and state once N rows are written (1: every page)", default: 50000, integer: true },
    "checkpoint-seconds": { type: "number", value: "N", help: "commit at least every N seconds (0.5 too), also while waiting (0: every page)", default: 1 },
    "max-pages": { type: "number", value: "N", help: "stop with an error after this many pages (a guard)", integer: true },
    "source-moved": { type: "boolean", help: "the table's API moved to a new address: keep its rows and cursor for this base URL" },
    mock: { type: "boolean", help: "start the embedded mock on a free loopback port and sync from it" },
    "mock-records": { type: "number", value: "N", help: "rows in the embedded mock (with --mock)", default: 200, integer: true, min: 0, max: 10_000_000 },
    "mock-seed": {
      type: "number",
      value: "N",
      help: "seed of the embedded mock (with --mock); the same seed serves the same data",
      default: 1,
      integer: true,
      min: 0,
    },
    stream: { type: "strings", value: "NAME", help: "with a configuration of several streams: sync only this one (repeatable)", default: "every stream" },
    concurrency: {
      type: "number",
      value: "N",
      help: "with several streams: run up to N independent streams at once",
      default: 1,
      integer: true,
      min: 1,
      max: 32,
    },
    log: { type: "string", value: "FORMAT", help: "text, or json: JSON lines on stderr and one JSON outcome on stdout", default: "text" },
    quiet: { type: "boolean", help: "print only the summary" },
    verbose: { type: "boolean", help: "log every page (off a terminal, progress is otherwise a line every 5 s)" },
  },
  async run({ flags }, io: Io): Promise<number> {
    const json = flags.log === "json";
    const progress = new Progress(progressMode({ isTTY: io.isTTY, env: io.env, format: json ? "json" : "text", quiet: flags.quiet === true }), io.stderr);
    const logger = flags.quiet ? silentLogger : createLogger(json ? "json" : "text", progress.write, undefined, flags.verbose === true);
    let latest: SyncSummary | null = null;
    // Knows every secret once the configuration is loaded (and a session token once logged in).
    const redactor = new Redactor();
    try {
      const outcome = await sync(flags, io, logger, redactor, (s) => {
        latest = s;
        progress.update(s);
      });
      progress.clear();
      if ("results" in outcome) {
        io.stdout(redactor.redact(json ? streamsJson(outcome) : formatStreams(outcome, redactor.redact)));
        return streamsExitCode(outcome, io);
      }
      io.stdout(json ? outcomeJson("ok", outcome) : formatSummary(outcome).split("\n").map(escapeControl).join("\n"));
      return 0;
    } catch (error) {
      return reportFailure(error, latest, { ...io, stdout: (text) => io.stdout(redactor.redact(text)) }, json, (text) => progress.write(redactor.redact(text)));
    }
  },
});

type SyncFlags = Parameters<typeof syncCommand.run>[0]["flags"];

/** One sync as the flags say; records the run's outcome for `connector status`. Throws what ends it. */
async function sync(
  flags: SyncFlags,
  io: Io,
  logger: Logger,
  redactor: Redactor,
  onPage: (summary: SyncSummary) => void,
): Promise<SyncSummary | StreamsReport> {
  checkSyncFlags(flags);
  // Everything about the input is checked before a socket opens or a file is created.
  const { streams, multi, secrets } = loadStreams({ file: flags.config, overrides: overridesOf(flags), env: io.env, cwd: io.cwd });
  for (const secret of secrets) redactor.add(secret);
  if (multi) return syncStreams(streams, flags, { io, logger, redactor, onPage });
  if (flags.stream !== undefined || flags.concurrency !== undefined)
    throw new UsageError(`--${flags.stream !== undefined ? "stream" : "concurrency"} applies to a configuration with "streams": this one syncs one table`);
  const { config } = streams[0] as StreamDef;
  if (flags["full-refresh"] && config.priority_first)
    throw new UsageError(
      "--full-refresh cannot be combined with a priority-first sync: a full refresh reads every row in one pass; run it without --priority-first (priority_first: false)",
    );
  // --db wins over the configuration's db (a postgres:// URL there is usually "${DATABASE_URL}").
  const dbPath = flags.db ?? config.db ?? "connector.db";

  let mock: EmbeddedMock | null = null;
  let store: Store | null = null;
  try {
    // Another program's table in --db is refused, and a second sync, before anything touches the file.
    store = await openStore(dbPath, { mode: "writer", tables: [config.table], schema: config.schema ?? undefined });
    mock = flags.mock ? await startEmbeddedMock(flags, config, logger) : null;
    const deps: SyncDeps = {
      store,
      logger,
      fetch: (request) => fetch(request),
      sleep: (ms, signal) => Bun.sleep(ms).then(() => signal?.throwIfAborted()),
      now: () => Date.now(),
      random: Math.random,
      signal: io.signal,
      redactor,
      onPage,
      onStep: killSwitch(io.env.CONNECTOR_TEST_KILL_AT),
      // The embedded mock is one dataset whatever its random port: its seed and size name it.
      source: { name: mock ? `the embedded mock (seed ${mock.mock.seed}, ${mock.mock.size()} records)` : undefined, moved: flags["source-moved"] === true },
    };
    return await syncRecorded(config, deps, { fullRefresh: flags["full-refresh"] === true, io, redactor });
  } finally {
    await store?.close();
    await mock?.stop();
  }
}

/** --initial-cursor: a number where it is written as one (a numeric cursor), else the text (a timestamp). */
function cursorFlag(value: string | undefined): string | number | undefined {
  return value !== undefined && isNumberText(value) ? Number(value) : value;
}

/** The flags that contradict each other, refused before the configuration is read. */
function checkSyncFlags(flags: SyncFlags): void {
  const logFormat = flags.log ?? "text";
  if (logFormat !== "text" && logFormat !== "json") throw new UsageError(`--log must be text or json, got '${logFormat}'`);
  if (flags.mock && flags["base-url"]) throw new UsageError("--mock and --base-url cannot be combined: --mock syncs from the embedded mock");
  if (!flags.mock && (flags["mock-records"] !== undefined || flags["mock-seed"] !== undefined))
    throw new UsageError("--mock-records and --mock-seed only apply with --mock");
}

/** The configuration keys the flags set (a flag wins over the file). */
function overridesOf(flags: SyncFlags): ConfigOverrides {
  return {
    base_url: flags.mock ? "http://127.0.0.1/" : flags["base-url"],
    strategy: flags.strategy,
    page_size: flags["page-size"],
    table: flags.table,
    cursor_field: flags["cursor-field"],
    initial_cursor: cursorFlag(flags["initial-cursor"]),
    lookback_seconds: flags["lookback-seconds"],
    max_pages: flags["max-pages"],
    checkpoint_rows: flags["checkpoint-rows"],
    checkpoint_seconds: flags["checkpoint-seconds"],
    priority_first: flags["priority-first"],
    window: flags.window,
    max_duration: flags["max-duration"],
    history_limit: flags["history-limit"],
  };
}

type EmbeddedMock = Awaited<ReturnType<typeof import("../mock").startMockServer>>;

/** --mock: the mock (and Faker with it) is loaded only then, so a plain sync starts faster without it. */
async function startEmbeddedMock(flags: SyncFlags, config: SyncConfig, logger: Logger): Promise<EmbeddedMock> {
  const mock = await (await import("../mock")).startMockServer({
    records: flags["mock-records"] ?? 200,
    seed: flags["mock-seed"] ?? 1,
    host: "127.0.0.1",
    port: 0,
    maxPageSize: Math.max(100, config.page_size),
  });
  config.base_url = `${mock.url}/pagination/${config.strategy === "auto" ? "keyset" : config.strategy}`;
  logger.log("info", `embedded mock serving ${mock.mock.size()} rows at ${mock.url} (seed ${mock.mock.seed})`);
  return mock;
}

/** Runs the sync with its start and end recorded in the store's runs, for `connector status`. */
async function syncRecorded(config: SyncConfig, deps: SyncDeps, run: { fullRefresh: boolean; io: Io; redactor: Redactor }): Promise<SyncSummary> {
  const { store, onPage } = deps;
  const { fullRefresh, io, redactor } = run;
  const record = await recordRun(store, config.table, redactor.redact(sourceOf(config)));
  let latest: SyncSummary | null = null;
  deps.onPage = (s) => {
    latest = s;
    onPage?.(s);
  };
  try {
    const summary = config.priority_first ? await runPriorityFirst(config, deps) : await runSync(config, deps, { fullRefresh });
    const unfinished = config.priority_first ? null : unfinishedHistory(parseState(await store.readState(config.table), config.table));
    if (unfinished) Object.assign(summary, { history: unfinished.history, warnings: [...summary.warnings, unfinished.warning] });
    await record("ok", summary);
    return summary;
  } catch (error) {
    const signal = receivedSignal(io);
    const message = statusOf(error) === "interrupted" && signal ? `stopped by ${signal}` : redactor.redact(errorOf(error).message);
    await record(statusOf(error), latest, { ...errorOf(error), message });
    throw error;
  }
}
