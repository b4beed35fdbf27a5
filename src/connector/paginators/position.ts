import * as v from "valibot";

// The pieces every strategy's saved position is built from. Each strategy declares its own variant in its file;
// registry.ts joins them into the tagged union `Position` that the state saves.

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
  /**
   * The cursor of the newest row read before the tie group at `since` (a value rows were just seen with), where a
   * restart goes back to: re-reading that row tells a filter `>= since` from one `> since` (anchored.ts).
   */
  before: v.optional(v.nullable(CursorSchema)),
  /** This read restarted at `since` = the last `before`: it must return rows at `since`, or the filter is exclusive. */
  probe: v.optional(v.boolean()),
  /** With `probe`: the anchor the restart came from, where an exclusive filter's first row is (checkInclusive). */
  from: v.optional(v.nullable(CursorSchema)),
  /** The API's filter is `cursor > value`: each request sends `before` to read the list from `since` (sinceParamOf). */
  exclusive: v.optional(v.boolean()),
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

export type StartPosition = v.InferOutput<typeof StartPositionSchema>;
const AnchoredSchema = v.object(anchoredFields);
const ProofSchema = v.object(proofFields);
/** The positions of the strategies that read the list `cursor >= since` from a row count. */
export type AnchoredPosition = v.InferOutput<typeof AnchoredSchema> & { strategy: "offset" | "page_number" | "next_page_url" | "link_header" };
/** The positions of the strategies whose reads inside a large tie group are proven afterwards (tie-proof.ts). */
export type ProvenPosition = AnchoredPosition & v.InferOutput<typeof ProofSchema> & { strategy: "page_number" | "next_page_url" | "link_header" };
