import type { SyncConfig } from "../config/schema";
import { newestBelow, startBelow, type CursorValue } from "./cursor";
import { addInterval, type Interval } from "./history";
import type { BackfillState, RunState, SyncState } from "./state";

/** Which run one call of the driver makes: the forward incremental run, or one window of history. */
export type RunSlot = { kind: "forward"; fullRefresh?: boolean } | { kind: "backfill"; window: Interval };

/** Where a slot's run lives in the saved state, where a new one starts and ends, and what finishing it records. */
export interface SlotState {
  label: string;
  /** A new run of this slot is a full refresh (an interrupted one says so in its own state). */
  refresh: boolean;
  /** The interrupted run to resume, if any. */
  saved: RunState | null;
  since: CursorValue | null;
  /** Exclusive upper bound: the run ends at the first row at or past it (null: the end of the list). */
  until: CursorValue | null;
  during(state: SyncState, run: RunState): SyncState;
  finished(state: SyncState, run: RunState, rows: number, now: number): SyncState;
}

export function slotState(slot: RunSlot, state: SyncState, config: SyncConfig): SlotState {
  if (slot.kind === "forward") {
    // A priority-first stream's forward sync begins at its anchor; history before it is the backfill's. A full
    // refresh reads everything, so an interrupted incremental run is dropped for it; a plain sync finishes an
    // interrupted refresh (its deletes included) before anything else.
    const refresh = slot.fullRefresh === true;
    const start = refresh ? config.initial_cursor : (state.cursor ?? state.backfill?.anchor ?? config.initial_cursor);
    return {
      label: state.run?.refresh || refresh ? "full refresh" : "run",
      refresh,
      saved: refresh && !state.run?.refresh ? null : state.run,
      since:
        config.request.since_param === null || start === null
          ? null
          : startBelow(start, refresh ? 0 : config.lookback_seconds, !refresh && start === state.cursor ? state.cursorBelow : null),
      until: null,
      during: (s, run) => ({ ...s, run }),
      finished: (s, run, rows, now) => {
        const cursor = run.maxCursor ?? s.cursor ?? run.since;
        const below = newestBelow(cursor, [run.belowCursor, s.cursor, s.cursorBelow]);
        return {
          ...s,
          cursor,
          ...(below === null ? {} : { cursorBelow: below }),
          run: null,
          lastRun: { finishedAt: new Date(now).toISOString(), pages: run.pages, rows },
        };
      },
    };
  }
  const { window } = slot;
  const current = backfillOf(state).current;
  return {
    label: `history window ${window[0]} to ${window[1]}`,
    refresh: false,
    saved: current && current.window[0] === window[0] && current.window[1] === window[1] ? current.run : null,
    since: startBelow(window[0], 0), // a second before the window: its first rows are read by a filter `> since` too
    until: window[1],
    during: (s, run) => ({ ...s, backfill: { ...backfillOf(s), current: { window, run } } }),
    finished: (s) => ({ ...s, backfill: { ...backfillOf(s), done: addInterval(backfillOf(s).done, window), current: null } }),
  };
}

function backfillOf(state: SyncState): BackfillState {
  if (!state.backfill) throw new Error("a history window needs the backfill state the priority-first sync creates");
  return state.backfill;
}
