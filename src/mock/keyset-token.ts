import * as v from "valibot";
import type { Order, Position } from "./data/dataset";

/** Everything needed to continue a keyset walk: the order, the updated_since filter and the last row served. */
export interface KeysetState {
  order: Order;
  since: number | undefined;
  after: Position;
}

const TokenSchema = v.strictObject({
  v: v.literal(1),
  b: v.picklist(["updatedAt", "createdAt"]),
  t: v.picklist(["asc", "desc"]),
  s: v.nullable(v.pipe(v.number(), v.safeInteger())),
  k: v.pipe(v.number(), v.safeInteger()),
  i: v.pipe(v.string(), v.regex(/^[0-9a-f]{32}$/)),
});

/**
 * An opaque base64url token (no '+', '/' or '=' to escape in a URL). It encodes (key, id) of the last row, not just a
 * timestamp, so rows that share the timestamp of a page boundary are never skipped.
 */
export function encodeToken(state: KeysetState): string {
  const payload: v.InferOutput<typeof TokenSchema> = {
    v: 1,
    b: state.order.by,
    t: state.order.type,
    s: state.since ?? null,
    k: state.after.key,
    i: Buffer.from(state.after.id).toString("hex"),
  };
  return Buffer.from(JSON.stringify(payload)).toString("base64url");
}

/** The state in a token, or undefined for anything this server did not issue. Never throws. */
export function decodeToken(token: string): KeysetState | undefined {
  if (!/^[A-Za-z0-9_-]{1,1024}$/.test(token)) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  const parsed = v.safeParse(TokenSchema, payload);
  if (!parsed.success) return undefined;
  const { b, t, s, k, i } = parsed.output;
  return { order: { by: b, type: t }, since: s ?? undefined, after: { key: k, id: Buffer.from(i, "hex") } };
}
