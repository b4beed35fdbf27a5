// Compares a synced table with the mock's oracle (GET /_mock/dataset): same ids, same content, nothing extra.
import type { FetchLike } from "../src/connector/http/client";
import { tableRows } from "./db";

export type User = Record<string, unknown> & { id: string; updatedAt: string };

export async function dataset(fetch: FetchLike, origin = "http://mock.test", headers: Record<string, string> = {}): Promise<Map<string, User>> {
  const response = await fetch(new Request(`${origin}/_mock/dataset`, { headers }));
  if (response.status !== 200) throw new Error(`oracle answered ${response.status}`);
  const text = await response.text();
  const users = text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as User);
  return new Map(users.map((u) => [u.id, u]));
}

export interface Diff {
  missing: string[];
  extra: string[];
  wrong: string[];
}

function same(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return Object.keys(b).every((k) => a[k] === b[k]);
}

/** Differences between a table and the expected rows (all of them, or only `only`). */
export function diff(db: string, expected: Map<string, User>, options: { only?: Iterable<string>; exact?: boolean } = {}): Diff {
  const table = tableRows(db);
  const ids = options.only ? [...options.only] : [...expected.keys()];
  const result: Diff = { missing: [], extra: [], wrong: [] };
  for (const id of ids) {
    const want = expected.get(id);
    const got = table.get(id);
    if (!want) continue;
    if (!got) result.missing.push(id);
    else if (!same(got, want)) result.wrong.push(id);
  }
  if (options.exact ?? !options.only) for (const id of table.keys()) if (!expected.has(id)) result.extra.push(id);
  return result;
}

export const NO_DIFF: Diff = { missing: [], extra: [], wrong: [] };
