// A child stream (issue 19): `/api/users/{users.id}/orders` read once per parent row, each parent's children being
// one run of the same page reader and page writer as any stream. Which parents: those written (inserted or changed)
// after the newest parent row the child's last finished pass read; every parent on a first sync or a full refresh.
// A pass is a window of the parent table's `_synced_at` (since, until], its parents in key order; each parent's
// last page commits "done up to this key", so a kill resumes after the last parent committed (the one it was
// reading is read again: upserts, nothing lost or doubled). The state stays small: no list of parents in it.
import * as v from "valibot";
import type { StreamDef } from "../config/streams";
import { PLACEHOLDER } from "../config/streams";
import type { SyncConfig } from "../config/schema";
import type { Row } from "../store/types";
import { compareCursor, isCursorValue, startBelow, type CursorValue } from "./cursor";
import type { SyncDeps } from "./driver";
import { ConfigError, HttpError, StoreError } from "../errors";
import { silentLogger } from "./log";
import { openSession, type HttpSession } from "./http/session";
import { combine } from "./priority";
import { readPages } from "./reader/read-pages";
import type { ReadStart } from "./reader/types";
import { Redactor } from "../secrets";
import { resumeOrStart } from "./run-start";
import type { SlotState } from "./run-slot";
import { claimTable, sourceIdentity } from "./source";
import { parseState, type SyncState } from "./state";
import { emptySummary, timed, type SyncSummary, type SyncTiming } from "./summary";
import { specOf } from "./sync";
import { checkpointPolicy } from "./writer/checkpoints";
import { PageWriter } from "./writer/page-writer";
import { SpanningCheckpoints } from "./child-checkpoints";
import { MissingParents } from "./child-missing";
import { ChildPrefetch } from "./child-prefetch";

const Value = v.union([v.string(), v.number(), v.boolean(), v.null()]);
/** A pass in progress: its window's upper end, the key of the last parent done, and counts for status. */
const PassSchema = v.object({
  until: v.nullable(v.string()),
  after: v.nullable(v.record(v.string(), Value)),
  done: v.number(),
  total: v.number(),
  refresh: v.optional(v.boolean()),
});
/** What a child stream keeps beside its SyncState: where the next pass starts, and the pass in progress. */
const ChildrenSchema = v.object({ since: v.nullable(v.string()), pass: v.nullable(PassSchema) });
type Children = v.InferOutput<typeof ChildrenSchema>;
type Pass = NonNullable<Children["pass"]>;

/** The child's state with its children's progress (kept beside the SyncState fields, which parseState reads). */
function withChildren(state: SyncState, children: Children): SyncState {
  return Object.assign({}, state, { run: null, children });
}

/**
 * The child stream's pass: every parent still to read, each one run; returns the summary. A resumed pass is
 * finished first, then a new one reads the parents written since it began (this sync's parent rows among them).
 */
