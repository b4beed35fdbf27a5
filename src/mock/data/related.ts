import { CompanyRows } from "./companies";
import type { Dataset } from "./dataset";
import { LiveTable, type Entry } from "./live-table";
import { OrderRows } from "./orders";
import { bytesOfUuid } from "./uuid";

/** The resources the mock serves; users live in the Dataset, the others here. */
export const RESOURCES = ["users", "companies", "orders"] as const;
export type Resource = (typeof RESOURCES)[number];
export type RelatedResource = Exclude<Resource, "users">;

const decoder = new TextDecoder();
/** A pool entry (JSON-escaped UTF-8 without quotes) as the text it stands for. */
const text = (bytes: Uint8Array) => JSON.parse(`"${decoder.decode(bytes)}"`) as string;
const compare = (a: Entry, b: Entry) => a.updatedAt - b.updatedAt || a.id - b.id;

/**
 * Companies and orders beside the users. Each table is made on the first request that needs it (and joins the live
 * changes from then on), so a mock that only serves users starts and changes exactly as before; the rows themselves are
 * derived from the seed, so even a made table holds only what changed and, once listed, a sorted array of ids.
 */
export class Related {
  private readonly tables: Partial<Record<RelatedResource, LiveTable>> = {};
  readonly orderRows: OrderRows;
  readonly companyNames: readonly string[];
  /** Live-inserted orders, by their user's id, and each one's user. */
  private readonly insertedByUser = new Map<string, Set<number>>();
  private readonly userOf = new Map<number, string>();

  constructor(private readonly dataset: Dataset) {
    this.orderRows = new OrderRows(dataset.factory);
    this.companyNames = dataset.pools.companies.map(text);
  }

  table(resource: RelatedResource): LiveTable {
    let table = this.tables[resource];
    if (!table) {
      const { shape } = this.dataset.factory;
      table = new LiveTable(resource === "companies" ? new CompanyRows(shape, this.companyNames) : this.orderRows);
      this.tables[resource] = table;
    }
    return table;
  }

  /** The tables made so far, in a fixed order: live changes reach only these. */
  made(): RelatedResource[] {
    return (["companies", "orders"] as const).filter((resource) => this.tables[resource] !== undefined);
  }

  /** A user's current orders in (updatedAt, id) order, or undefined when there is no such user. */
  ordersOfUser(userId: string): Entry[] | undefined {
    const bytes = bytesOfUuid(userId);
    const gen = bytes && this.dataset.userNumber(bytes);
    if (gen === undefined) return undefined;
    const table = this.table("orders");
    const ids = gen === null ? [] : this.orderRows.idsOf(gen);
    ids.push(...(this.insertedByUser.get(userId) ?? []));
    return ids.flatMap((id) => table.entry(id) ?? []).sort(compare);
  }

  insertOrder(userId: string, updatedAt: number, json: (id: number) => string): void {
    const { id } = this.table("orders").insert(updatedAt, json);
    let ids = this.insertedByUser.get(userId);
    if (!ids) this.insertedByUser.set(userId, (ids = new Set()));
    ids.add(id);
    this.userOf.set(id, userId);
  }

  removeOrder(id: number): void {
    this.table("orders").remove(id);
    const userId = this.userOf.get(id);
    if (userId === undefined) return;
    this.userOf.delete(id);
    this.insertedByUser.get(userId)?.delete(id);
  }
}
