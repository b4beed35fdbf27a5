import { SyncError } from "../../errors";
import type { Row } from "../../store/types";
import { compareCursor, compareKnown, plainCursor } from "../cursor";
import { cursorOf, keyOf } from "../page";
import type { AnchoredPosition, PaginatorContext, Step } from "./types";

/** A step of an anchored strategy: where it goes next is a position of the same strategy. */
export type AnchoredStep<P extends AnchoredPosition> = Omit<Step, "next"> & { next: P | null };

/**
 * The shared core of offset, page-number and next-URL paging, re-anchored on every page so rows updated during
 * the sync cannot shift an unread row past a page boundary.
 *
 * Each request reads `cursor >= since` from position `skip - 1`: the one row it re-reads must be the last row
 * the previous page ended on. If it is not, the list shifted within the tie group at `since`, and the position
 * falls back to the start of that group (re-reading a few rows, never skipping one). Rows before `since` cannot
 * move the positions at all, which is what makes this exact while the source changes.
 */
export function overlapIndex(position: AnchoredPosition): number {
  return position.skip > 0 ? position.skip - 1 : 0;
}

/**
 * `records` start at the overlap row (position `skip - 1`), or, with `overlap: false`, right after the last row
 * read (a followed next URL, which cannot be made to overlap).
 */
export function advanceAnchored<P extends AnchoredPosition>(
  ctx: PaginatorContext,
  position: P,
  records: readonly Row[],
  reachedEnd: boolean,
  where: string,
  overlap = true,
): AnchoredStep<P> {
  // Moving on drops what belonged to the position read (a followed URL, a proof): the caller sets its own.
  const at = (since: P["since"], skip: number, lastKey: string | null) => ({ strategy: position.strategy, since, skip, lastKey }) as P;
  let rows = records;
  if (overlap && position.skip > 0) {
    const first = rows[0];
    if (!first || keyOf(first, ctx.primaryKey) !== position.lastKey) {
      return {
        rows: [],
        next: at(position.since, 0, null),
        restarted: first
          ? "the row this page should start with has moved (the source changed); re-reading from the anchor"
          : "the list is shorter than before (rows were deleted); re-reading from the anchor",
      };
    }
    rows = rows.slice(1);
  }
  const filtered = ctx.names.since_param !== null && position.since !== null;
  if (filtered) checkOrder(ctx, position, rows, where);
  if (rows.length === 0) return { rows: [], next: null };

  const last = rows.at(-1) as Row;
  const lastKey = keyOf(last, ctx.primaryKey);
  let next: P;
  if (!filtered) next = at(position.since, position.skip + rows.length, lastKey);
  else {
    const lastValue = cursorOf(last, ctx.cursorField);
    if (compareCursor(lastValue, position.since as string | number) === 0) next = at(position.since, position.skip + rows.length, lastKey);
    else {
      let tail = 0;
      for (let i = rows.length - 1; i >= 0 && compareCursor(cursorOf(rows[i] as Row, ctx.cursorField), lastValue) === 0; i--) tail++;
      next = at(lastValue, tail, lastKey);
    }
  }
  return { rows: [...rows], next: reachedEnd ? null : next };
}

/** Re-anchoring is only sound if the API filters by `since` and sorts ascending by the cursor; verify both. */
function checkOrder(ctx: PaginatorContext, position: AnchoredPosition, rows: readonly Row[], where: string): void {
  let previous = position.since as string | number;
  let previousPlain = plainCursor(previous);
  for (const [i, row] of rows.entries()) {
    const value = cursorOf(row, ctx.cursorField);
    const plain = plainCursor(value);
    if (compareKnown(value, plain, previous, previousPlain) < 0) {
      const what =
        i === 0 && position.skip === 0
          ? `older than ${ctx.names.since_param}=${position.since}: the API does not filter by '${ctx.names.since_param}' (set request.since_param to null if it has no such filter)`
          : `out of order: the API must sort by '${ctx.cursorField}' ascending (check params such as order_by/order_type)`;
      throw new SyncError("bad_order", `${where}: record ${i} has ${ctx.cursorField}=${JSON.stringify(value)}, ${what}`);
    }
    previous = value;
    previousPlain = plain;
  }
}