export async function runChildren(def: StreamDef, deps: SyncDeps, fullRefresh: boolean): Promise<SyncSummary> {
  const { config } = def;
  const started = deps.now();
  const redactor = deps.redactor ?? new Redactor();
  const raw = await deps.store.readState(config.table);
  const identity = unbraced(sourceIdentity(config, deps.source ?? {}, redactor.redact));
  const claimed = await claimTable(deps.store, parseState(raw, config.table), identity, config, deps.source ?? {}, deps.logger);
  let state = claimed.state;
  const saved = v.safeParse(ChildrenSchema, raw?.children);
  let children: Children = saved.success && !fullRefresh && !claimed.afresh ? saved.output : { since: null, pass: null };
  const prefetch = new ChildPrefetch(deps.fetch, deps.signal);
  const session = openSession(config, { ...deps, fetch: prefetch.fetchFn }, redactor);
  // A placeholder in the params puts the parent in the query too, and a per-parent cursor its own since: either way
  // the next parent's URL is not this one's with the path swapped.
  const ahead = !def.perParentCursor && !Object.values(config.params).some((value) => value.match(PLACEHOLDER));
  let total = emptySummary();
  // Once the first parent's children have shown how they page, the others' are read the same way (no detection each).
  let paging: Paging = { strategy: config.strategy === "auto" ? null : config.strategy, detected: null };
  const missing = new MissingParents(def);
  for (;;) {
    const resumed = children.pass !== null;
    const { pass, parents } = resumed ? await resumePass(def, deps, children) : await newPass(def, deps, children.since, fullRefresh);
    state = withChildren(state, (children = { since: children.since, pass }));
    if (!resumed) await deps.store.saveState(config.table, state); // a kill from here on resumes this very window
    total.resumed ||= resumed;
    const cursors = def.perParentCursor && pass.refresh !== true && parents.length > 0 ? await parentCursors(def, deps) : null;
    const checkpoints = new SpanningCheckpoints(
      deps.store,
      checkpointPolicy(config),
      deps.timer ?? performance.now.bind(performance),
      pass.refresh === true && !resumed,
    );
    try {
      for (const [i, parent] of parents.entries()) {
        deps.signal?.throwIfAborted();
        const next = parents[i + 1];
        // Only once the paging is known: the first parent's first request may be detection's, not the others'.
        prefetch.expect(filledUrl(def, parent), ahead && next && paging.strategy !== null ? filledUrl(def, next) : null);
        // The parent a killed pass was reading may have part of its children committed: it is read from the start.
        const cursor = cursors === null || (resumed && i === 0) ? null : (cursors.get(keyOf(def.parentFields.map((f) => parent[f]))) ?? null);
        const at = { pass, parent, done: pass.done + i, last: i === parents.length - 1, since: children.since, pagesBefore: total.pages, cursor };
        const run = await runParent(def, { deps, checkpoints, session, redactor, started, paging, missing }, at, state, total);
        total = {
          ...combine(total, run.summary),
          strategy: run.paging.strategy ?? total.strategy,
          detected: total.detected ?? run.summary.detected,
          timing: addTiming(total.timing, run.summary.timing),
          deleted: total.deleted + run.summary.deleted,
          fullRefresh: total.fullRefresh || run.summary.fullRefresh,
        };
        ({ state, paging } = run);
      }
    } finally {
      prefetch.discard();
      // The parents read before the end (or a failure) are whole: commit them with the state that says so.
      if (await checkpoints.flush()) total.checkpoints++;
    }
    children = { since: pass.until ?? children.since, pass: null };
    if (parents.length === 0) await deps.store.saveState(config.table, (state = withChildren(state, children)));
    if (!resumed) return timed(total, started, deps.now());
  }
}

/** A new pass: the parents written since `since` (every one when null), up to the newest of them, in key order. */
async function newPass(def: StreamDef, deps: SyncDeps, since: string | null, refresh: boolean): Promise<{ pass: Pass; parents: Row[] }> {
  const found = await deps.store.syncedSince(def.parentTable as string, def.parentFields, since);
  deps.logger.log("info", `reading the children of ${found.rows.length} ${def.parent} row(s) ${since === null ? "(every one)" : `written since ${since}`}`);
  return {
    pass: { until: found.newest, after: null, done: 0, total: found.rows.length, ...(refresh ? { refresh } : {}) },
    parents: sortRows(found.rows, def.parentFields),
  };
}

/** The rest of an interrupted pass: its window's parents after the last one done (one written since has left the window for the next pass). */
async function resumePass(def: StreamDef, deps: SyncDeps, children: Children): Promise<{ pass: Pass; parents: Row[] }> {
  const pass = children.pass as Pass;
  const found = pass.until === null ? [] : (await deps.store.syncedSince(def.parentTable as string, def.parentFields, children.since, pass.until)).rows;
  const after = pass.after;
  const parents = sortRows(found, def.parentFields).filter((row) => after === null || compareRows(row, after, def.parentFields) > 0);
  deps.logger.log("info", `resuming the children's pass after ${pass.done} of ${pass.total} ${def.parent} rows`);
  return { pass, parents };
}

/** Parent keys in one order whatever the store's collation: numbers before text, each in its own order. */
function compareRows(a: Row, b: Row, columns: readonly string[]): number {
  for (const c of columns) {
    const [x, y] = [a[c], b[c]];
    if (x === y) continue;
    if (x === null || x === undefined) return -1;
    if (y === null || y === undefined) return 1;
    if (typeof x === "number" && typeof y !== "number") return -1;
    if (typeof y === "number" && typeof x !== "number") return 1;
    return (x as string | number) < (y as string | number) ? -1 : 1;
  }
  return 0;
}

