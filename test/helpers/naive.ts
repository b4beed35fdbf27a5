// A deliberately naive syncer, as the seed connectors page: plain offset += limit from the start, no
// re-anchoring. Tests run it through the same scenario as the connector: if it does not lose rows there, the
// scenario is too weak to prove anything.
import type { FetchLike } from "../../src/connector/http/client";

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
