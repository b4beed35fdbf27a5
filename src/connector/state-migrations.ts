import * as v from "valibot";

// Saved states of earlier versions, and how each becomes the next one. A version's schema here is frozen: it
// describes what that version wrote, so a database written by it still resumes after the format moves on.
// Changing the saved state: bump STATE_VERSION (state.ts), freeze the old shape here, add its step to MIGRATIONS.

const Cursor = v.union([v.string(), v.number()]);
const PageCheckV1 = v.object({ url: v.string(), keys: v.string(), since: v.nullable(Cursor) });

/** Version 1 (up to b71d7ae): one bag of optional fields for every strategy, the strategy only at the top. */
const PositionV1 = v.object({
  since: v.nullable(Cursor),
  skip: v.pipe(v.number(), v.integer(), v.minValue(0)),
  lastKey: v.nullable(v.string()),
  token: v.optional(v.nullable(v.string())),
  url: v.optional(v.nullable(v.string())),
  prev: v.optional(v.nullable(PageCheckV1)),
  verify: v.optional(v.nullable(PageCheckV1)),
  done: v.optional(v.boolean()),
});
type PositionV1 = v.InferOutput<typeof PositionV1>;
const RunV1 = v.looseObject({ position: PositionV1 });
const StateV1 = v.looseObject({
  version: v.literal(1),
  strategy: v.nullable(v.string()),
  run: v.nullable(RunV1),
  backfill: v.optional(v.nullable(v.looseObject({ current: v.nullable(v.looseObject({ run: RunV1 })) }))),
});

/** A version-1 position as the tagged position of its strategy, keeping only the fields that strategy uses. */
function positionFromV1(position: PositionV1, strategy: string | null): Record<string, unknown> {
  const { since, skip, lastKey, token, url, prev, verify, done } = position;
  const proof = { ...(prev !== undefined ? { prev } : {}), ...(verify !== undefined ? { verify } : {}), ...(done !== undefined ? { done } : {}) };
  switch (strategy) {
    case "offset":
      return { strategy, since, skip, lastKey };
    case "page_number":
      return { strategy, since, skip, lastKey, ...proof };
    case "keyset":
      return { strategy, since, token: token ?? null };
    case "next_page_url":
    case "link_header":
      return { strategy, since, skip, lastKey, ...(url !== undefined ? { url } : {}), ...proof };
    default:
      // No strategy recorded: nothing was paged by one yet, so the run starts over at its anchor.
      return { strategy: "start", since };
  }
}

/** 1 → 2: every saved position (the run's, a history window's) is tagged with the state's strategy. */
function fromV1(raw: unknown): unknown {
  const state = v.parse(StateV1, raw);
  const run = <R extends v.InferOutput<typeof RunV1>>(r: R) => ({ ...r, position: positionFromV1(r.position, state.strategy) });
  const backfill = state.backfill?.current
    ? { ...state.backfill, current: { ...state.backfill.current, run: run(state.backfill.current.run) } }
    : state.backfill;
  return { ...state, version: 2, run: state.run && run(state.run), ...(backfill !== undefined ? { backfill } : {}) };
}

/** The step from each old version to the next. */
export const MIGRATIONS: Record<number, (state: unknown) => unknown> = { 1: fromV1 };
