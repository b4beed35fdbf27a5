// Priority-first sync (SPEC §4, seed 004): the newest window first, so fresh data is usable at once, then
// history backwards one window at a time until the run's time budget is spent. Each run (the forward one, each
// window) is the same page reader feeding the same page writer (sync.ts), in that run's slot of the state; this
// file only decides which run comes next.
import type { SyncConfig } from "../config/schema";
import { formatDuration } from "../config/duration";
import { SyncError } from "../errors";
import { compareCursor, startBelow, type CursorValue } from "./cursor";
import type { SyncDeps } from "./run-types";
import { timed, type SyncSummary } from "./summary";
import { runSync } from "./sync";
import { nextWindow, remainingSeconds, syncedBack, toCursorTime, type HistorySummary, type Interval } from "./history";
import { openSession, type HttpSession } from "./http/session";
import { cursorOf, pageOf } from "./page";
import { startPosition } from "./paginators/types";
import { paginatorOf, shapeOf } from "./reader/paging";
import { Redactor } from "../secrets";
import { claimTable, sourceIdentity } from "./source";
import { parseState, type BackfillState, type SyncState } from "./state";

const COUNTS = ["requests", "retries", "pages", "rows", "inserted", "updated", "unchanged", "stale", "checkpoints", "restarts"] as const;

/**
 * One priority-first run: the forward incremental sync (from now - window on the first run), then history
 * windows newest first while `max_duration` lasts, measured with `deps.now`. Stopping on the budget is a success.
 */
export async function runPriorityFirst(config: SyncConfig, deps: SyncDeps): Promise<SyncSummary> {
  const started = deps.now();
  const deadline = started + config.max_duration * 1000;
  const redactor = deps.redactor ?? new Redactor();
  const session = openSession(config, deps, redactor);
  const read = async (): Promise<SyncState> => parseState(await deps.store.readState(config.table), config.table);
  let total: SyncSummary | null = null;
  // Page numbers count across the whole process (the kill switch of the tests), progress across all runs.
  const runDeps = (): SyncDeps => {
    const before = total?.pages ?? 0;
    const sofar = total;
    return {
      ...deps,
      redactor,
      onStep: deps.onStep && ((step, page) => deps.onStep?.(step, before + page)),
      onPage: deps.onPage && ((run) => deps.onPage?.(timed(sofar ? combine(sofar, run) : run, started, deps.now()))),
    };
  };

  const saved = await read();
  const identity = sourceIdentity(config, deps.source ?? {}, redactor.redact);
  const { state: first } = await claimTable(deps.store, saved, identity, config, deps.source ?? {}, deps.logger);
  if (first !== saved && first.backfill) await deps.store.saveState(config.table, first);
  if (!first.backfill) {
    // A stream synced before without priority-first already has everything from initial_cursor on.
    const fresh = first.cursor === null && first.run === null;
    const anchor = toCursorTime(fresh ? Math.max(started - config.window * 1000, Date.parse(String(config.initial_cursor))) : config.initial_cursor);
    await deps.store.saveState(config.table, { ...first, backfill: { anchor, limit: null, done: [], current: null } });
    deps.logger.log("info", `priority-first: the newest data first (from ${anchor}), then history backwards in windows of ${formatDuration(config.window)}`);
  }
  total = await runSync(config, runDeps(), { session });
  const forward = total;

  const retriesBefore = session.retries();
  const afterForward = await read();
  const { limit, limitFrom, requests } = await historyLimit(config, session, afterForward, redactor.redact);
  total = { ...total, requests: total.requests + requests, retries: total.retries + session.retries() - retriesBefore };
  const backfillNow = backfillOf(afterForward);
  if (backfillNow.limit !== limit) await deps.store.saveState(config.table, { ...afterForward, backfill: { ...backfillNow, limit } });

  let windows = 0;
  let budgetSpent = false;
  let previous: Interval | null = null;
  for (;;) {
    const backfill = backfillOf(await read());
    const window = backfill.current?.window ?? nextWindow(backfill.done, limit, backfill.anchor, config.window * 1000);
    if (!window) break;
    if (deps.now() >= deadline) {
      budgetSpent = true;
      break;
    }
    if (previous && previous[0] === window[0] && previous[1] === window[1])
      throw new Error(`history window ${window[0]} to ${window[1]} was read but not recorded as done`);
    previous = window;
    deps.logger.log("info", `history window ${window[0]} to ${window[1]}`);
    const run = await runSync(config, runDeps(), { slot: { kind: "backfill", window }, session, stopBetweenPages: () => deps.now() >= deadline });
    total = combine(total, run);
    if (run.stoppedEarly) {
      budgetSpent = true;
      break;
    }
    windows++;
  }

  const backfill = backfillOf(await read());
  const history: HistorySummary = {
    syncedBack: syncedBack(backfill.done, limit, backfill.anchor),
    limit,
    limitFrom,
    remainingSeconds: remainingSeconds(backfill.done, limit, backfill.anchor),
    windows,
    budgetSpent,
  };
  const left =
    history.remainingSeconds === 0
      ? `history complete back to ${limit}`
      : `${formatDuration(history.remainingSeconds)} of history left (synced back to ${history.syncedBack}, going back to ${limit}); run again to continue`;
  deps.logger.log("info", budgetSpent ? `max_duration ${formatDuration(config.max_duration)} spent: ${left}` : left);
  return { ...timed(total, started, deps.now()), strategy: forward.strategy, cursor: forward.cursor, stoppedEarly: false, history };
}

