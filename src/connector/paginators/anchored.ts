import { SyncError } from "../../errors";
import type { Row } from "../../store/types";
import { compareCursor, compareKnown, plainCursor, type CursorValue } from "../cursor";
import { cursorOf, keyOf } from "../page";
import { type AnchoredPosition, type PaginatorContext, type Step, sinceParamOf } from "./types";

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
  const filtered = ctx.names.since_param !== null && position.since !== null;
  // Once the filter is known to be `> value`, every position keeps it and the value before its anchor.
  const exclusive = filtered && position.exclusive === true;
  // Moving on drops what belonged to the position read (a followed URL, a proof): the caller sets its own.
  const at = (since: P["since"], skip: number, lastKey: string | null, before: CursorValue | null = null) =>
    ({ strategy: position.strategy, since, skip, lastKey, ...(before === null ? {} : { before }), ...(exclusive ? { exclusive } : {}) }) as P;
  let rows = records;
  if (overlap && position.skip > 0) {
    const first = rows[0];
    if (!first || keyOf(first, ctx.primaryKey) !== position.lastKey) {
      // Back to the newest value read before the group when there is one: a filter `>= since` returns those rows
      // again, one `> since` cannot, which the next page shows (checkInclusive). A few rows more are read again.
      const before = filtered ? (position.before ?? null) : null;
      const back = exclusive || before === null ? at(position.since, 0, null, before) : { ...at(before, 0, null), probe: true, from: position.since };
      return {
        rows: [],
        next: back,
        restarted: first
          ? "the row this page should start with has moved (the source changed); re-reading from the anchor"
          : "the list is shorter than before (rows were deleted); re-reading from the anchor",
      };
    }
    rows = rows.slice(1);
  }
  const switched = filtered && position.probe === true ? checkInclusive(ctx, position, rows, where) : null;
  if (switched) {
    const name = ctx.names.since_param;
    const notice = `'${name}' filters by ${ctx.cursorField} after the value, not at or after it: each request from here on sends the value before its anchor`;
    return { ...advanceAnchored(ctx, switched as P, records, reachedEnd, where, overlap), notice };
  }
  if (filtered) checkOrder(ctx, position, rows, where);
  if (rows.length === 0) return { rows: [], next: null };

  const last = rows.at(-1) as Row;
  const lastKey = keyOf(last, ctx.primaryKey);
  let next: P;
  if (!filtered) next = at(position.since, position.skip + rows.length, lastKey);
  else {
    const lastValue = cursorOf(last, ctx.cursorField);
    if (compareCursor(lastValue, position.since as string | number) === 0)
      next = at(position.since, position.skip + rows.length, lastKey, position.before ?? null);
    else {
      let tail = 0;
      for (let i = rows.length - 1; i >= 0 && compareCursor(cursorOf(rows[i] as Row, ctx.cursorField), lastValue) === 0; i--) tail++;
      // The newest value before the tail group: on this page, or the group at `since` the overlap row belonged to.
      const previous = rows[rows.length - tail - 1];
      const before = previous ? cursorOf(previous, ctx.cursorField) : position.skip > 0 || exclusive ? (position.since as CursorValue) : null;
      next = at(lastValue, tail, lastKey, before);
    }
  }
  return { rows: [...rows], next: reachedEnd ? null : next };
}

/**
 * A read restarted at a value rows were read with moments ago must return rows at that value: when its first row
 * is newer, the API's filter is `cursor > since`, which skips the rows sharing a value across a page boundary. When
 * that first row is at the anchor the restart came from (or before it: a row committed late), the read goes on with
 * the filter as it is: each request sends the value before its anchor (sinceParamOf), and this page is the list from
 * that anchor. Otherwise (rows further on: pages numbered from 0, or every row at the anchor changed meanwhile) it
 * stops.
 */
function checkInclusive(ctx: PaginatorContext, position: AnchoredPosition, rows: readonly Row[], where: string): AnchoredPosition | null {
  const first = rows[0];
  if (!first) return null;
  const value = cursorOf(first, ctx.cursorField);
  if (compareCursor(value, position.since as string | number) <= 0) return null;
  // At the anchor, or between it and the value sent (a row committed late, stamped before the anchor): exclusive.
  if (position.from !== undefined && position.from !== null && compareCursor(value, position.from) <= 0)
    return { strategy: position.strategy, since: value, skip: 0, lastKey: null, before: position.since, exclusive: true } as AnchoredPosition;
  const name = ctx.names.since_param;
  throw new SyncError(
    "exclusive_since",
    `${where}: '${name}' filters by ${ctx.cursorField} after the value, not at or after it: asked for ${name}=${position.since}, a value ` +
      `rows were read with moments ago, the API returned none of them (its first row has ${ctx.cursorField}=${JSON.stringify(value)}, past the rows it should have read again). ` +
      "Such a filter skips the rows that share a value across a page boundary, so the sync stopped (what it committed is kept). " +
      `Use the API's inclusive filter if it has one (often '${name}_gte' or 'min_${ctx.cursorField}'), or set request.since_param to null (each sync then reads the whole list)` +
      (position.strategy === "page_number" && ctx.names.first_page === 1
        ? `. Or the API numbers its pages from 0 and page 1 is its second page: then set request.first_page to 0`
        : ""),
  );
}

/** Re-anchoring is only sound if the API filters by `since` and sorts ascending by the cursor; verify both. */
function checkOrder(ctx: PaginatorContext, position: AnchoredPosition, rows: readonly Row[], where: string): void {
  // The bound is the value the request sent: with an exclusive filter that is the value before the anchor, and a
  // row committed late with a value between the two is part of the list (counted in `skip` like any other).
  const sent = sinceParamOf(position) as string | number;
  let previous = sent;
  let previousPlain = plainCursor(previous);
  for (const [i, row] of rows.entries()) {
    const value = cursorOf(row, ctx.cursorField);
    const plain = plainCursor(value);
    if (compareKnown(value, plain, previous, previousPlain) < 0) {
      const what =
        i === 0 && position.skip === 0
          ? `older than ${ctx.names.since_param}=${sent}: the API does not filter by '${ctx.names.since_param}' (set request.since_param to null if it has no such filter)`
          : `out of order: the API must sort by '${ctx.cursorField}' ascending (check params such as order_by/order_type)`;
      throw new SyncError("bad_order", `${where}: record ${i} has ${ctx.cursorField}=${JSON.stringify(value)}, ${what}`);
    }
    previous = value;
    previousPlain = plain;
  }
}
