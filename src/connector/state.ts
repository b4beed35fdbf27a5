import * as v from "valibot";
import { SyncError } from "../errors";
import type { StreamState } from "../store/types";

const Cursor = v.union([v.string(), v.number()]);
const PositionSchema = v.object({
  since: v.nullable(Cursor),
  skip: v.pipe(v.number(), v.integer(), v.minValue(0)),
  lastKey: v.nullable(v.string()),
  token: v.optional(v.nullable(v.string())),
  url: v.optional(v.nullable(v.string())),
});

const StateSchema = v.object({
  version: v.literal(1),
  strategy: v.nullable(v.picklist(["offset", "page_number", "keyset", "next_page_url", "link_header"])),
  /** Where the next run starts (inclusive): the newest cursor value of the last finished run. */
  cursor: v.nullable(Cursor),
  /** The run in progress (a sync that was killed or failed), resumed by the next sync. */
  run: v.nullable(
    v.object({
      since: v.nullable(Cursor),
      position: PositionSchema,
      maxCursor: v.nullable(Cursor),
      startedAt: v.string(),
      pages: v.number(),
      source: v.string(),
    }),
  ),
  /** What auto-detection changed of the configured names, so a resumed run reads pages the same way. */
  detected: v.optional(
    v.nullable(
      v.object({
        response: v.record(v.string(), v.nullable(v.string())),
        tokenParam: v.optional(v.string()),
      }),
    ),
  ),
  lastRun: v.optional(v.nullable(v.object({ finishedAt: v.string(), pages: v.number(), rows: v.number() }))),
});

export type SyncState = v.InferOutput<typeof StateSchema>;
export type RunState = NonNullable<SyncState["run"]>;

export function emptyState(): SyncState {
  return { version: 1, strategy: null, cursor: null, run: null, lastRun: null };
}

/** Saved state is input like any other: a corrupt row is a clear error, not a crash or a silent restart. */
export function parseState(raw: StreamState | null, table: string): SyncState {
  if (raw === null) return emptyState();
  const result = v.safeParse(StateSchema, raw);
  if (!result.success) throw new SyncError("bad_state", `the saved state of table '${table}' is unreadable (${result.issues[0]?.message}); inspect it with 'connector state' or start over with 'connector reset'`);
  return result.output;
}
