import { HourCounts } from "./hour-counts";
import { Database, type Statement } from "bun:sqlite";
import type { InitialKeys } from "./generate";
import { writeIdBytes } from "../prng";

export type OrderBy = "updatedAt" | "createdAt";
export type OrderType = "asc" | "desc";
export interface Order {
  by: OrderBy;
  type: OrderType;
}
/** Where a row sits in an order: its order key (epoch seconds) and id (16 bytes). */
export interface Position {
  key: number;
  id: Uint8Array;
}
/** A stored row: `gen` for a row as generated (its JSON is rebuilt from the seed), else its own `json`. */
export type Body = [gen: number | null, json: string | null];
export interface Row {
  updatedAt: number;
  id: Uint8Array;
  createdAt: number;
  gen: number | null;
  json: string | null;
}
export interface Changes {
  insert(row: Row): void;
  update(old: Row, updatedAt: number, json: string): void;
  remove(row: Row): void;
}

const INSERT_BATCH = 400;
const ANCHOR_STEP = 1000;
const SORT_THREADS = 2;

/**
 * The users table in bun:sqlite. The table is its own (updatedAt, id) index (WITHOUT ROWID), and holds only keys for
 * rows as generated, so it stays narrow: walking it to a deep offset touches little memory. Every order ends with id,
 * so it is total.
 */
export class UserStore {
  private readonly db = new Database(":memory:", { strict: true });
  private readonly statements = new Map<string, Statement>();
  private readonly counts = new Map<number, number>();
  private readonly anchors = new Map<string, Position[]>();
  private readonly hours = new HourCounts();
  private rows = 0;
  private idIndex = false;

  constructor() {
    this.db.run("PRAGMA cache_size = -65536");
    this.db.run(
      "CREATE TABLE users (updatedAt INTEGER NOT NULL, id BLOB NOT NULL, createdAt INTEGER NOT NULL, gen INTEGER, " +
        "json TEXT, PRIMARY KEY (updatedAt, id)) WITHOUT ROWID",
    );
  }

  /**
   * Bulk-loads the initial rows in (updatedAt, id) order. Each batch's ids are written into the same 16-byte
   * buffers (a statement binds them as it runs), so ten million rows allocate no object a row. The caller drops
   * the keys, then calls indexInitial.
   */
  loadInitial(keys: InitialKeys, order: Uint32Array): void {
    const insert = (n: number) => `INSERT INTO users (updatedAt, id, createdAt, gen) VALUES ${Array(n).fill("(?, ?, ?, ?)").join(", ")}`;
    const full = this.db.prepare(insert(INSERT_BATCH));
    const ids = Array.from({ length: INSERT_BATCH }, () => new Uint8Array(16));
    const args: (number | Uint8Array)[] = [];
    this.db.transaction(() => {
      for (let k = 0; k < order.length; k += INSERT_BATCH) {
        const end = Math.min(order.length, k + INSERT_BATCH);
        args.length = 0;
        for (let j = k; j < end; j++) {
          const r = order[j]!;
          const id = ids[j - k]!;
          writeIdBytes(keys.words, r * 4, id, 0);
          args.push(keys.updatedAt[r]!, id, keys.createdAt[r]!, r);
          this.hours.add(keys.updatedAt[r]!, 1);
        }
        if (end - k === INSERT_BATCH) full.run(...args);
        else {
          const last = this.db.prepare(insert(end - k));
          last.run(...args);
          last.finalize();
        }
      }
    })();
    full.finalize();
    this.rows += order.length;
  }

  /** Indexes createdAt (the index also holds updatedAt); SQLite may sort on a second thread. */
  indexInitial(): void {
    this.db.run(`PRAGMA threads = ${SORT_THREADS}`);
    this.db.run("CREATE INDEX users_created ON users (createdAt, id)");
  }

  size(): number {
    return this.rows;
  }

