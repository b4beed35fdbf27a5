import * as v from "valibot";
import { SyncError } from "../errors";
import type { StreamState } from "../store/types";
import { formatDuration } from "../config/duration";
import { gaps, remainingSeconds, syncedBack, type HistorySummary } from "./history";
import { CursorSchema as Cursor } from "./paginators/position";
import { PositionSchema, STRATEGY_NAMES } from "./paginators/registry";
import { MIGRATIONS } from "./state-migrations";

/** The version of the saved state this connector writes; older ones are migrated when read (state-migrations.ts). */
export const STATE_VERSION = 2;

const RunSchema = v.object({
  since: v.nullable(Cursor),
  position: PositionSchema,
  maxCursor: v.nullable(Cursor),
  /** The newest cursor value the run read older than maxCursor (absent in runs saved before it was kept). */
  belowCursor: v.optional(v.nullable(Cursor)),
  startedAt: v.string(),
  pages: v.number(),
  /** Records received by the run, across processes (absent in runs started before it was counted). */
  rows: v.optional(v.number()),
  source: v.string(),
  /** A full refresh: every row from the start, then rows it did not find are marked deleted. */
  refresh: v.optional(v.boolean()),
});

/** `[from, to)`: from inclusive, to exclusive, both `YYYY-MM-DDTHH:MM:SSZ`. */
const IntervalSchema = v.tuple([v.string(), v.string()]);

/** A priority-first sync's history: what is done, what is being read, and how far back it goes. */
export const BackfillSchema = v.object({
  /** Where the forward sync began on the first priority-first run: history is everything before it. */
  anchor: v.string(),
  /** How far back history goes (inclusive): history_limit, or the oldest row once found; null until then. */
  limit: v.nullable(v.string()),
  /** The finished windows, merged, oldest first. */
  done: v.array(IntervalSchema),
  /** The window being read, with its run (committed with every page, like `run`). */
  current: v.nullable(v.object({ window: IntervalSchema, run: RunSchema })),
});

const StateSchema = v.object({
  version: v.literal(STATE_VERSION),
  /** The source the table's rows come from (source.ts); absent in states saved before it was recorded. */
  source: v.optional(v.nullable(v.string())),
  strategy: v.nullable(v.picklist(STRATEGY_NAMES)),
  /** Where the next run starts (inclusive): the newest cursor value of the last finished run. */
  cursor: v.nullable(Cursor),
  /** The newest value read older than `cursor`: the next run starts there (startBelow in cursor.ts). */
  cursorBelow: v.optional(v.nullable(Cursor)),
  /** The run in progress (a sync that was killed or failed), resumed by the next sync. */
  run: v.nullable(RunSchema),
  /** What auto-detection changed of the configured names, so a resumed run reads pages the same way. */
  detected: v.optional(
    v.nullable(
      v.object({
        response: v.record(v.string(), v.nullable(v.string())),
        tokenParam: v.optional(v.string()),
      }),
    ),
  ),
  backfill: v.optional(v.nullable(BackfillSchema)),
  lastRun: v.optional(v.nullable(v.object({ finishedAt: v.string(), pages: v.number(), rows: v.number() }))),
});

export type SyncState = v.InferOutput<typeof StateSchema>;
export type RunState = NonNullable<SyncState["run"]>;
export type BackfillState = v.InferOutput<typeof BackfillSchema>;

export function emptyState(): SyncState {
  return { version: STATE_VERSION, strategy: null, cursor: null, run: null, lastRun: null };
}

/**
 * Saved state is input like any other: a corrupt row is a clear error, not a crash or a silent restart. A state an
 * older version saved is migrated one version at a time, so its interrupted run still resumes.
 */
export function parseState(raw: StreamState | null, table: string): SyncState {
  if (raw === null) return emptyState();
  const unreadable = (why: string) =>
    new SyncError(
      "bad_state",
      `the saved state of table '${table}' is unreadable (${why}); inspect it with 'connector state' or start over with 'connector reset'`,
    );
  let state: unknown = raw;
  for (let version = raw.version; typeof version === "number" && version < STATE_VERSION; version++) {
    const migrate = MIGRATIONS[version];
    if (!migrate) throw unreadable(`version ${version} is older than any this connector can read`);
    try {
      state = migrate(state);
    } catch (error) {
      throw unreadable(`a version ${version} state: ${error instanceof v.ValiError ? error.issues[0]?.message : String(error)}`);
    }
  }
  if (typeof raw.version === "number" && raw.version > STATE_VERSION)
    throw unreadable(`version ${raw.version} was written by a newer connector, which this one (version ${STATE_VERSION}) cannot read`);
  const result = v.safeParse(StateSchema, state);
  if (!result.success) throw unreadable(String(result.issues[0]?.message));
  return result.output;
}

/** A saved state as `connector state` shows it: a backfill also lists the history still to sync, newest first. */
export function withRemaining(raw: StreamState): StreamState {
  const backfill = v.safeParse(BackfillSchema, raw.backfill);
  if (!backfill.success || backfill.output.limit === null) return raw;
  const { anchor, limit, done, current } = backfill.output;
  const remaining = gaps(done, limit, anchor);
  const next =
    remaining.length > 0
      ? {
          next: `${formatDuration(remainingSeconds(done, limit, anchor))} of history left: 'connector sync --priority-first' continues it (a plain sync reads only what is new)`,
        }
      : {};
  return { ...raw, backfill: { anchor, limit, done, remaining, current, ...next } };
}

/**
 * After a plain (not priority-first) sync of a table whose priority-first history is unfinished: how much is left
 * and how to continue it, for the summary; null when there is no such history.
 */
export function unfinishedHistory(state: SyncState): { history: HistorySummary; warning: string } | null {
  const backfill = state.backfill;
  if (!backfill || backfill.limit === null) return null;
  const left = remainingSeconds(backfill.done, backfill.limit, backfill.anchor);
  if (left === 0) return null;
  const history: HistorySummary = {
    syncedBack: syncedBack(backfill.done, backfill.limit, backfill.anchor),
    limit: backfill.limit,
    limitFrom: "oldest row",
    remainingSeconds: left,
    windows: 0,
    budgetSpent: false,
  };
  const warning = `the history is incomplete: ${formatDuration(left)} of it (from ${backfill.limit} to ${history.syncedBack}) is not synced; a plain sync reads only what is new: run 'connector sync --priority-first' to continue it`;
  return { history, warning };
}
