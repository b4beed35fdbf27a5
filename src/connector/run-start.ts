import type { SyncConfig } from "../config/schema";
import type { RunOptions, SyncDeps } from "./run-types";
import { unhonoured } from "./guards";
import { startPosition } from "./paginators/types";
import type { ReadStart } from "./reader/types";
import type { Redactor } from "../secrets";
import { sourceOf } from "./run-context";
import { slotState, type SlotState } from "./run-slot";
import { claimTable, sourceIdentity } from "./source";
import { parseState, type RunState, type SyncState } from "./state";

/** Where a run of a stream starts: the stream's state, the slot it runs in, and what the reader starts from. */
export interface StreamStart {
  state: SyncState;
  slot: SlotState;
  read: ReadStart;
}

/**
 * Reads the stream's state (claiming the source, source.ts), picks the slot and resumes its interrupted run or
 * starts a new one. A resumed run, and a history window (the forward run has just detected the API), page as the
 * state says; anything else with strategy auto detects on its first page.
 */
export async function startStream(config: SyncConfig, deps: SyncDeps, options: RunOptions, redactor: Redactor): Promise<StreamStart> {
  const saved = parseState(await deps.store.readState(config.table), config.table);
  const identity = sourceIdentity(config, deps.source ?? {}, redactor.redact);
  const { state } = await claimTable(deps.store, saved, identity, config, deps.source ?? {}, deps.logger);
  const slot = slotState(options.slot ?? { kind: "forward", fullRefresh: options.fullRefresh }, state, config);
  const { run, resumed } = resumeOrStart(config, deps, slot, state);
  const known = config.strategy === "auto" && (resumed || options.slot?.kind === "backfill");
  const strategy = config.strategy === "auto" ? (known ? state.strategy : null) : config.strategy;
  const detected = known ? (state.detected ?? null) : null;
  return { state, slot, read: { run, strategy, detected, until: slot.until, resumed } };
}

/** The interrupted run of this slot if it can be resumed, else a new one; says which in the log. */
export function resumeOrStart(config: SyncConfig, deps: SyncDeps, slot: SlotState, state: SyncState): { run: RunState; resumed: boolean } {
  const source = sourceOf(config);
  const canResume = slot.saved !== null && slot.saved.source === source && (config.strategy === "auto" || config.strategy === state.strategy);
  let run: RunState;
  if (canResume && slot.saved) {
    run = slot.saved;
    deps.logger.log("info", `resuming the interrupted ${slot.label} after page ${run.pages}`, {
      strategy: state.strategy ?? undefined,
      since: run.position.since ?? undefined,
    });
  } else {
    if (slot.saved)
      deps.logger.log(
        "warn",
        `the interrupted ${slot.label} was for another source or strategy; it is dropped and a new ${slot.refresh ? "full refresh" : "run"} starts`,
      );
    else if (slot.refresh && state.run) deps.logger.log("info", "the interrupted incremental run is dropped: the full refresh reads everything it would have");
    run = {
      since: slot.since,
      position: startPosition(slot.since),
      maxCursor: null,
      startedAt: new Date(deps.now()).toISOString(),
      pages: 0,
      rows: 0,
      source,
      ...(slot.refresh ? { refresh: true } : {}),
    };
  }
  for (const note of unhonoured(config, state.cursor)) deps.logger.log("warn", note);
  if (run.refresh === true)
    deps.logger.log(
      "info",
      `full refresh: reading every row from ${String(run.since ?? "the first page")}; rows not found are marked _deleted = 1 when it finishes`,
    );
  return { run, resumed: canResume };
}
