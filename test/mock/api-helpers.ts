import type { Company } from "../../src/mock/data/companies";
import type { Order } from "../../src/mock/data/orders";
import type { MockApp } from "../../src/mock/index";
import { get } from "./helpers";

export type { Company, Order };
type Keyed = { id: number; updatedAt: string };

/** The oracle's rows of a resource, as it sends them (sorted by id). */
export async function rowsOf<T>(mock: MockApp, resource: "companies" | "orders"): Promise<T[]> {
  const { status, text } = await get(mock, `/_mock/dataset?resource=${resource}`);
  if (status !== 200) throw new Error(`dataset?resource=${resource} answered ${status}`);
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
}

/** The listing order every /api/ route promises: (updatedAt, id) ascending. */
export function byUpdated<T extends Keyed>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : a.id - b.id));
}

/** Every page of /api/companies with `limit`, following offset until total (bounded). */
export async function walkCompanies(mock: MockApp, limit: number, since = ""): Promise<Company[]> {
  const rows: Company[] = [];
  for (let offset = 0; offset < 100_000; offset += limit) {
    const { status, body } = await get(mock, `/api/companies?limit=${limit}&offset=${offset}${since && `&updated_since=${since}`}`);
    if (status !== 200) throw new Error(`companies answered ${status}: ${JSON.stringify(body)}`);
    rows.push(...body.data);
    if (offset + limit >= body.total) return rows;
  }
  throw new Error("companies walk did not end");
}

/** Every page of /api/orders with `perPage`, up to total_pages (bounded). */
export async function walkOrders(mock: MockApp, perPage: number, since = ""): Promise<Order[]> {
  const rows: Order[] = [];
  for (let page = 1; page < 100_000; page++) {
    const { status, body } = await get(mock, `/api/orders?page=${page}&per_page=${perPage}${since && `&updated_since=${since}`}`);
    if (status !== 200) throw new Error(`orders answered ${status}: ${JSON.stringify(body)}`);
    rows.push(...body.data);
    if (page >= body.total_pages) return rows;
  }
  throw new Error("orders walk did not end");
}

/** Follows a user's next_page_url to the end (bounded). */
export async function walkUserOrders(mock: MockApp, userId: string, perPage: number): Promise<Order[]> {
  const rows: Order[] = [];
  let url: string | null = `/api/users/${userId}/orders?per_page=${perPage}`;
  for (let i = 0; url !== null; i++) {
    if (i > 100) throw new Error("user orders walk did not end");
    const { status, body }: { status: number; body: any } = await get(mock, url);
    if (status !== 200) throw new Error(`user orders answered ${status}: ${JSON.stringify(body)}`);
    rows.push(...body.data);
    url = body.next_page_url === null ? null : new URL(body.next_page_url).pathname + new URL(body.next_page_url).search;
  }
  return rows;
}
