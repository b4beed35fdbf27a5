// The report of a sync of several streams: a block per stream (the single-stream summary, indented) and the totals;
// with --log json one object with a per-stream object each.
import { escapeControl, safeJson } from "../connector/escape";
import type { StreamResult } from "../connector/streams";
import { formatSummary } from "./sync-output";
import { errorOf } from "./sync-outcome";
import type { StreamsReport } from "./sync-streams";

const number = new Intl.NumberFormat("en-US");

const HEADINGS: Record<StreamResult["status"], string> = {
  ok: "ok",
  failed: "FAILED",
  interrupted: "interrupted",
  not_run: "not run (the sync was stopped first)",
};

/** The overall status: interrupted by a signal, failed when any stream failed, else ok. */
export function overallStatus(report: StreamsReport): "ok" | "failed" | "interrupted" {
  if (report.results.some((r) => r.status === "interrupted" || r.status === "not_run")) return "interrupted";
  return report.results.some((r) => r.status === "failed") ? "failed" : "ok";
}

export function formatStreams(report: StreamsReport, redact: (text: string) => string): string {
  const blocks = report.results.map((r) => {
    const failure = r.status === "failed" ? `: ${redact(errorOf(r.error).message)}` : "";
    const body = r.status === "not_run" ? "" : formatSummary(r.summary).replace(/^(?=.)/gm, "  ");
    return `stream ${r.name} (table ${r.table}): ${HEADINGS[r.status]}${failure}\n${body}`;
  });
  const counts = (["ok", "failed", "interrupted", "not_run"] as const)
    .map((s) => [s, report.results.filter((r) => r.status === s).length] as const)
    .filter(([, n]) => n > 0);
  const { totals: t } = report;
  const rows: [string, string][] = [
    ["requests", number.format(t.requests)],
    ["pages", number.format(t.pages)],
    ["rows inserted", number.format(t.inserted)],
    ["rows updated", number.format(t.updated)],
    ["rows unchanged", number.format(t.unchanged + t.stale)],
    ...(t.deleted > 0 ? ([["rows deleted", number.format(t.deleted)]] as [string, string][]) : []),
    ["checkpoints", number.format(t.checkpoints)],
    ["seconds", t.seconds.toFixed(2)],
    ["rows/s", number.format(t.rowsPerSecond)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  const totals = `totals: ${report.results.length} streams, ${counts.map(([s, n]) => `${n} ${s.replace("_", " ")}`).join(", ")}\n${rows.map(([k, v]) => `  ${k.padEnd(width)}${v}`).join("\n")}\n`;
  return [...blocks, totals].join("\n").split("\n").map(escapeControl).join("\n");
}

/** `--log json`: the one JSON object on stdout, with a per-stream object each and the totals. */
export function streamsJson(report: StreamsReport): string {
  const streams = report.results.map(({ name, table, status, summary, error }) => ({
    name,
    table,
    status,
    ...(status === "failed" || status === "interrupted" ? { error: errorOf(error) } : {}),
    ...summary,
  }));
  return `${safeJson({ status: overallStatus(report), streams, totals: report.totals })}\n`;
}
