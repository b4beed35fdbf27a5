// A deliberately naive syncer, as the seed connectors page: plain offset += limit from the start, no
// re-anchoring. Tests run it through the same scenario as the connector: if it does not lose rows there, the
// scenario is too weak to prove anything.
import type { FetchLike } from "../src/connector/http/client";

export async function naiveOffsetSync(fetch: FetchLike, limit: number, origin = "http://mock.test"): Promise<Map<string, Record<string, unknown>>> {
  const seen = new Map<string, Record<string, unknown>>();
  for (let offset = 0, page = 0; page < 10_000; page++, offset += limit) {
    const response = await fetch(new Request(`${origin}/pagination/offset?limit=${limit}&offset=${offset}&order_by=updatedAt&order_type=asc`));
    const body = (await response.json()) as { data: Record<string, unknown>[]; total: number };
    for (const row of body.data) seen.set(String(row.id), row);
    if (body.data.length === 0 || offset + limit >= body.total) break;
  }
  return seen;
}

/** Incremental syncs with a strict `>` cursor (keyset pages of the mock, resumed by timestamp alone), as naive
 * connectors do: rows that share the last timestamp of a page are skipped when the next page starts after it. */
export async function naiveStrictCursorSync(fetch: FetchLike, origin = "http://mock.test"): Promise<Map<string, Record<string, unknown>>> {
  const seen = new Map<string, Record<string, unknown>>();
  let cursor = "0001-01-01T00:00:00Z";
  for (let page = 0; page < 10_000; page++) {
    const response = await fetch(new Request(`${origin}/pagination/keyset?updated_since=${cursor}`));
    const body = (await response.json()) as { data: { id: string; updatedAt: string }[] };
    const fresh = body.data.filter((row) => row.updatedAt > cursor || page === 0);
    for (const row of fresh) seen.set(row.id, row);
    const last = body.data.at(-1);
    if (!last || fresh.length === 0) break;
    cursor = last.updatedAt; // then asks again from that second and drops everything equal to it: the strict `>`
  }
  return seen;
}
