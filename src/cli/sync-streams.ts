// `connector sync` of a configuration with `streams`: one store for all the streams' tables, each stream run and
// recorded on its own (connector/streams.ts), one report with a block per stream and the totals.
import type { StreamDef } from "../config/streams";
import { sourceOf, type SyncDeps, type SyncSummary } from "../connector/driver";
import type { Logger } from "../connector/log";
import type { Redactor } from "../secrets";
import { unbraced } from "../connector/children";
import { runStreams, selectStreams, totalsOf, type StreamResult } from "../connector/streams";
import { isAppError, UsageError } from "../errors";
import { openStore } from "../store/open";
import type { Store } from "../store/types";
import { receivedSignal, type Io } from "./io";
import { killSwitch, recordRun } from "./sync-hooks";
import { errorOf } from "./sync-outcome";

export interface StreamsReport {
  results: StreamResult[];
  totals: SyncSummary;
}

export interface StreamsFlags {
  db?: string;
  mock?: boolean;
  "mock-records"?: number;
  "mock-seed"?: number;
  stream?: string[];
  concurrency?: number;
  "full-refresh"?: boolean;
  "source-moved"?: boolean;
}

export interface StreamsContext {
  io: Io;
  logger: Logger;
  redactor: Redactor;
  onPage: (summary: SyncSummary) => void;
}

/** Runs the selected streams into one store; a failing stream is in the report, not thrown. */
export async function syncStreams(defs: StreamDef[], flags: StreamsFlags, ctx: StreamsContext): Promise<StreamsReport> {
  const picked = selectStreams(defs, flags.stream);
  if (flags["full-refresh"] && picked.some((d) => d.config.priority_first))
    throw new UsageError(
      "--full-refresh cannot be combined with a priority-first stream: run the priority-first streams without it (--stream NAME picks streams)",
    );
  const first = (picked[0] as StreamDef).config;
  let mock: Awaited<ReturnType<typeof import("../mock").startMockServer>> | null = null;
  let store: Store | null = null;
  try {
    // The write lock covers every table of the sync; another program's table is refused before anything is written.
    store = await openStore(flags.db ?? first.db ?? "connector.db", {
      mode: "writer",
      tables: picked.map((d) => d.config.table),
      schema: first.schema ?? undefined,
    });
    if (flags.mock) {
      const pageSize = Math.max(100, ...picked.map((d) => d.config.page_size));
      mock = await (await import("../mock")).startMockServer({
        records: flags["mock-records"] ?? 200,
        seed: flags["mock-seed"] ?? 1,
        host: "127.0.0.1",
        port: 0,
        maxPageSize: pageSize,
      });
      for (const def of picked) def.config.base_url = `${mock.url}${pathOf(def.config.base_url)}`;
      ctx.logger.log("info", `embedded mock serving ${mock.mock.size()} rows at ${mock.url} (seed ${mock.mock.seed})`);
    }
    const mockName = mock ? `the embedded mock (seed ${mock.mock.seed}, ${mock.mock.size()} records)` : undefined;
    const started = Date.now();
    const deps: SyncDeps = {
      store,
      logger: ctx.logger,
      fetch: (request) => fetch(request),
      sleep: (ms, signal) => Bun.sleep(ms).then(() => signal?.throwIfAborted()),
      now: () => Date.now(),
      random: Math.random,
      signal: ctx.io.signal,
      redactor: ctx.redactor,
      onPage: ctx.onPage,
    };
    // Progress shows the whole sync: every stream's latest counts added up.
    const latest = new Map<string, StreamResult>();
    const progress = (def: StreamDef) => (summary: SyncSummary) => {
      latest.set(def.name, { name: def.name, table: def.config.table, status: "ok", summary });
      ctx.onPage(totalsOf([...latest.values()], (Date.now() - started) / 1000));
    };
    const results = await runStreams(picked, deps, {
      concurrency: flags.concurrency ?? 1,
      fullRefresh: flags["full-refresh"] === true,
      depsOf: (def, d) => ({
        ...d,
        logger: { log: (level, message, fields) => ctx.logger.log(level, message, { stream: def.name, ...fields }) },
        onStep: killSwitch(ctx.io.env.CONNECTOR_TEST_KILL_AT, def.name),
        onPage: progress(def),
        // The embedded mock is one dataset whatever its random port: its seed and size, and the stream's path, name it.
        source: { name: mockName && `${mockName} ${pathOf(def.config.base_url)}`, moved: flags["source-moved"] === true },
      }),
      onStart: (def, handle) => recordStream(def, handle, ctx),
    });
    return { results, totals: totalsOf(results, (Date.now() - started) / 1000) };
  } finally {
    await store?.close();
    await mock?.stop();
  }
}

/** A URL's path and query as written (a child's `{parent.field}` placeholders kept). */
function pathOf(url: string): string {
  return url.slice(new URL(url).origin.length);
}

/** Records a stream's run for `connector status`, as a single sync records its own. */
async function recordStream(def: StreamDef, store: Store, ctx: StreamsContext): Promise<(result: StreamResult) => Promise<void>> {
  const record = await recordRun(store, def.config.table, ctx.redactor.redact(unbraced(sourceOf(def.config))));
  return async ({ status, summary, error }) => {
    if (status === "ok" || status === "not_run") return record("ok", summary);
    const signal = receivedSignal(ctx.io);
    const message = status === "interrupted" && signal ? `stopped by ${signal}` : ctx.redactor.redact(errorOf(error).message);
    await record(status, summary, { ...errorOf(error), message });
  };
}

/** The sync's exit code: a signal's, else the highest of the failed streams' (1, or 2 for a refused input), else 0. */
export function streamsExitCode(report: StreamsReport, io: Io): number {
  const signal = receivedSignal(io);
  if (signal) return signal === "SIGINT" ? 130 : 143;
  const failed = report.results.filter((r) => r.status === "failed");
  return failed.reduce((code, r) => Math.max(code, isAppError(r.error) ? r.error.exitCode : 1), 0);
}
