// Several streams in one sync (issue 19): each stream is its own reader + writer pair with its own state,
// checkpoints and resume (sync.ts, or children.ts for a child stream); this file picks them, orders them and
// runs up to `concurrency` at once through one store (store-gate.ts).
import type { StreamDef } from "../config/streams";
import { isAppError, UsageError } from "../errors";
import { didYouMean } from "../suggest";
import type { SyncDeps } from "./driver";
import { runPriorityFirst } from "./priority";
import { StoreGate } from "./store-gate";
import { emptySummary, type SyncSummary } from "./summary";
import { runSync } from "./sync";
import { runChildren } from "./children";

export type StreamStatus = "ok" | "failed" | "interrupted" | "not_run";

/** How one stream of the sync ended. */
export interface StreamResult {
  name: string;
  table: string;
  status: StreamStatus;
  /** As of its last page (a failed stream's pages before the failure are committed). */
  summary: SyncSummary;
  error?: unknown;
}

export interface StreamsOptions {
  /** How many streams run at once (a child waits for its parent's run to end, whatever this says). */
  concurrency: number;
  fullRefresh: boolean;
  /** The deps of one stream (its progress and logging); the store given is replaced by the stream's own handle. */
  depsOf?: (def: StreamDef, deps: SyncDeps) => SyncDeps;
  /** Called as a stream starts; what it returns is called with the stream's result (the CLI records runs). */
  onStart?: (def: StreamDef, store: SyncDeps["store"]) => Promise<(result: StreamResult) => Promise<void>>;
}

/** The streams `--stream NAME` names (all when none), in the configuration's order. An unknown name is exit 2. */
export function selectStreams(defs: readonly StreamDef[], only: readonly string[] | undefined): StreamDef[] {
  if (!only || only.length === 0) return [...defs];
  const names = defs.map((d) => d.name);
  for (const name of only) {
    if (!names.includes(name))
      throw new UsageError(`--stream '${name}' is not a stream of this configuration${didYouMean(name, names)}; its streams are ${names.join(", ")}`);
  }
  return defs.filter((d) => only.includes(d.name));
}

/**
 * Runs the streams, a child after its parent's run (a child selected alone reads the parent's stored rows), up to
 * `concurrency` at once. One stream failing does not stop the others: its committed pages stay, its result says
 * why. After a signal no further stream starts (those are `not_run`).
 */
export async function runStreams(defs: readonly StreamDef[], deps: SyncDeps, options: StreamsOptions): Promise<StreamResult[]> {
  const gate = new StoreGate(deps.store);
  const results = new Map<string, StreamResult>();
  const waiting = [...defs];
  const running = new Map<string, Promise<void>>();
  const blocked = (def: StreamDef) => def.parent !== null && (running.has(def.parent) || waiting.some((w) => w.name === def.parent));
  for (;;) {
    const next = deps.signal?.aborted ? undefined : waiting.find((def) => !blocked(def));
    if (next && running.size < Math.max(1, options.concurrency)) {
      waiting.splice(waiting.indexOf(next), 1);
      const run = runStream(next, { ...(options.depsOf?.(next, deps) ?? deps), store: gate.handle() }, options).then((result) => {
        results.set(next.name, result);
        running.delete(next.name);
      });
      running.set(next.name, run);
      continue;
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  return defs.map((def) => results.get(def.name) ?? { name: def.name, table: def.config.table, status: "not_run", summary: emptySummary() });
}

/** One stream's run, never throwing: its outcome is its result. */
async function runStream(def: StreamDef, deps: SyncDeps, options: StreamsOptions): Promise<StreamResult> {
  let latest = emptySummary();
  const streamDeps: SyncDeps = {
    ...deps,
    onPage: (summary) => {
      latest = summary;
      deps.onPage?.(summary);
    },
  };
  const recordEnd = await options.onStart?.(def, deps.store);
  let result: StreamResult;
  try {
    const summary =
      def.parent !== null
        ? await runChildren(def, streamDeps, options.fullRefresh)
        : def.config.priority_first
          ? await runPriorityFirst(def.config, streamDeps)
          : await runSync(def.config, streamDeps, { fullRefresh: options.fullRefresh });
    result = { name: def.name, table: def.config.table, status: "ok", summary };
  } catch (error) {
    const interrupted = isAppError(error) && error.code === "aborted";
    deps.logger.log(
      "error",
      `stream '${def.name}' ${interrupted ? "was interrupted" : "failed"}: ${(deps.redactor?.redact ?? String)(error instanceof Error ? error.message : String(error))}; its committed pages are kept`,
    );
    result = { name: def.name, table: def.config.table, status: interrupted ? "interrupted" : "failed", summary: latest, error };
  }
  await recordEnd?.(result);
  return result;
}

/** Every stream's counts added up (the sync's totals), over the sync's own duration. */
export function totalsOf(results: readonly StreamResult[], seconds: number): SyncSummary {
  const total = emptySummary();
  const counted = ["requests", "retries", "pages", "rows", "inserted", "updated", "unchanged", "stale", "checkpoints", "restarts", "deleted"] as const;
  for (const { summary } of results) {
    for (const key of counted) total[key] += summary[key];
    total.timing.httpWaitMs += summary.timing.httpWaitMs;
    total.timing.parseMs += summary.timing.parseMs;
    total.timing.writeMs += summary.timing.writeMs;
  }
  total.seconds = seconds;
  total.rowsPerSecond = total.seconds > 0 ? Math.round(total.rows / total.seconds) : total.rows;
  return total;
}
