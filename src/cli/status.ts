import { formatDuration } from "../config/duration";
import { escapeControl, safeJson } from "../connector/escape";
import { Redactor } from "../secrets";
import { UsageError } from "../errors";
import { openStore } from "../store/open";
import type { Store } from "../store/types";
import { defineCommand } from "./command";
import { DATABASE_FLAGS, databaseOf } from "./database";
import { knownTables } from "./state";
import { processAlive, tableStatus, type RunView, type TableStatus } from "./status-data";

const number = new Intl.NumberFormat("en-US");

export const statusCommand = defineCommand({
  name: "status",
  summary: "Show each synced table: rows, cursor, last run, a run in progress, history left",
  usage: "connector status [--db FILE|URL | --config FILE] [--table NAME] [--json]",
  details: [
    "Per table: live and deleted rows, the cursor the next sync starts from, the source, the last run (start,",
    "end, outcome, rows, the error if it failed), a sync running now, an interrupted run the next sync resumes,",
    "and for a priority-first sync the history still to sync. Reads the last committed checkpoint without",
    "waiting: run it from another terminal while a sync runs.",
  ].join("\n"),
  flags: {
    ...DATABASE_FLAGS,
    table: { type: "string", value: "NAME", help: "only this table", default: "every synced table" },
    json: { type: "boolean", help: "print JSON on stdout" },
  },
  async run({ flags }, io) {
    const { db, schema } = databaseOf(flags, io);
    const store = await openStore(db, { mode: "reader", mustExist: true, schema });
    try {
      const states = await store.allStates();
      const tables = [...new Set([...Object.keys(states), ...(await store.streamsWithRuns())])].sort();
      if (flags.table !== undefined && !tables.includes(flags.table))
        throw new UsageError(`--table '${flags.table}': nothing synced into it in ${store.location}${knownTables(states)}`);
      const shown = await Promise.all(
        tables.filter((t) => flags.table === undefined || t === flags.table).map(async (t) => tableStatus(store, t, states[t], await writerCheck(store, t))),
      );
      const redact = new Redactor().redact;
      if (flags.json) io.stdout(`${redact(safeJson(Object.fromEntries(shown.map(({ table, ...rest }) => [table, rest]))))}\n`);
      else
        io.stdout(
          shown.length === 0
            ? `nothing has been synced into ${store.location} yet\n`
            : `${[...shown.map((s) => redact(formatStatus(s))), ...(shown.length > 1 ? [totalsLine(shown)] : [])].join("\n")}`,
        );
      return 0;
    } finally {
      await store.close();
    }
  },
});

/**
 * How to tell whether a run recorded as running still runs: a store that sees its writers' locks (PostgreSQL: any
 * machine's) answers for the table; otherwise the recorded pid is looked up on this machine.
 */
async function writerCheck(store: Store, table: string): Promise<(pid: number) => boolean> {
  if (!store.isWriting) return processAlive;
  const writing = await store.isWriting(table);
  return () => writing;
}

/** One table as an indented block of `label  value` lines; every value escaped (error messages quote APIs). */
export function formatStatus(s: TableStatus): string {
  const lines: [string, string][] = [
    ["rows", s.rows ? `${number.format(s.rows.live)} live, ${number.format(s.rows.deleted)} deleted` : "none (the table does not exist yet)"],
    ["cursor", s.cursor === null ? "- (the next sync starts at initial_cursor)" : String(s.cursor)],
    ["strategy", s.strategy ?? "-"],
    ["source", s.source ?? "-"],
  ];
  if (s.running)
    lines.push(["running now", `since ${s.running.startedAt} (pid ${s.running.pid}), ${number.format(s.running.pagesCommitted ?? 0)} pages committed so far`]);
  lines.push(["last run", s.lastRun ? runText(s.lastRun) : "none yet"]);
  if (s.interrupted)
    lines.push([
      "interrupted",
      `a ${s.interrupted.fullRefresh ? "full refresh" : "run"} started ${s.interrupted.startedAt} stopped after ${number.format(s.interrupted.pages)} pages; the next sync resumes it`,
    ]);
  if (s.children && !s.running)
    lines.push([
      "children",
      `a pass stopped after ${number.format(s.children.done)} of ${number.format(s.children.parents)} parents; the next sync resumes it`,
    ]);
  if (s.history) {
    const { leftSeconds, syncedBack, limit } = s.history;
    lines.push([
      "history left",
      leftSeconds === null
        ? "not known yet (the oldest row is not found yet)"
        : leftSeconds === 0
          ? `none: complete back to ${limit}`
          : `${formatDuration(leftSeconds)} (synced back to ${syncedBack}, going back to ${limit}); the next priority-first sync continues`,
    ]);
  }
  const width = Math.max(...lines.map(([k]) => k.length)) + 2;
  return `${escapeControl(s.table)}\n${lines.map(([k, v]) => `  ${k.padEnd(width)}${escapeControl(v)}`).join("\n")}\n`;
}

/** Several tables (the streams of one sync): their rows and runs added up. */
function totalsLine(shown: readonly TableStatus[]): string {
  const live = shown.reduce((n, s) => n + (s.rows?.live ?? 0), 0);
  const deleted = shown.reduce((n, s) => n + (s.rows?.deleted ?? 0), 0);
  const failed = shown.filter((s) => !s.running && s.lastRun?.outcome === "failed").length;
  const unfinished = shown.filter((s) => !s.running && (s.interrupted || s.children)).length;
  const running = shown.filter((s) => s.running).length;
  const notes = [running && `${running} running`, failed && `${failed} failed last`, unfinished && `${unfinished} to resume`].filter(Boolean);
  return `totals: ${shown.length} tables, ${number.format(live)} live rows, ${number.format(deleted)} deleted${notes.length ? `; ${notes.join(", ")}` : ""}\n`;
}

function runText(run: RunView): string {
  const when = run.startedAt ? `${run.startedAt} to ${run.endedAt ?? "?"}` : `ended ${run.endedAt}`;
  const counts = run.rows === null ? "" : `, ${number.format(run.rows)} rows in ${number.format(run.pages ?? 0)} pages`;
  const why = run.error ? `: ${run.error.message ?? run.error.code}` : "";
  const killed = run.outcome === "killed" ? " (its process ended without a word: SIGKILL or a crash; the next sync resumes from the last checkpoint)" : "";
  return `${run.outcome}, ${when}${counts}${why}${killed}`;
}
