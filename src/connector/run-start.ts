import type { SyncConfig } from "../config/schema";
import type { SyncDeps } from "./driver";
import { unhonoured } from "./guards";
import { startPosition } from "./paginators/types";
import { sourceOf } from "./run-context";
import type { SlotState } from "./run-slot";
import type { RunState, SyncState } from "./state";
import type { SyncSummary } from "./summary";

/** The interrupted run of this slot if it can be resumed, else a new one; says which in the log. */
export function resumeOrStart(config: SyncConfig, deps: SyncDeps, slot: SlotState, state: SyncState, summary: SyncSummary): { run: RunState; resumed: boolean } {
  const source = sourceOf(config);
  const canResume = slot.saved !== null && slot.saved.source === source && (config.strategy === "auto" || config.strategy === state.strategy);
  let run: RunState;
  if (canResume && slot.saved) {
    run = slot.saved;
    summary.resumed = true;
    deps.logger.log("info", `resuming the interrupted ${slot.label} after page ${run.pages}`, { strategy: state.strategy ?? undefined, since: run.position.since ?? undefined });
  } else {
    if (slot.saved) deps.logger.log("warn", `the interrupted ${slot.label} was for another source or strategy; it is dropped and a new ${slot.refresh ? "full refresh" : "run"} starts`);
    else if (slot.refresh && state.run) deps.logger.log("info", "the interrupted incremental run is dropped: the full refresh reads everything it would have");
    run = { since: slot.since, position: startPosition(slot.since), maxCursor: null, startedAt: new Date(deps.now()).toISOString(), pages: 0, rows: 0, source, ...(slot.refresh ? { refresh: true } : {}) };
  }
  summary.fullRefresh = run.refresh === true;
  for (const note of unhonoured(config)) deps.logger.log("warn", note);
  if (summary.fullRefresh) deps.logger.log("info", `full refresh: reading every row from ${String(run.since ?? "the first page")}; rows not found are marked _deleted = 1 when it finishes`);
  return { run, resumed: canResume };
}
