import { convertRecords } from "../columns";
import { advanceCursor } from "../cursor";
import { belowBound } from "../history";
import { cursorOf, dedupe } from "../page";
import type { PageGuards } from "../guards";
import type { Page } from "../page";
import type { Paginator, Position, Step } from "../paginators";
import type { RunState } from "../state";
import { warnFuture } from "../summary";
import type { Row } from "../../store/types";
import type { PageSource, ReadProgress, ReadStart } from "./types";

/** A page read and checked: its rows as the paginator returns them, and where the paging goes next. */
export interface CheckedPage {
  page: Page;
  step: Step<Position>;
  where: string;
}

/** What preparing a page reads of the PageReader, named here so page-reader.ts and this file do not import each other. */
export interface PreparingReader {
  readonly source: PageSource;
  readonly progress: ReadProgress;
  readonly guards: PageGuards;
  readonly until: ReadStart["until"];
  readonly run: RunState;
  readonly paginator: Paginator<Position> | null;
  readonly position: Position;
  readonly url: string;
}

/**
 * A checked page's rows as they are written (a history window's rows end at its upper bound), the run after it,
 * and whether it is the run's last. The totals check runs on the last page of a forward run.
 */
export function preparePage(reader: PreparingReader, { page, step, where }: CheckedPage): { rows: Row[]; run: RunState; last: boolean } {
  const { config, logger, now } = reader.source;
  const { progress, run, until } = reader;
  const bounded = until === null ? { rows: step.rows, reached: false } : belowBound(step.rows, until, config.cursor_field, where);
  const rows = dedupe(bounded.rows, config.primary_key, where);
  const stored = convertRecords(rows, config.columns, where);
  const {
    max: maxCursor,
    below,
    future,
  } = advanceCursor(
    rows.map((row) => cursorOf(row, config.cursor_field)),
    { max: run.maxCursor, below: run.belowCursor ?? null },
    now(),
  );
  if (future.length > 0) warnFuture(progress, logger, where, config.cursor_field, future);
  const strategy = (reader.paginator as Paginator<Position>).strategy;
  const shortfall = until === null ? reader.guards.totals(strategy, reader.position, step, page, run.rows, reader.url, where) : null;
  if (shortfall) progress.warnings.push(shortfall);
  const next: RunState = {
    ...run,
    position: step.next ?? reader.position,
    maxCursor,
    ...(below === null ? {} : { belowCursor: below }),
    pages: run.pages + 1,
    ...(run.rows === undefined ? {} : { rows: run.rows + page.records.length }),
  };
  return { rows: stored, run: next, last: step.next === null || bounded.reached };
}
