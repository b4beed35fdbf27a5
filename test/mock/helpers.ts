import { afterEach } from "bun:test";
import type { User } from "../../src/mock/data/user";
import { createMockApp, type MockApp, type MockOptions } from "../../src/mock/index";

export type { User };

export const ANCHOR = "2024-06-01T12:00:00Z";
export const ANCHOR_SECONDS = Date.parse(ANCHOR) / 1000;

const open: MockApp[] = [];
afterEach(() => {
  for (const mock of open.splice(0)) mock.close();
});

/** A mock with a fixed seed and anchor (override either), closed after the test. */
export function mockApp(options: MockOptions = {}): MockApp {
  const mock = createMockApp({ seed: 42, now: ANCHOR, ...options });
  open.push(mock);
  return mock;
}

export async function get(mock: MockApp, path: string, init?: RequestInit): Promise<{ status: number; body: any; text: string; headers: Headers }> {
  const res = await mock.app.request(path, init);
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text, headers: res.headers };
}

/** Every row of the oracle, in its order. */
export async function dataset(mock: MockApp): Promise<User[]> {
  const { text, status } = await get(mock, "/_mock/dataset");
  if (status !== 200) throw new Error(`dataset answered ${status}`);
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as User);
}

/** Follows keyset tokens to the end (bounded), returning every row served. */
export async function walkKeyset(mock: MockApp, first: string, maxPages = 1000): Promise<User[]> {
  const rows: User[] = [];
  let path: string | undefined = first;
  for (let i = 0; path !== undefined; i++) {
    if (i >= maxPages) throw new Error("keyset walk did not end");
    const { status, body } = await get(mock, path);
    if (status !== 200) throw new Error(`keyset answered ${status}: ${JSON.stringify(body)}`);
    rows.push(...body.data);
    path = body.scroll_param === null ? undefined : `/pagination/keyset?scroll_param=${body.scroll_param}`;
  }
  return rows;
}

/** Reads every offset page (bounded) with the given extra query. */
export async function walkOffset(mock: MockApp, query = "", limit = 50): Promise<User[]> {
  const rows: User[] = [];
  for (let offset = 0; offset < 100_000; offset += limit) {
    const { body } = await get(mock, `/pagination/offset?limit=${limit}&offset=${offset}${query}`);
    rows.push(...body.data);
    if (offset + limit >= body.total) return rows;
  }
  throw new Error("offset walk did not end");
}

export function byId(a: User, b: User): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The (key, id) order the mock promises. */
export function inOrder(rows: readonly User[], key: "updatedAt" | "createdAt", type: "asc" | "desc"): boolean {
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1]!;
    const b = rows[i]!;
    const cmp = a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : byId(a, b);
    if (type === "asc" ? cmp >= 0 : cmp <= 0) return false;
  }
  return true;
}