/** Two runs' summaries as one (counts added, warnings and schema changes kept). */
export function combine(total: SyncSummary, run: SyncSummary): SyncSummary {
  const sum: SyncSummary = { ...total, resumed: total.resumed || run.resumed, warnings: [...total.warnings, ...run.warnings] };
  if (run.schema_changes) sum.schema_changes = [...(total.schema_changes ?? []), ...run.schema_changes];
  for (const key of COUNTS) sum[key] = total[key] + run[key];
  return sum;
}

function backfillOf(state: SyncState): BackfillState {
  if (!state.backfill) throw new Error("the priority-first state is missing after the forward run");
  return state.backfill;
}

/**
 * How far back history goes: history_limit, or else the oldest row (one request: the first page of the list from
 * initial_cursor, ascending). Never later than the anchor. Saved in state so `connector state` can show what is left.
 */
async function historyLimit(
  config: SyncConfig,
  session: HttpSession,
  state: SyncState,
  redact: (text: string) => string,
): Promise<{ limit: string; limitFrom: HistorySummary["limitFrom"]; requests: number }> {
  const backfill = backfillOf(state);
  let found: CursorValue | null = config.history_limit;
  let requests = 0;
  if (found === null) {
    if (!state.strategy) throw new Error("the forward run finished without a strategy");
    // A second before initial_cursor, as every read that must include its start value (startBelow).
    const url = paginatorOf(config, state.strategy, state.detected).url(startPosition(startBelow(config.initial_cursor, 0)));
    const response = await session.client.getJson(url);
    requests = response.attempts;
    const where = `the request for the oldest row (${redact(url)})`;
    const page = pageOf(response, shapeOf(config, state.detected), where);
    for (const row of page.records) {
      const value = cursorOf(row, config.cursor_field);
      if (typeof value !== "string" || Number.isNaN(Date.parse(value)))
        throw new SyncError("bad_cursor", `${where}: ${config.cursor_field}=${JSON.stringify(value)}; a priority-first sync needs a timestamp cursor`);
      if (found === null || compareCursor(value, found) < 0) found = value;
    }
  }
  const limit = found === null || compareCursor(found, backfill.anchor) > 0 ? backfill.anchor : toCursorTime(found);
  return { limit, limitFrom: config.history_limit === null ? "oldest row" : "history_limit", requests };
}