function sortRows(rows: readonly Row[], columns: readonly string[]): Row[] {
  return [...rows].sort((a, b) => compareRows(a, b, columns));
}

interface ParentRun {
  deps: SyncDeps;
  checkpoints: SpanningCheckpoints;
  session: HttpSession;
  redactor: Redactor;
  started: number;
  paging: Paging;
  missing: MissingParents;
}

/** How a child's pages are read, as its first parent's showed (null strategy: not known yet, detect it). */
type Paging = Pick<ReadStart, "strategy" | "detected">;

function addTiming(a: SyncTiming, b: SyncTiming): SyncTiming {
  return { httpWaitMs: a.httpWaitMs + b.httpWaitMs, parseMs: a.parseMs + b.parseMs, writeMs: a.writeMs + b.writeMs };
}

/** The children of one parent: its own run, whose last page moves the pass on to the next parent. */
async function runParent(
  def: StreamDef,
  ctx: ParentRun,
  at: { pass: Pass; parent: Row; done: number; last: boolean; since: string | null; pagesBefore: number; cursor: ParentCursor | null },
  state: SyncState,
  sofar: SyncSummary,
): Promise<{ summary: SyncSummary; state: SyncState; paging: Paging }> {
  const { deps } = ctx;
  const { parent } = at;
  const config = filled(def.config, def.parent as string, parent);
  const key = Object.fromEntries(def.parentFields.map((field) => [field, (parent[field] ?? null) as string | number | boolean | null]));
  // After the last parent the pass is done: the next one reads the parents written after this window.
  const after: Children = at.last ? { since: at.pass.until ?? at.since, pass: null } : { since: at.since, pass: { ...at.pass, after: key, done: at.done + 1 } };
  let ended = state;
  const slot: SlotState = {
    label: `children of ${def.parent} ${JSON.stringify(parent)}`,
    refresh: at.pass.refresh === true,
    saved: null,
    since: at.cursor === null ? null : startBelow(at.cursor.max, config.lookback_seconds, at.cursor.below),
    until: null,
    during: (s) => Object.assign({}, s, { run: null }), // the children's progress as the parent before left it
    finished: (s, run, rows, now) => {
      const cursor = s.cursor === null || (run.maxCursor !== null && compareCursor(run.maxCursor, s.cursor) > 0) ? run.maxCursor : s.cursor;
      ended = withChildren({ ...s, cursor, lastRun: { finishedAt: new Date(now).toISOString(), pages: run.pages, rows } }, after);
      return ended;
    },
  };
  const hooks = {
    ...deps,
    onStep: deps.onStep && ((step: Parameters<NonNullable<SyncDeps["onStep"]>>[0], page: number) => deps.onStep?.(step, at.pagesBefore + page)),
    onPage: deps.onPage && ((s: SyncSummary) => deps.onPage?.(timed(combine(sofar, s), ctx.started, deps.now()))),
    timer: deps.timer ?? performance.now.bind(performance),
  };
  const writer = new PageWriter(ctx.checkpoints.view(at.last), { spec: specOf(config), state, slot }, checkpointPolicy(config), hooks, deps.now());
  // A new run from the first page of this parent's children (the slot has nothing saved to resume).
  const quiet = sofar.pages > 0 ? { ...deps, logger: silentLogger } : deps; // its notes on the configuration once, not once a parent
  const read: ReadStart = { run: resumeOrStart(config, quiet, slot, state).run, ...ctx.paging, until: null, resumed: false, startChecks: sofar.pages === 0 };
  // The reader checks and pages by the key fields of the child's own records; `_parent_*` ones are added after.
  const own = { ...config, primary_key: config.primary_key.filter((k) => !k.startsWith("_parent_")) };
  const source = { ...hooks, config: own, session: ctx.session, redactor: ctx.redactor };
  const tag = Object.fromEntries(def.parentFields.map((field) => [`_parent_${field}`, parent[field]]));
  let paging = ctx.paging;
  try {
    for await (const page of readPages(source, read, { whileWaiting: (p) => writer.whileWaiting(p), busyMs: () => writer.busyMs() })) {
      paging = { strategy: page.strategy, detected: page.detected };
      await writer.write({ ...page, rows: page.rows.map((row) => ({ ...row, ...tag })) });
    }
  } catch (error) {
    await writer.salvage(ctx.redactor.redact);
    if (!(error instanceof HttpError && error.status === 404)) throw error;
    // Taken for a parent gone from the source since it was synced (unless every parent answers so: MissingParents).
    ctx.missing.note(error.message);
    deps.logger.log(
      "warn",
      `${def.parent} ${JSON.stringify(parent)} answers 404: taken for a row deleted in the source since it was synced; its children are skipped`,
    );
    ended = withChildren(state, after);
    // Not saved while no parent has answered (the path may be wrong): the next parent's commit covers this one.
    if (ctx.missing.anyAnswered || at.last) await deps.store.saveState(def.config.table, ended);
    return { summary: writer.finish(), state: ended, paging };
  }
  ctx.missing.note(null);
  return { summary: writer.finish(), state: ended, paging };
}

