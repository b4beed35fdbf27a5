import * as v from "valibot";

// Where a run stands, saved with every page as `run.position`: one variant per strategy, tagged by its name (or
// "start"). The variants live here together, not in each strategy's file, so the union the paginators speak
// imports none of them (no import cycle); a new strategy adds its variant here.

export const CursorSchema = v.union([v.string(), v.number()]);

/** A page's URL, the hash of its keys in order, and the anchor to fall back to if it changed. */
export const PageCheckSchema = v.object({ url: v.string(), keys: v.string(), since: v.nullable(CursorSchema) });
export type PageCheck = v.InferOutput<typeof PageCheckSchema>;

/**
 * Anchored strategies read the list `cursor >= since` (sorted by cursor) and have consumed its first `skip` rows,
 * the last of them `lastKey`.
 */
export const anchoredFields = {
  since: v.nullable(CursorSchema),
  skip: v.pipe(v.number(), v.integer(), v.minValue(0)),
  lastKey: v.nullable(v.string()),
};

/** Page-numbered and followed-URL reads inside a tie group larger than a page are proven afterwards (tie-proof.ts). */
export const proofFields = {
  /** The page just read inside an oversized tie group: the page read after it is proven by re-reading it. */
  prev: v.optional(v.nullable(PageCheckSchema)),
  /** This request re-reads a page to prove the page read after it started where that one ended. */
  verify: v.optional(v.nullable(PageCheckSchema)),
  /** The run ends once the pending verification passes. */
  done: v.optional(v.boolean()),
};

/** A run that has read no page yet: whichever strategy pages it (auto detects one) starts at `since`. */
export const StartPositionSchema = v.object({ strategy: v.literal("start"), since: v.nullable(CursorSchema) });

export const OffsetPositionSchema = v.object({ strategy: v.literal("offset"), ...anchoredFields });
export const PageNumberPositionSchema = v.object({ strategy: v.literal("page_number"), ...anchoredFields, ...proofFields });
export const KeysetPositionSchema = v.object({ strategy: v.literal("keyset"), since: v.nullable(CursorSchema), token: v.nullable(v.string()) });
const linkFields = { ...anchoredFields, url: v.optional(v.nullable(v.string())), ...proofFields };
export const NextPageUrlPositionSchema = v.object({ strategy: v.literal("next_page_url"), ...linkFields });
export const LinkHeaderPositionSchema = v.object({ strategy: v.literal("link_header"), ...linkFields });

export const PositionSchema = v.variant("strategy", [
  StartPositionSchema,
  OffsetPositionSchema,
  PageNumberPositionSchema,
  KeysetPositionSchema,
  NextPageUrlPositionSchema,
  LinkHeaderPositionSchema,
]);
export type Position = v.InferOutput<typeof PositionSchema>;
