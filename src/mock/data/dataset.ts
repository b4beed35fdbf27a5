import { ByteWriter } from "./bytes";
import { RowFactory, initialKeys, type DatasetShape } from "./generate";
import { buildPools, type Pools } from "./pools";
import { sortByUpdatedAndId } from "./sort-keys";
import { GeneratedIds } from "./user-ids";
import { UserStore, type Body, type Changes, type Order, type Position, type Row } from "./store";

export type { Order, OrderBy, OrderType, Position, Row } from "./store";

/** A keyset page: the rows' JSON and the position of the last one (to continue from). */
export interface KeysetPage {
  rows: string[];
  last: Position | undefined;
  more: boolean;
}

/** Draws every initial row's keys and loads them; the keys die with this call. */
function loadRows(factory: RowFactory, store: UserStore): void {
  const keys = initialKeys(factory);
  store.loadInitial(keys, sortByUpdatedAndId(keys.updatedAt, factory.start, keys.words));
}

/**
 * The current users: the initial rows (rebuilt from the seed when served) plus every live change, behind one
 * interface that returns JSON texts in a total order.
 */
export class Dataset {
  readonly pools: Pools;
  readonly factory: RowFactory;
  private readonly store = new UserStore();
  /** Reused for every page: pages are built synchronously, one at a time. */
  readonly writer = new ByteWriter();
  /** Readers that walk the whole table across awaits; live changes wait while any is open. */
  private walkers = 0;
  private generatedIds: GeneratedIds | undefined;
  /** Users inserted live and generated users deleted (hex ids): with generatedIds, who exists. */
  private readonly insertedIds = new Set<string>();
  private readonly deletedIds = new Set<string>();

  constructor(shape: DatasetShape) {
    this.pools = buildPools(shape.seed);
    this.factory = new RowFactory(shape, this.pools);
    loadRows(this.factory, this.store);
    // The keys (48 bytes a row) are garbage now: freed before the index build, they do not add to its peak.
    Bun.gc(true);
    this.store.indexInitial();
  }

  size(): number {
    return this.store.size();
  }

  count(since: number | undefined): number {
    return this.store.count(since);
  }

  /** The JSON text of a stored row. */
  json(body: Body | Row): string {
    const [gen, json] = Array.isArray(body) ? body : [body.gen, body.json];
    return json ?? this.factory.json(gen!);
  }

  private writeRows(w: ByteWriter, bodies: readonly Body[]): void {
    for (let i = 0; i < bodies.length; i++) {
      if (i > 0) w.byte(44);
      const [gen, json] = bodies[i]!;
      if (json === null) this.factory.write(gen!, w);
      else w.text(json);
    }
  }

  /** Writes one offset page's rows, comma-separated. */
  writePage(w: ByteWriter, order: Order, since: number | undefined, limit: number, offset: number): void {
    this.writeRows(w, this.store.page(order, since, limit, offset));
  }

  /** Writes one keyset page's rows and says where it ended and whether more rows follow. */
  writeKeyset(w: ByteWriter, order: Order, since: number | undefined, after: Position | undefined, limit: number): Omit<KeysetPage, "rows"> {
    const found = this.store.after(order, since, after, limit + 1);
    const rows = found.slice(0, limit);
    this.writeRows(w, rows);
    const tail = rows.at(-1);
    return { last: tail ? { key: tail[2], id: tail[3] } : undefined, more: found.length > limit };
  }

  page(order: Order, since: number | undefined, limit: number, offset: number): string[] {
    return this.store.page(order, since, limit, offset).map((body) => this.json(body));
  }

  keyset(order: Order, since: number | undefined, after: Position | undefined, limit: number): KeysetPage {
    const found = this.store.after(order, since, after, limit + 1);
    const rows = found.slice(0, limit);
    const tail = rows.at(-1);
    return {
      rows: rows.map((row) => this.json(row)),
      last: tail ? { key: tail[2], id: tail[3] } : undefined,
      more: found.length > limit,
    };
  }

  /** Walks every row in id order, `batch` at a time; live changes are held back until the walk ends. */
  async *walkById(batch = 1000): AsyncGenerator<string[]> {
    this.walkers++;
    try {
      let after: Uint8Array | undefined;
      for (;;) {
        const rows = this.store.byId(after, batch);
        if (rows.length === 0) return;
        after = rows.at(-1)![2];
        yield rows.map((row) => this.json(row));
      }
    } finally {
      this.walkers--;
    }
  }

  /** Walks every row in (updatedAt, id) order, like walkById. */
  async *walkByUpdated(batch = 1000): AsyncGenerator<string[]> {
    this.walkers++;
    try {
      let after: Position | undefined;
      for (;;) {
        const page = this.keyset({ by: "updatedAt", type: "asc" }, undefined, after, batch);
        if (page.rows.length > 0) yield page.rows;
        if (!page.more) return;
        after = page.last;
      }
    } finally {
      this.walkers--;
    }
  }

  /** Holds live changes back while another walk (a related resource's) is read. */
  async *hold<T>(walk: Iterable<T>): AsyncGenerator<T> {
    this.walkers++;
    try {
      yield* walk;
    } finally {
      this.walkers--;
    }
  }

  /**
   * A current user's number among the generated rows, null for a live-inserted user, undefined when there is no such
   * user (never was, or deleted). The generated ids' table is built on first use.
   */
  userNumber(id: Uint8Array): number | null | undefined {
    const key = Buffer.from(id).toString("hex");
    if (this.insertedIds.has(key)) return null;
    if (this.deletedIds.has(key)) return undefined;
    this.generatedIds ??= new GeneratedIds(this.factory);
    return this.generatedIds.find(id);
  }

  walking(): boolean {
    return this.walkers > 0;
  }

  rowAtOrAfter(position: Position): Row | undefined {
    return this.store.rowAtOrAfter(position);
  }

  updatedRange(): { min: number; max: number } | undefined {
    return this.store.updatedRange();
  }

  /** Applies changes in one transaction; which users came and went is noted once it has committed. */
  change(work: (changes: Changes) => void): void {
    const came: Row[] = [];
    const went: Row[] = [];
    this.store.change((changes) =>
      work({
        insert: (row) => (changes.insert(row), came.push(row)),
        update: changes.update,
        remove: (row) => (changes.remove(row), went.push(row)),
      }),
    );
    for (const row of came) this.insertedIds.add(Buffer.from(row.id).toString("hex"));
    for (const row of went) {
      const key = Buffer.from(row.id).toString("hex");
      if (!this.insertedIds.delete(key)) this.deletedIds.add(key);
    }
  }

  close(): void {
    this.store.close();
  }
}