  /** Rows with updatedAt >= since (all rows without since). Cached until the next change. */
  count(since: number | undefined): number {
    if (since === undefined) return this.rows;
    let n = this.counts.get(since);
    if (n === undefined) {
      const inHour = this.cached("SELECT count(*) AS n FROM users WHERE updatedAt >= ? AND updatedAt < ?").get(since, this.hours.hourEnd(since)) as {
        n: number;
      };
      n = inHour.n + this.hours.after(since);
      if (this.counts.size > 1000) this.counts.clear();
      this.counts.set(since, n);
    }
    return n;
  }

  /**
   * One offset page. SQLite walks an index entry by entry to skip `offset` rows (17 ms at a million), so every
   * ANCHOR_STEP-th position of each (order, filter) is remembered as it is first reached, until the next change:
   * an offset becomes a keyset seek to the anchor below it plus a walk of less than ANCHOR_STEP entries.
   */
  page(order: Order, since: number | undefined, limit: number, offset: number): Body[] {
    const hop = Math.floor(offset / ANCHOR_STEP);
    const from = hop > 0 ? this.anchor(order, since, hop) : undefined;
    if (hop > 0 && !from) return [];
    const { where, params, dir } = this.filter(order, since, from && { at: from, inclusive: true });
    Object.assign(params, { limit, offset: offset - hop * ANCHOR_STEP });
    // In createdAt order the skipped rows are walked in the narrow index alone, then joined for the page's rows.
    const sql =
      order.by === "updatedAt"
        ? `SELECT gen, json FROM users ${where} ORDER BY updatedAt ${dir}, id ${dir} LIMIT $limit OFFSET $offset`
        : `SELECT u.gen, u.json FROM (SELECT updatedAt AS pu, id AS pi, createdAt AS pc FROM users INDEXED BY users_created ` +
          `${where} ORDER BY createdAt ${dir}, id ${dir} LIMIT $limit OFFSET $offset) AS p ` +
          `JOIN users AS u ON u.updatedAt = p.pu AND u.id = p.pi ORDER BY p.pc ${dir}, p.pi ${dir}`;
    return this.cached(sql).values(params) as Body[];
  }

  /** One keyset page: rows strictly after `after` in the order, with updatedAt >= since. */
  after(order: Order, since: number | undefined, after: Position | undefined, limit: number): (Body & { 2: number; 3: Uint8Array })[] {
    const { where, params, dir } = this.filter(order, since, after && { at: after, inclusive: false });
    params.limit = limit;
    const sql = `SELECT gen, json, ${order.by}, id FROM users ${where} ORDER BY ${order.by} ${dir}, id ${dir} LIMIT $limit`;
    return this.cached(sql).values(params) as never;
  }

  /** The position of row number hop * ANCHOR_STEP (0-based) in the order, or undefined past the end. */
  private anchor(order: Order, since: number | undefined, hop: number): Position | undefined {
    const cacheKey = `${order.by} ${order.type} ${since ?? ""}`;
    let anchors = this.anchors.get(cacheKey);
    if (!anchors) {
      if (this.anchors.size >= 64) this.anchors.clear();
      anchors = [];
      this.anchors.set(cacheKey, anchors);
    }
    while (anchors.length < hop) {
      const previous = anchors.at(-1);
      const { where, params, dir } = this.filter(order, since, previous && { at: previous, inclusive: true });
      const index = order.by === "createdAt" ? "INDEXED BY users_created" : "";
      const sql = `SELECT ${order.by}, id FROM users ${index} ${where} ORDER BY ${order.by} ${dir}, id ${dir} LIMIT 1 OFFSET ${ANCHOR_STEP}`;
      const row = this.cached(sql).values(params)[0] as [number, Uint8Array] | undefined;
      if (!row) return undefined;
      anchors.push({ key: row[0], id: row[1] });
    }
    return anchors[hop - 1];
  }

