/** A row of a related resource: its order key and its JSON text. Ids are whole numbers. */
export interface Entry {
  updatedAt: number;
  id: number;
  json: string;
}

/** The rows as generated: derived from the seed on demand, never held in memory. */
export interface RowSource {
  /** Every generated id is below this; live inserts take ids from here on. */
  readonly nextId: number;
  /** The earliest possible updatedAt (epoch seconds): order keys are stored as offsets from it. */
  readonly start: number;
  /** How many rows were generated (cheaper than a walk through `each`). */
  generated(): number;
  /** Calls `visit` for every generated row, in id order. */
  each(visit: (id: number, updatedAt: number) => void): void;
  /** Generated ids above `after`, ascending, at most `limit`. */
  idsAfter(after: number, limit: number): number[];
  exists(id: number): boolean;
  updatedAt(id: number): number;
  json(id: number): string;
}

type Key = { updatedAt: number; id: number };
const compare = (a: Key, b: Key) => a.updatedAt - b.updatedAt || a.id - b.id;

/** First index in [lo, hi) whose value is not below the target, for a monotone `below`. */
function lowerBound(lo: number, hi: number, below: (i: number) => boolean): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (below(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A related resource (companies, orders): the generated rows plus live changes, listed in (updatedAt, id) order.
 * Generated rows stay derived from the seed; their order is one array of (updatedAt, id) keys (8 bytes a row), sorted
 * on the first listing. Changed and inserted rows live in `overlay`, sorted too; a changed generated row's place in
 * the sorted keys is remembered in `removed`, so a page is a merge of the two, found by binary search at any offset.
 */
export class LiveTable {
  /** Word 2p is the id at position p, word 2p + 1 its updatedAt less source.start. */
  private sorted: Uint32Array | undefined;
  private readonly generated: number;
  private readonly changed = new Map<number, Entry | null>();
  private readonly inserted = new Map<number, Entry>();
  private readonly overlay: Entry[] = [];
  /** Positions in `sorted` of changed generated rows, ascending (only once `sorted` exists). */
  private removed: number[] = [];
  private deleted = 0;
  private next: number;

  constructor(private readonly source: RowSource) {
    this.generated = source.generated();
    this.next = source.nextId;
  }

  size(): number {
    return this.generated - this.deleted + this.inserted.size;
  }

  /** Rows with updatedAt >= since (every row without since). */
  count(since: number | undefined): number {
    this.index();
    const b0 = this.baseFrom(since);
    const removedAfter = this.removed.length - lowerBound(0, this.removed.length, (i) => this.removed[i]! < b0);
    return this.generated - b0 - removedAfter + (this.overlay.length - this.overlayFrom({ updatedAt: since ?? -Infinity, id: 0 }));
  }

  /** The JSON of `limit` rows from `offset` among those with updatedAt >= since, in (updatedAt, id) order. */
  page(since: number | undefined, offset: number, limit: number): string[] {
    this.index();
    const n = this.generated;
    const b0 = this.baseFrom(since);
    const o0 = this.overlayFrom({ updatedAt: since ?? -Infinity, id: 0 });
    // The last generated row with at most `offset` rows before it; the rest of the way is a short merge walk.
    const found = lowerBound(b0, n + 1, (i) => this.rowsBefore(i, b0, o0) <= offset) - 1;
    let p = Math.max(found, b0);
    let q = found < b0 ? o0 : p < n ? this.overlayFrom(this.keyAt(p)) : this.overlay.length;
    let skip = found < b0 ? offset : offset - this.rowsBefore(p, b0, o0);
    const out: string[] = [];
    while (out.length < limit) {
      while (p < n && this.changed.has(this.sorted![p * 2]!)) p++;
      const base = p < n ? this.keyAt(p) : undefined;
      const other = this.overlay[q];
      if (!base && !other) break;
      if (!base && skip > 0) {
        q += skip;
        skip = 0;
        continue;
      }
      const fromBase = base !== undefined && (other === undefined || compare(base, other) < 0);
      if (skip > 0) skip--;
      else out.push(fromBase ? this.source.json(base.id) : other!.json);
      if (fromBase) p++;
      else q++;
    }
    return out;
  }

  /** Every row in id order, `batch` at a time. */
  *byId(batch: number): Generator<string[]> {
    let after = 0;
    for (;;) {
      const ids = this.source.idsAfter(after, batch);
      if (ids.length === 0) break;
      after = ids.at(-1)!;
      const rows = ids.map((id) => this.json(id)).filter((json): json is string => json !== undefined);
      if (rows.length > 0) yield rows;
    }
    const rest = [...this.inserted.values()].map((entry) => entry.json);
    for (let i = 0; i < rest.length; i += batch) yield rest.slice(i, i + batch);
  }

  /** The current JSON of a row, or undefined when there is no such row (or it was deleted). */
  json(id: number): string | undefined {
    const entry = this.entry(id);
    return entry === undefined ? undefined : entry.json;
  }

  /** The current key and JSON of a row. */
  entry(id: number): Entry | undefined {
    const inserted = this.inserted.get(id);
    if (inserted) return inserted;
    if (id >= this.source.nextId || id < 1 || !this.source.exists(id)) return undefined;
    const changed = this.changed.get(id);
    if (changed !== undefined) return changed ?? undefined;
    return { updatedAt: this.source.updatedAt(id), id, json: this.source.json(id) };
  }

  /** A live row picked by `draw(n)` (uniform in [0, n)), or undefined when a few tries find none. */
  pick(draw: (n: number) => number): number | undefined {
    for (let i = 0; i < 32; i++) {
      const id = 1 + draw(this.next - 1);
      if (this.entry(id)) return id;
    }
    return undefined;
  }

  insert(updatedAt: number, json: (id: number) => string): Entry {
    const id = this.next++;
    const entry = { updatedAt, id, json: json(id) };
    this.inserted.set(id, entry);
    this.place(entry);
    return entry;
  }

  update(entry: Entry): void {
    if (!this.unplace(entry.id)) return;
    if (this.inserted.has(entry.id)) this.inserted.set(entry.id, entry);
    else this.changed.set(entry.id, entry);
    this.place(entry);
  }

  remove(id: number): void {
    if (!this.unplace(id)) return;
    if (this.inserted.delete(id)) return;
    this.changed.set(id, null);
    this.deleted++;
  }

  /** Takes a live row out of the listing order; false when it is not live. */
  private unplace(id: number): boolean {
    const current = this.entry(id);
    if (!current) return false;
    if (this.inserted.has(id) || this.changed.has(id)) {
      this.overlay.splice(this.overlayFrom(current), 1);
    } else if (this.sorted) {
      const at = this.positionOf(current);
      this.removed.splice(
        lowerBound(0, this.removed.length, (i) => this.removed[i]! < at),
        0,
        at,
      );
    }
    return true;
  }

  private place(entry: Entry): void {
    this.overlay.splice(this.overlayFrom(entry), 0, entry);
  }

  /** Rows in the listing before generated position p, counting from b0 and o0 (p may be the row count). */
  private rowsBefore(p: number, b0: number, o0: number): number {
    const removed = lowerBound(0, this.removed.length, (i) => this.removed[i]! < p) - lowerBound(0, this.removed.length, (i) => this.removed[i]! < b0);
    const q = p < this.generated ? this.overlayFrom(this.keyAt(p)) : this.overlay.length;
    return p - b0 - removed + q - o0;
  }

  private keyAt(p: number): Key {
    return { updatedAt: this.sorted![p * 2 + 1]! + this.source.start, id: this.sorted![p * 2]! };
  }

  private baseFrom(since: number | undefined): number {
    if (since === undefined) return 0;
    return lowerBound(0, this.generated, (i) => this.sorted![i * 2 + 1]! + this.source.start < since);
  }

  private overlayFrom(key: Key): number {
    return lowerBound(0, this.overlay.length, (i) => compare(this.overlay[i]!, key) < 0);
  }

  private positionOf(key: Key): number {
    return lowerBound(0, this.generated, (i) => compare(this.keyAt(i), key) < 0);
  }

  /**
   * The generated rows' keys in (updatedAt, id) order, built on first use: each packed as one 64-bit number (updatedAt
   * offset high, id low) and sorted natively; the array stays as it is, read as 32-bit words.
   */
  private index(): void {
    if (this.sorted) return;
    const keys = new BigUint64Array(this.generated);
    const words = new Uint32Array(keys.buffer);
    let n = 0;
    this.source.each((id, updatedAt) => {
      words[n * 2] = id;
      words[n * 2 + 1] = updatedAt - this.source.start;
      n++;
    });
    keys.sort();
    this.sorted = words;
    this.removed = [...this.changed.keys()].map((id) => this.positionOf({ updatedAt: this.source.updatedAt(id), id })).sort((a, b) => a - b);
  }
}
