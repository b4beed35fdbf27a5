import type { ProbeReport } from "../connector/probe";

const number = new Intl.NumberFormat("en-US");

/** The probe report for a terminal: a two-column table, the fields, then the next steps. */
export function formatProbe(report: ProbeReport): string {
  const records = report.records === "" ? "top-level array" : `'${report.records}'`;
  const total = report.total ? `, ${number.format(report.total.value)} in total (${report.total.from})` : "";
  const rows: [string, string][] = [
    ["url", report.url],
    ["status", String(report.status)],
    ["strategy", report.strategy ? `${report.strategy}: ${report.reason}` : `unknown: ${report.reason}`],
    ["records", `${records}: ${number.format(report.count)} on the first page${total}`],
  ];
  if (report.headers.length > 0) rows.push(["headers", `${report.headers.join(", ")} (values not shown)`]);
  rows.push(["primary key", candidates(report.primaryKeys)], ["cursor", candidates(report.cursors)]);
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  const lines = rows.map(([k, v]) => `${k.padEnd(width)}${v}`);

  if (report.fields.length > 0) {
    const nameWidth = Math.max(...report.fields.map((f) => f.name.length)) + 2;
    const typeWidth = Math.max(...report.fields.map((f) => f.type.length)) + 2;
    lines.push("", `fields (from the ${number.format(report.count)} records of the first page)`);
    for (const f of report.fields) lines.push(`  ${f.name.padEnd(nameWidth)}${f.nullable ? `${f.type.padEnd(typeWidth)}nullable` : f.type}`);
  }
  if (report.hints.length > 0) lines.push("", "next steps", ...report.hints.map((hint) => `  - ${hint}`));
  return `${lines.join("\n")}\n`;
}

function candidates(names: readonly string[]): string {
  if (names.length === 0) return "none found";
  return names.length === 1 ? (names[0] as string) : `${names[0]} (other candidates: ${names.slice(1).join(", ")})`;
}