  private filter(order: Order, since: number | undefined, bound: { at: Position; inclusive: boolean } | undefined) {
    const conditions: string[] = [];
    const params: Record<string, number | Uint8Array> = {};
    // Past a keyset position at or above `since`, the filter is implied; left in, SQLite seeks on it and walks
    // every row from `since` to the position on each page.
    const implied = bound !== undefined && since !== undefined && order.by === "updatedAt" && order.type === "asc" && bound.at.key >= since;
    if (since !== undefined && !implied) {
      conditions.push("updatedAt >= $since");
      params.since = since;
    }
    if (bound) {
      const op = (order.type === "asc" ? ">" : "<") + (bound.inclusive ? "=" : "");
      conditions.push(`(${order.by}, id) ${op} ($key, $id)`);
      params.key = bound.at.key;
      params.id = bound.at.id;
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : "";
    return { where, params, dir: order.type === "asc" ? "ASC" : "DESC" };
  }

  /** Rows in id order after `afterId`. The id index is built on first use: only the oracle and tests walk by id. */
  byId(afterId: Uint8Array | undefined, limit: number): (Body & { 2: Uint8Array })[] {
    if (!this.idIndex) {
      this.db.run("CREATE INDEX IF NOT EXISTS users_id ON users (id)");
      this.idIndex = true;
    }
    if (afterId === undefined) return this.cached("SELECT gen, json, id FROM users ORDER BY id LIMIT ?").values(limit) as never;
    return this.cached("SELECT gen, json, id FROM users WHERE id > ? ORDER BY id LIMIT ?").values(afterId, limit) as never;
  }

  /** The first row at or after a position in (updatedAt, id) order, wrapping to the first row. */
  rowAtOrAfter(position: Position): Row | undefined {
    const columns = "updatedAt, id, createdAt, gen, json";
    const row =
      this.cached(`SELECT ${columns} FROM users WHERE (updatedAt, id) >= (?, ?) ORDER BY updatedAt, id LIMIT 1`).get(position.key, position.id) ??
      this.cached(`SELECT ${columns} FROM users ORDER BY updatedAt, id LIMIT 1`).get();
    return (row ?? undefined) as Row | undefined;
  }

  updatedRange(): { min: number; max: number } | undefined {
    // Two queries on purpose: SQLite answers a lone min() or max() with one index seek, but both in one SELECT
    // with a scan of the whole table (which made every live change cost a full scan).
    const min = (this.cached("SELECT min(updatedAt) AS v FROM users").get() as { v: number | null }).v;
    const max = (this.cached("SELECT max(updatedAt) AS v FROM users").get() as { v: number | null }).v;
    return min === null || max === null ? undefined : { min, max };
  }

  /** Applies a batch of changes in one synchronous transaction. */
  change(work: (changes: Changes) => void): void {
    const insert = this.cached("INSERT INTO users (updatedAt, id, createdAt, gen, json) VALUES (?, ?, ?, ?, ?)");
    const update = this.cached("UPDATE users SET updatedAt = ?, gen = NULL, json = ? WHERE updatedAt = ? AND id = ?");
    const remove = this.cached("DELETE FROM users WHERE updatedAt = ? AND id = ?");
    try {
      this.db.transaction(() =>
        work({
          insert: (r) => {
            insert.run(r.updatedAt, r.id, r.createdAt, r.gen, r.json);
            this.rows++;
            this.hours.add(r.updatedAt, 1);
          },
          update: (old, updatedAt, json) => {
            if (update.run(updatedAt, json, old.updatedAt, old.id).changes > 0) {
              this.hours.add(old.updatedAt, -1);
              this.hours.add(updatedAt, 1);
            }
          },
          remove: (r) => {
            if (remove.run(r.updatedAt, r.id).changes > 0) {
              this.rows--;
              this.hours.add(r.updatedAt, -1);
            }
          },
        }),
      )();
    } catch (error) {
      // The transaction rolled back: the counters may have moved with it.
      this.rows = (this.cached("SELECT count(*) AS n FROM users").get() as { n: number }).n;
      this.hours.clear();
      for (const { t } of this.db.query("SELECT updatedAt AS t FROM users").all() as { t: number }[]) this.hours.add(t, 1);
      throw error;
    } finally {
      this.counts.clear();
      this.anchors.clear();
    }
  }

  close(): void {
    for (const statement of this.statements.values()) statement.finalize();
    this.statements.clear();
    this.db.close();
  }

  private cached(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
