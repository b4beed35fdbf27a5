import type { SyncConfig } from "../config/schema";
import type { TableSpec } from "../store/types";
import { checkpointPolicy } from "./writer/checkpoints";
import type { RunOptions, SyncDeps } from "./run-types";
import { openSession } from "./http/session";
import { readPages } from "./reader/read-pages";
import { Redactor } from "../secrets";
import { startStream } from "./run-start";
import type { SyncSummary } from "./summary";
import { PageWriter } from "./writer/page-writer";

/**
 * One sync run of one stream: a page reader feeding a page writer. The writer commits pages' rows with the state
 * that covers them in checkpoints; on failure the pages written so far are committed and the error goes on.
 */
export async function runSync(config: SyncConfig, deps: SyncDeps, options: RunOptions = {}): Promise<SyncSummary> {
  const started = deps.now();
  const timer = deps.timer ?? performance.now.bind(performance);
  const redactor = deps.redactor ?? new Redactor();
  const session = options.session ?? openSession(config, deps, redactor);
  const { state, slot, read } = await startStream(config, deps, options, redactor);
  const writer = new PageWriter(deps.store, { spec: specOf(config), state, slot }, checkpointPolicy(config), { ...deps, timer }, started);
  const source = { ...deps, config, session, redactor, timer, stopBetweenPages: options.stopBetweenPages };
  const hooks = { whileWaiting: (pending: Promise<unknown>) => writer.whileWaiting(pending), busyMs: () => writer.busyMs() };
  try {
    for await (const page of readPages(source, read, hooks)) await writer.write(page);
  } catch (error) {
    await writer.salvage(redactor.redact);
    throw error;
  }
  return writer.finish();
}

/** The destination table of a configuration: its name, keys and declared column types. */
export function specOf(config: SyncConfig): TableSpec {
  return { table: config.table, primaryKey: config.primary_key, cursorField: config.cursor_field, columns: config.columns };
}
