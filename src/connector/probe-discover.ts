// `connector probe`, the questions it asks the API after its first page: which parameter sorts the list by the
// cursor, and which one filters it to `cursor >= value`. A sync needs both to read only what changed; without them
// it reads the whole list every time (exact, slower). Each candidate is tried with a request and kept only when
// the answer proves it: an ignored parameter, or one taken as an equality filter (json-server), proves nothing.
import { compareCursor, instantOf, type CursorValue } from "./cursor";
import { getPath } from "./page";
import type { Row } from "../store/types";

/** The sort parameters of common frameworks: DRF, json-server 0.x and 1.x, Spring, the playground, others. */
const SORTS = (f: string): Record<string, string>[] => [
  { ordering: f },
  { _sort: f, _order: "asc" },
  { _sort: f },
  { sort: `${f},asc` },
  { sort: f },
  { order_by: f, order_type: "asc" },
  { sort_by: f, sort_order: "asc" },
  { orderBy: f },
];

/** The `>=` filters of common frameworks (DRF with django-filter, json-server, Rails/Laravel habits, the playground). */
const FILTERS = (f: string): string[] => [
  `${f}__gte`,
  `${f}_gte`,
  `${f}:gte`,
  `${f}[gte]`,
  `min_${f}`,
  `${f}_from`,
  `${f}_since`,
  "updated_since",
  "modified_since",
  "since",
  "updated_after",
];

export interface Discovery {
  /** Params that sort the list ascending by the cursor ({} when it already comes so); null: none found. */
  sort: Record<string, string> | null;
  /** The parameter that filters by `cursor >= value` (or `>`); null: none found. */
  since: string | null;
  requests: number;
}

/** Fetches a URL's body (the probe's client: its headers, retries and limits). */
export type GetBody = (url: string) => Promise<unknown>;

/** Tries the candidates for a timestamp cursor; numbers and anything else are left to the user. */
export async function discover(get: GetBody, base: URL, records: string, cursorField: string, first: readonly Row[]): Promise<Discovery> {
  const result: Discovery = { sort: null, since: null, requests: 0 };
  const values = (rows: readonly Row[]) => rows.map((row) => row[cursorField] as CursorValue);
  if (first.length < 2 || !values(first).every((v) => typeof v === "string" && instantOf(v) !== null)) return result;
  const ask = async (params: Record<string, string>): Promise<Row[] | null> => {
    const url = new URL(base);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    result.requests++;
    try {
      const list = getPath(await get(url.href), records);
      return Array.isArray(list) ? (list as Row[]) : null;
    } catch {
      return null; // a refused parameter (HTTP 400) is a candidate that does not fit
    }
  };
  let sorted: readonly Row[] = first;
  if (ascending(values(first))) result.sort = {};
  else
    for (const params of SORTS(cursorField)) {
      const rows = await ask(params);
      if (rows && rows.length === first.length && ascending(values(rows))) {
        result.sort = params;
        sorted = rows;
        break;
      }
    }
  if (result.sort === null) return result;
  const line = values(sorted);
  const mid = line[Math.floor(line.length / 2)] as CursorValue;
  // The filter must drop the rows before `mid` and keep some after it (an equality filter keeps none after it).
  if (compareCursor(line[0] as CursorValue, mid) >= 0 || compareCursor(line.at(-1) as CursorValue, mid) <= 0) return result;
  for (const name of FILTERS(cursorField)) {
    const rows = await ask({ ...result.sort, [name]: String(mid) });
    const got = rows ? values(rows) : [];
    if (got.length > 0 && got.every((v) => compareCursor(v, mid) >= 0) && got.some((v) => compareCursor(v, mid) > 0)) {
      result.since = name;
      break;
    }
  }
  return result;
}

function ascending(values: readonly CursorValue[]): boolean {
  return values.every((value, i) => i === 0 || compareCursor(values[i - 1] as CursorValue, value) <= 0);
}
