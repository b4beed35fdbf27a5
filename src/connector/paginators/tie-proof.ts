import { keyOf, type Page } from "../page";
import type { PageCheck, PaginatorContext, ProvenPosition, Step } from "./types";

/**
 * Inside a tie group that fills whole pages, a page-numbered or followed-URL read cannot overlap the page before
 * it, so nothing shows at read time whether the list shifted under the boundary. Continuity is proven afterwards
 * instead: the page before the boundary is read again. Rows only leave a past cursor value (an update moves them
 * to a newer one), so if any row before the boundary left, that page's keys differ, and the group is read again
 * from its anchor.
 */

/** The keys of a page, in order, as one short hash. */
export function keysOf(ctx: PaginatorContext, page: Page): string {
  return Bun.hash(page.records.map((r) => keyOf(r, ctx.primaryKey)).join("\n")).toString(36);
}

/** The answer to a re-read (`position.verify`): go on (or end), or read the group again from its anchor. */
export function checkProof(ctx: PaginatorContext, position: ProvenPosition & { verify: PageCheck }, page: Page): Step<ProvenPosition> {
  const { since } = position.verify;
  if (keysOf(ctx, page) !== position.verify.keys) {
    return {
      rows: [],
      // An exclusive filter is read from the value before the group (sinceParamOf): keep both.
      next: { strategy: position.strategy, since, skip: 0, lastKey: null, ...(position.exclusive ? { exclusive: true, before: position.before } : {}) },
      restarted: "a page inside a tie group changed while the next one was read (the source changed); re-reading the group",
    };
  }
  return { rows: [], next: position.done ? null : { ...position, verify: null } };
}

/** A step after an unproven read: its rows are kept, but it goes on (or ends) only once `proof` re-reads unchanged. */
export function awaitingProof<P extends ProvenPosition>(step: Omit<Step<P>, "next"> & { next: P | null }, position: P, proof: PageCheck): Step<ProvenPosition> {
  // Ending: skip counts the page's rows too (what the run covered of the list), unused by the re-read itself.
  if (!step.next)
    return {
      ...step,
      next: {
        strategy: position.strategy,
        since: position.since,
        skip: position.skip + step.rows.length,
        lastKey: position.lastKey,
        verify: proof,
        done: true,
      },
    };
  return { ...step, next: { ...step.next, verify: proof } };
}
