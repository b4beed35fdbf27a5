import { formatDuration } from "../config/duration";
import type { SyncSummary } from "../connector/driver";
import type { SchemaChange } from "../connector/summary";
import type { HistorySummary } from "../connector/history";

const number = new Intl.NumberFormat("en-US");

/** The run summary as a two-column table for stdout. */
export function formatSummary(summary: SyncSummary): string {
  const rows: [string, string][] = [
    ["strategy", `${summary.strategy ?? "-"}${summary.detected ? ` (auto: ${summary.detected})` : ""}`],
    ["resumed", summary.resumed ? "yes (continued an interrupted run)" : "no"],
    ["requests", number.format(summary.requests)],
    ["retries", number.format(summary.retries)],
    ["pages", number.format(summary.pages)],
    ["rows inserted", number.format(summary.inserted)],
    ["rows updated", number.format(summary.updated)],
    ["rows unchanged", number.format(summary.unchanged + summary.stale)],
    ...(summary.fullRefresh
      ? ([["rows deleted", `${number.format(summary.deleted)} (full refresh: not in the source any more; marked _deleted = 1)`]] as [string, string][])
      : []),
    ["checkpoints", number.format(summary.checkpoints)],
    ["seconds", `${summary.seconds.toFixed(2)} (${timeSplit(summary)})`],
    ["rows/s", number.format(summary.rowsPerSecond)],
    ["cursor", summary.cursor === null ? "-" : String(summary.cursor)],
  ];
  if (summary.stale > 0) rows.splice(8, 0, ["  of them stale", `${number.format(summary.stale)} (older than the stored row; not written)`]);
  if (summary.restarts > 0) rows.splice(8, 0, ["re-reads", `${number.format(summary.restarts)} (the source changed under the sync)`]);
  if (summary.expected !== null) rows.splice(5, 0, ["reported total", number.format(summary.expected)]);
  if (summary.history) rows.push(...historyRows(summary.history));
  if (summary.schema_changes) rows.push(["schema changes", summary.schema_changes.map(describeChange).join("; ")]);
  for (const warning of summary.warnings) rows.push(["warning", warning]);
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  return `${rows.map(([k, v]) => `${k.padEnd(width)}${v}`).join("\n")}\n`;
}

/** What a priority-first run did to history and what is left of it. */
function historyRows(history: HistorySummary): [string, string][] {
  const limit = `${history.limit} (${history.limitFrom})`;
  return [
    ["history windows", `${number.format(history.windows)} finished this run${history.budgetSpent ? "; stopped when max_duration was spent" : ""}`],
    [
      "history left",
      history.remainingSeconds === 0
        ? `none: complete back to ${limit}`
        : `${formatDuration(history.remainingSeconds)}: synced back to ${history.syncedBack}, going back to ${limit}; run again to continue`,
    ],
  ];
}

/** The time split in one phrase: waiting for HTTP, parsing and validation, writing. */
function timeSplit({ timing }: SyncSummary): string {
  const s = (ms: number) => (ms / 1000).toFixed(2);
  return `http ${s(timing.httpWaitMs)}, parse ${s(timing.parseMs)}, write ${s(timing.writeMs)}`;
}

function describeChange(change: SchemaChange): string {
  if (change.change === "add_column") return `added column ${change.column} ${change.type} (page ${change.page})`;
  return `${change.rows} ${change.found} value(s) in ${change.type} column ${change.column} (from page ${change.page})`;
}