/** A parent's newest child cursor value, and the newest value older than it. */
type ParentCursor = { max: CursorValue; below: CursorValue | null };

/** One parent's key as text, whichever of the parent's or the child's columns it is read from. */
function keyOf(values: readonly unknown[]): string {
  return JSON.stringify(values.map((value) => (value === null || value === undefined ? null : String(value))));
}

/**
 * Each parent's cursor: the newest cursor value among its stored children (and the newest below it, where its
 * next read starts: startBelow in cursor.ts), read once per pass from the child table
 * (one grouped query; nothing per page, and no list of parents in the state). The cursor commits with the rows it
 * comes from, so a kill cannot leave it ahead of them.
 */
async function parentCursors(def: StreamDef, deps: SyncDeps): Promise<Map<string, ParentCursor>> {
  const { table, cursor_field: field } = def.config;
  const keys = def.parentFields.map((f) => `_parent_${f}`);
  let rows: Row[];
  try {
    rows = (await deps.store.syncedSince(table, [...keys, field], null)).rows;
  } catch (error) {
    if (!(error instanceof StoreError && error.code === "db_schema")) throw error;
    throw new ConfigError(`stream '${def.name}': per_parent_cursor reads the cursor_field '${field}' of table '${table}', which has no such column`);
  }
  const cursors = new Map<string, ParentCursor>();
  for (const row of rows) {
    // PostgreSQL gives a timestamptz column back as a Date.
    const stored = row[field];
    const value = stored instanceof Date ? stored.toISOString().replace(/\.000Z$/, "Z") : stored;
    if (!isCursorValue(value)) continue;
    const key = keyOf(keys.map((k) => row[k]));
    const top = cursors.get(key);
    if (top === undefined) cursors.set(key, { max: value, below: null });
    else {
      const order = compareCursor(value, top.max);
      if (order > 0) [top.below, top.max] = [top.max, value];
      else if (order < 0 && (top.below === null || compareCursor(value, top.below) > 0)) top.below = value;
    }
  }
  return cursors;
}

/** A child's URL as written: `{users.id}`, not the `%7Busers.id%7D` a URL makes of it. */
export function unbraced(text: string): string {
  return text.replace(/%7B([A-Za-z0-9_.]+)%7D/g, "{$1}");
}

/** The child's URL for one parent. */
function filledUrl(def: StreamDef, row: Row): string {
  return filled(def.config, def.parent as string, row).base_url;
}

/** The child's configuration for one parent: its `{parent.field}` placeholders filled (URL-encoded in the path). */
function filled(config: SyncConfig, parent: string, row: Row): SyncConfig {
  const fill = (text: string, encode: (s: string) => string) =>
    text.replace(PLACEHOLDER, (whole, stream: string, field: string) => (stream === parent ? encode(String(row[field] ?? "")) : whole));
  const params = Object.fromEntries(Object.entries(config.params).map(([k, value]) => [k, fill(value, (s) => s)]));
  return { ...config, base_url: fill(config.base_url, encodeURIComponent), params };
}
