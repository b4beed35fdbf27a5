import { companyJson, type Company } from "./data/companies";
import type { Row } from "./data/dataset";
import { orderJson, STATUSES, type Order } from "./data/orders";
import type { Related, RelatedResource, Resource } from "./data/related";
import { uuidOfBytes } from "./data/uuid";
import { Prng } from "./prng";
import { formatTimestamp } from "./time";

/** PRNG streams of their own: the users' changes draw exactly what they drew before companies and orders existed. */
const PICKS = 13;
const COMPANY_CHANGES = 14;
const ORDER_CHANGES = 15;
/** An order moves on one step when it changes (or, now and then, is cancelled). */
const NEXT_STATUS: Record<string, string> = {
  pending: "paid",
  paid: "shipped",
  shipped: "delivered",
  delivered: "refunded",
  cancelled: "cancelled",
  refunded: "refunded",
};
const CANCEL_SHARE = 0.1;
const RECENT_BUYERS = 0.5;

export interface RelatedChangeOptions {
  seed: number;
  deleteShare: number;
  insertShare: number;
  /** A random live user, or one of the last changed, drawn from the given PRNG (a new order's buyer). */
  randomUser: (rng: Prng, recent: boolean) => Row | undefined;
}

/**
 * Live changes of companies and orders: the same mix of deletes, inserts and updates as the users', spread over the
 * users and every table made so far in proportion to their sizes.
 */
export class RelatedChanges {
  private readonly picks: Prng;
  private readonly rngs: Record<RelatedResource, Prng>;

  constructor(
    private readonly related: Related,
    private readonly options: RelatedChangeOptions,
  ) {
    this.picks = new Prng(options.seed, PICKS);
    this.rngs = { companies: new Prng(options.seed, COMPANY_CHANGES), orders: new Prng(options.seed, ORDER_CHANGES) };
  }

  /** Which resource the next change goes to; users, without a draw, while no other table is made. */
  pick(users: number): Resource {
    const made = this.related.made();
    if (made.length === 0) return "users";
    const sizes = made.map((resource) => this.related.table(resource).size());
    let roll = this.picks.next() * (users + sizes.reduce((a, b) => a + b, 0));
    if (roll < users) return "users";
    roll -= users;
    for (let i = 0; i < made.length; i++) {
      if (roll < sizes[i]! || i === made.length - 1) return made[i]!;
      roll -= sizes[i]!;
    }
    return "users";
  }

  apply(resource: RelatedResource, now: number): void {
    const rng = this.rngs[resource];
    const table = this.related.table(resource);
    const { deleteShare, insertShare } = this.options;
    const roll = rng.next();
    const target = table.pick((n) => rng.int(n));
    if (target !== undefined && roll < deleteShare) {
      if (resource === "orders") this.related.removeOrder(target);
      else table.remove(target);
    } else if (target === undefined || (roll - deleteShare) / (1 - deleteShare) < insertShare) this.insert(resource, rng, now);
    else this.update(resource, target, rng, now);
  }

  private insert(resource: RelatedResource, rng: Prng, now: number): void {
    if (resource === "companies") {
      this.related.table("companies").insert(now, (id) => companyJson(id, rng, this.related.companyNames, now, now));
      return;
    }
    // Half the new orders go to the users changed last, so new users get orders too.
    const user = this.options.randomUser(rng, rng.next() < RECENT_BUYERS);
    if (!user) return;
    const userId = uuidOfBytes(user.id);
    this.related.insertOrder(userId, now, (id) => orderJson(id, userId, "pending", rng, now, now));
  }

  /** A company's head count moves by up to a fifth; an order's status moves on. updatedAt never moves backwards. */
  private update(resource: RelatedResource, id: number, rng: Prng, now: number): void {
    const table = this.related.table(resource);
    const current = table.entry(id)!;
    const updatedAt = Math.max(now, current.updatedAt);
    let json: string;
    if (resource === "companies") {
      const company = JSON.parse(current.json) as Company;
      company.employees = Math.max(1, Math.round(company.employees * (0.8 + 0.4 * rng.next())));
      json = JSON.stringify({ ...company, updatedAt: formatTimestamp(updatedAt) });
    } else {
      const order = JSON.parse(current.json) as Order;
      order.status = rng.next() < CANCEL_SHARE && order.status === "pending" ? "cancelled" : (NEXT_STATUS[order.status] ?? STATUSES[0]);
      json = JSON.stringify({ ...order, updatedAt: formatTimestamp(updatedAt) });
    }
    table.update({ updatedAt, id, json });
  }
}
