import { Prng } from "../prng";
import { formatTimestamp } from "../time";
import type { RowFactory } from "./generate";
import type { RowSource } from "./live-table";
import { uuidOfWords } from "./uuid";

/** At most five orders a user: user u's k-th order has id u * SLOTS + k + 1, so a user's orders need no index. */
export const SLOTS = 5;
export const STATUSES = ["pending", "paid", "shipped", "delivered", "cancelled", "refunded"] as const;
/** PRNG streams of their own, so adding orders changed no user byte. */
const ORDER_COUNTS = 11;
const ORDERS = 12;
/** A quarter of a user's later orders share the updatedAt of the user's first order: ties occur at any size. */
const TIE_SHARE = 0.25;
const NEVER_UPDATED = 0.3;

export interface OrderItem {
  sku: string;
  quantity: number;
  price: number;
}

export interface Order {
  id: number;
  userId: string;
  status: string;
  amount: number;
  items: OrderItem[];
  createdAt: string;
  updatedAt: string;
}

/** An order's JSON (wire field order): one to four items drawn from `rng`, the amount their sum in cents. */
export function orderJson(id: number, userId: string, status: string, rng: Prng, createdAt: number, updatedAt: number): string {
  const items: OrderItem[] = [];
  let cents = 0;
  for (let n = 1 + rng.int(4); n > 0; n--) {
    const quantity = 1 + rng.int(5);
    const priceCents = 99 + rng.int(20_000);
    cents += quantity * priceCents;
    items.push({ sku: `SKU-${String(rng.int(100_000)).padStart(5, "0")}`, quantity, price: priceCents / 100 });
  }
  const order: Order = { id, userId, status, amount: cents / 100, items, createdAt: formatTimestamp(createdAt), updatedAt: formatTimestamp(updatedAt) };
  return JSON.stringify(order);
}

/**
 * The orders of the generated users, rebuilt from (seed, user, k) whenever served: user u has 0-5 of them, each
 * created at or after the user, updated at or after its creation and at or before the anchor.
 */
export class OrderRows implements RowSource {
  private readonly countRng = new Prng(0);
  private readonly rng = new Prng(0);
  private readonly tieRng = new Prng(0);
  private readonly words = new Uint32Array(4);
  private updated = 0;
  private created = 0;
  readonly nextId: number;
  readonly start: number;

  constructor(private readonly factory: RowFactory) {
    this.nextId = factory.shape.records * SLOTS + 1;
    this.start = factory.start;
  }

  /** Generated user u's createdAt; its id is left in `words`. */
  private userCreated(u: number): number {
    return this.factory.createdAt(u, this.words);
  }

  /** How many orders generated user u has. */
  countOf(u: number): number {
    return this.countRng.reset(this.factory.shape.seed, ORDER_COUNTS, u).int(SLOTS + 1);
  }

  /** The ids of generated user u's orders. */
  idsOf(u: number): number[] {
    return Array.from({ length: this.countOf(u) }, (_, k) => u * SLOTS + k + 1);
  }

  generated(): number {
    let n = 0;
    for (let u = 0; u < this.factory.shape.records; u++) n += this.countOf(u);
    return n;
  }

  each(visit: (id: number, updatedAt: number) => void): void {
    for (let u = 0; u < this.factory.shape.records; u++) {
      const count = this.countOf(u);
      if (count === 0) continue;
      const userCreated = this.userCreated(u);
      for (let k = 0; k < count; k++) {
        this.keys(u, k, userCreated);
        visit(u * SLOTS + k + 1, this.updated);
      }
    }
  }

  idsAfter(after: number, limit: number): number[] {
    const ids: number[] = [];
    for (let u = Math.floor(after / SLOTS); u < this.factory.shape.records && ids.length < limit; u++) {
      for (const id of this.idsOf(u)) if (id > after && ids.length < limit) ids.push(id);
    }
    return ids;
  }

  exists(id: number): boolean {
    const u = Math.floor((id - 1) / SLOTS);
    return id >= 1 && u < this.factory.shape.records && (id - 1) % SLOTS < this.countOf(u);
  }

  updatedAt(id: number): number {
    const u = Math.floor((id - 1) / SLOTS);
    this.keys(u, (id - 1) % SLOTS, this.userCreated(u));
    return this.updated;
  }

  json(id: number): string {
    const u = Math.floor((id - 1) / SLOTS);
    const userCreated = this.userCreated(u);
    const userId = uuidOfWords(this.words);
    this.keys(u, (id - 1) % SLOTS, userCreated);
    return orderJson(id, userId, this.rng.pick(STATUSES), this.rng, this.created, this.updated);
  }

  /**
   * Sets `updated` first (the first order's, at times), then `created`, and leaves `rng` ready for the fields. Fields,
   * not a returned object: the index build calls it for every order (25 million at ten million users).
   */
  private keys(u: number, k: number, userCreated: number): void {
    const { seed, anchor } = this.factory.shape;
    const rng = this.rng.reset(seed, ORDERS, u * SLOTS + k);
    let updatedAt = userCreated + rng.int(anchor - userCreated + 1);
    if (rng.next() < TIE_SHARE && k > 0) updatedAt = userCreated + this.tieRng.reset(seed, ORDERS, u * SLOTS).int(anchor - userCreated + 1);
    this.updated = updatedAt;
    this.created = rng.next() < NEVER_UPDATED ? updatedAt : userCreated + rng.int(updatedAt - userCreated + 1);
  }
}
